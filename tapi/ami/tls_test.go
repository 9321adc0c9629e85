package ami

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testPKI is a private CA and a server certificate it signed.
type testPKI struct {
	caPEM   []byte          // the CA certificate
	leafPEM []byte          // the server certificate alone
	server  tls.Certificate // the server certificate with its key
}

// newTestPKI makes a CA and a server certificate for the given DNS names
// and IP addresses; selfSigned makes the server certificate its own issuer
// (caPEM is then the same certificate).
func newTestPKI(t *testing.T, dnsNames []string, ips []net.IP, selfSigned bool) testPKI {
	t.Helper()
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Test PBX CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "asterisk"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     dnsNames,
		IPAddresses:  ips,
	}
	parent, signer := caCert, any(caKey)
	if selfSigned {
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	p := testPKI{
		caPEM:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		leafPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		server:  tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
	}
	if selfSigned {
		p.caPEM = p.leafPEM
	}
	return p
}

// writeFile writes b to a 0600 file in a temporary folder and returns its path.
func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// newTLSFakeAMI serves fakeAMI over TLS with cert on 127.0.0.1.
func newTLSFakeAMI(t *testing.T, cert tls.Certificate, files ...string) *fakeAMI {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	srv := newFakeAMIOn(t, ln, "calldocket", "s3cret", files...)
	srv.requireMD5 = true
	return srv
}

var localhostIP = []net.IP{net.IPv4(127, 0, 0, 1)}

func TestSourceTLS(t *testing.T) {
	tests := []struct {
		name string
		pki  func(t *testing.T) testPKI
	}{
		{"private CA", func(t *testing.T) testPKI { return newTestPKI(t, []string{"pbx.example.com"}, localhostIP, false) }},
		{"self-signed server certificate as the CA file", func(t *testing.T) testPKI { return newTestPKI(t, nil, localhostIP, true) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pki := tt.pki(t)
			srv := newTLSFakeAMI(t, pki.server, "inbound_answered.txt")
			src, err := New(Config{Addr: srv.addr(), Username: "calldocket", Secret: "s3cret", Extension: "201",
				TLS: true, CAFile: writeFile(t, "ca.pem", pki.caPEM)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			src.now = func() time.Time { return t0 }
			events, _ := collect(t, src)
			want := wantByTranscript["inbound_answered.txt"]
			if got := waitEvents(t, events, len(want)); !equalEvents(got, want) {
				t.Errorf("events = %+v, want %+v", got, want)
			}
		})
	}
}

func TestSourceTLSNotTrusted(t *testing.T) {
	good := newTestPKI(t, []string{"pbx.example.com"}, localhostIP, false)
	other := newTestPKI(t, nil, localhostIP, false)
	wrongHost := newTestPKI(t, []string{"pbx.example.com"}, nil, false)
	tests := []struct {
		name     string
		server   tls.Certificate
		caPEM    []byte // nil: the system roots
		wantAs   func(error) bool
		wantText string
	}{
		{"system roots", good.server, nil,
			func(err error) bool { var e x509.UnknownAuthorityError; return errors.As(err, &e) }, "set the AMI CA file"},
		{"another CA", good.server, other.caPEM,
			func(err error) bool { var e x509.UnknownAuthorityError; return errors.As(err, &e) }, "set the AMI CA file"},
		{"certificate for another host", wrongHost.server, wrongHost.caPEM,
			func(err error) bool { var e x509.HostnameError; return errors.As(err, &e) }, "subjectAltName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTLSFakeAMI(t, tt.server)
			cfg := Config{Addr: srv.addr(), Username: "calldocket", Secret: "s3cret", Extension: "201", TLS: true}
			if tt.caPEM != nil {
				cfg.CAFile = writeFile(t, "ca.pem", tt.caPEM)
			}
			src, err := New(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = src.Run(t.Context(), nil) // returns: no retry on an untrusted certificate
			var ce *CertError
			if !errors.As(err, &ce) || !tt.wantAs(err) {
				t.Fatalf("Run() = %v, want a *CertError of the right kind", err)
			}
			if msg := err.Error(); !strings.Contains(msg, srv.addr()) || !strings.Contains(msg, tt.wantText) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming %s and saying %q", msg, srv.addr(), tt.wantText)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if len(srv.logins)+srv.challenges != 0 {
				t.Errorf("the client sent %d logins and %d challenges over an untrusted connection", len(srv.logins), srv.challenges)
			}
		})
	}
}

func TestSourceTLSToPlainPort(t *testing.T) {
	srv := newFakeAMI(t, "calldocket", "s3cret")
	src, err := New(Config{Addr: srv.addr(), Username: "calldocket", Extension: "201", TLS: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = src.session(t.Context(), nil)
	if err == nil || !strings.Contains(err.Error(), "does not speak TLS") {
		t.Errorf("session() = %v, want an error saying the port does not speak TLS", err)
	}
}

func TestNewValidatesTLS(t *testing.T) {
	pki := newTestPKI(t, nil, localhostIP, false)
	caFile := writeFile(t, "ca.pem", pki.caPEM)
	junk := writeFile(t, "junk.pem", []byte("not a certificate\n"))
	empty := writeFile(t, "empty.pem", nil)
	missing := filepath.Join(t.TempDir(), "missing.pem")
	base := Config{Addr: "127.0.0.1:5039", Username: "u", Extension: "201"}
	tests := []struct {
		name    string
		tls     bool
		caFile  string
		wantErr error
		wantIn  string
	}{
		{"TLS with system roots", true, "", nil, ""},
		{"TLS with CA file", true, caFile, nil, ""},
		{"CA file without TLS", false, caFile, ErrConfig, caFile},
		{"missing CA file", true, missing, ErrCAFile, missing},
		{"junk CA file", true, junk, ErrCAFile, "no PEM certificate"},
		{"empty CA file", true, empty, ErrCAFile, "no PEM certificate"},
		{"folder as CA file", true, t.TempDir(), ErrCAFile, "not a certificate file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			c.TLS, c.CAFile = tt.tls, tt.caFile
			_, err := New(c, nil)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("New() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("New() = %v, want %v naming %q", err, tt.wantErr, tt.wantIn)
			}
		})
	}
}
