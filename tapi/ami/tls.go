package ami

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// maxCAFileBytes bounds the CA file read into memory.
const maxCAFileBytes = 1 << 20

// ErrCAFile is wrapped by New when Config.CAFile cannot be used.
var ErrCAFile = errors.New("unusable AMI CA file")

// CertError is a TLS server certificate that failed verification. Run
// returns it: retrying would not help until the PBX's certificate or the
// CA file changes.
type CertError struct {
	Addr string // HOST:PORT dialled
	Err  error  // the verification error, e.g. x509.UnknownAuthorityError
}

func (e *CertError) Error() string {
	return fmt.Sprintf("AMI server certificate of %s not trusted: %v (%s)", e.Addr, e.Err, certHint(e.Err))
}

func (e *CertError) Unwrap() error { return e.Err }

// certHint says what an admin can do about a verification error.
func certHint(err error) string {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua):
		return "set the AMI CA file to the PEM certificate of the CA that signed the PBX's certificate, or to that certificate itself"
	case errors.As(err, &he):
		return "connect by a name or address the certificate lists in its subjectAltName, or reissue the certificate with that name"
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return "the certificate has expired or is not valid yet: renew it on the PBX, or check this computer's clock"
	}
	return "check the PBX's TLS certificate and the AMI CA file"
}

// tlsConfig builds the client TLS configuration for addr: the host name
// checked against the certificate, TLS 1.2 at least, and the roots from
// caFile when given (only them), else the system's.
func tlsConfig(addr, caFile string) (*tls.Config, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("%w: address %q: %w", ErrConfig, addr, err)
	}
	tc := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return tc, nil // system roots
	}
	pool, err := loadCAFile(caFile)
	if err != nil {
		return nil, err
	}
	tc.RootCAs = pool
	return tc, nil
}

// loadCAFile reads a PEM file of one or more certificates.
func loadCAFile(path string) (*x509.CertPool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrCAFile, path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrCAFile, path, err)
	}
	if !st.Mode().IsRegular() || st.Size() > maxCAFileBytes {
		return nil, fmt.Errorf("%w %s: not a certificate file of at most 1 MiB", ErrCAFile, path)
	}
	b := make([]byte, st.Size())
	if _, err := f.ReadAt(b, 0); err != nil && st.Size() > 0 {
		return nil, fmt.Errorf("%w %s: %w", ErrCAFile, path, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%w %s: no PEM certificate in it (give the CA certificate, \"-----BEGIN CERTIFICATE-----\")", ErrCAFile, path)
	}
	return pool, nil
}

// handshake runs the TLS handshake on nc, within the login timeout. On
// failure it closes nc.
func (s *Source) handshake(ctx context.Context, nc net.Conn) (net.Conn, error) {
	tc := tls.Client(nc, s.tls.Clone())
	hctx, cancel := context.WithTimeout(ctx, loginTimeout)
	defer cancel()
	err := tc.HandshakeContext(hctx)
	if err == nil {
		_ = nc.SetDeadline(time.Time{})
		return tc, nil
	}
	nc.Close()
	var ve *tls.CertificateVerificationError
	if errors.As(err, &ve) {
		return nil, &CertError{Addr: s.cfg.Addr, Err: ve.Err}
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) || strings.Contains(err.Error(), "first record does not look like a TLS handshake") {
		return nil, fmt.Errorf("AMI TLS handshake with %s: %w (the port does not speak TLS: use Asterisk's TLS port, usually 5039, or turn TLS off)", s.cfg.Addr, err)
	}
	return nil, fmt.Errorf("AMI TLS handshake with %s: %w", s.cfg.Addr, err)
}
