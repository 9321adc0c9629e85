package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/auth"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/keychain"
	"github.com/zalando/go-keyring"
)

func TestCmdLoginUsage(t *testing.T) {
	keyring.MockInit()
	t.Setenv("CALLDOCKET_HOME", t.TempDir())
	t.Setenv(home.EnvClientID, "")
	t.Setenv(home.EnvClientSecret, "")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--region", "uk"}, "--region"},
		{[]string{"--port", "0"}, "--port"},
		{[]string{"--port", "70000"}, "--port"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"--bogus"}, "bogus"},
		{nil, "client ID"},
		{[]string{"--client-id", "abc"}, "client secret"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			err := Login(context.Background(), tt.args, io.Discard, io.Discard)
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Login(%q) error = %v, want a usage error about %q", tt.args, err, tt.want)
			}
		})
	}
	if err := Logout(context.Background(), []string{"now"}, io.Discard); err == nil {
		t.Errorf("Logout(now) error = nil, want a usage error")
	}
}

// TestLoginLogout runs `calldocket login` and `calldocket logout` in
// process against the Clio emulator, with the in-memory keyring. The test
// plays the browser from the URL printed when no browser opens.
func TestLoginLogout(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	port := freeLoopbackPort(t)
	emu, base := loginEmulator(t, port)
	t.Setenv("CALLDOCKET_HOME", t.TempDir())
	t.Setenv(home.EnvClioURL, base)
	t.Setenv(home.EnvClientID, "firm-app")
	t.Setenv(home.EnvClientSecret, "firm-secret")
	t.Setenv("BROWSER", "/nonexistent/browser")
	args := []string{"--port", strconv.Itoa(port)}

	var stdout bytes.Buffer
	stderr := &playBrowser{t: t}
	if err := Login(ctx, args, &stdout, stderr); err != nil {
		t.Fatalf("Login() error = %v\nstderr: %s", err, stderr)
	}
	want := fmt.Sprintf("Connected to Clio (US) as %s\n", fake.SampleFirm().Users[0].Name)
	if stdout.String() != want {
		t.Errorf("Login() printed %q, want %q", stdout.String(), want)
	}
	if !strings.Contains(stderr.String(), "Could not open a web browser") {
		t.Errorf("stderr = %q, want the URL offered by hand", stderr)
	}
	if page := stderr.page(); !strings.Contains(page, "connected to Clio") {
		t.Errorf("browser page = %q, want the success page", page)
	}
	kc := keychain.New(nil)
	tok, err := kc.Tokens().Load(ctx)
	if err != nil || tok.ClientID != "firm-app" || tok.Region != "US" || tok.RefreshToken == "" {
		t.Fatalf("stored token = %+v, %v; want one for firm-app in US", tok, err)
	}
	if s, err := kc.Get(ctx, keychain.AccountClientSecret); err != nil || s != "firm-secret" {
		t.Errorf("stored client secret = %q, %v; want firm-secret", s, err)
	}

	// The app's client from the keychain refreshes and persists.
	c, region, err := home.ClioFromKeychain(ctx, nil)
	if err != nil || region.Code != "US" {
		t.Fatalf("clioFromKeychain() = %v, %v", region, err)
	}
	emu.ExpireTokens()
	if _, _, err := c.Users.WhoAmI(ctx); err != nil {
		t.Fatalf("WhoAmI() after expiry error = %v", err)
	}
	refreshed, _ := kc.Tokens().Load(ctx)
	if refreshed.AccessToken == tok.AccessToken || refreshed.RefreshToken != tok.RefreshToken {
		t.Errorf("keychain after refresh: new access token %v, same refresh token %v; want both", refreshed.AccessToken != tok.AccessToken, refreshed.RefreshToken == tok.RefreshToken)
	}

	// A second login needs neither flags nor env: id and secret are saved.
	t.Setenv(home.EnvClientID, "")
	t.Setenv(home.EnvClientSecret, "")
	stdout.Reset()
	if err := Login(ctx, args, &stdout, &playBrowser{t: t}); err != nil {
		t.Fatalf("second Login() error = %v", err)
	}
	c, _, err = home.ClioFromKeychain(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}

	stdout.Reset()
	if err := Logout(ctx, nil, &stdout); err != nil {
		t.Fatalf("Logout() error = %v", err)
	}
	if !strings.Contains(stdout.String(), "Revoked CallDocket's access to Clio (US)") {
		t.Errorf("Logout() printed %q", stdout.String())
	}
	if n := countRequests(emu, "/oauth/deauthorize", http.StatusOK); n != 1 {
		t.Errorf("deauthorize calls = %d, want 1", n)
	}
	for _, acct := range []string{keychain.AccountToken, keychain.AccountClientSecret} {
		if _, err := keyring.Get(keychain.Service, acct); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("keyring %s after logout: %v, want not found", acct, err)
		}
	}
	if _, _, err := c.Users.WhoAmI(ctx); !isAuth401(err) {
		t.Errorf("WhoAmI() with the revoked grant error = %v, want *clio.AuthError 401", err)
	}
	if _, _, err := home.ClioFromKeychain(ctx, nil); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("clioFromKeychain() after logout error = %v, want auth.ErrNoToken", err)
	}
	stdout.Reset()
	if err := Logout(ctx, nil, &stdout); err != nil || !strings.Contains(stdout.String(), "Not signed in") {
		t.Errorf("second Logout() = %q, %v", stdout.String(), err)
	}
}

// TestLoginForgedCallbacks: while `calldocket login` waits, forged
// redirects (wrong, missing or empty state, a forged "declined") are
// refused with a 400 page and ignored; the real redirect that follows still
// signs in.
func TestLoginForgedCallbacks(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	port := freeLoopbackPort(t)
	emu, base := loginEmulator(t, port)
	t.Setenv("CALLDOCKET_HOME", t.TempDir())
	t.Setenv(home.EnvClioURL, base)
	t.Setenv(home.EnvClientID, "firm-app")
	t.Setenv(home.EnvClientSecret, "firm-secret")
	t.Setenv("BROWSER", "/nonexistent/browser")

	forged := []string{"code=x&state=forged", "code=x", "code=x&state=", "error=access_denied&state=forged", "state=forged"}
	var stdout bytes.Buffer
	stderr := &playBrowser{t: t, forged: forged}
	if err := Login(ctx, []string{"--port", strconv.Itoa(port)}, &stdout, stderr); err != nil {
		t.Fatalf("Login() after forged callbacks error = %v, want a sign-in\nstderr: %s", err, stderr)
	}
	if page := stderr.page(); !strings.Contains(page, "connected to Clio") {
		t.Errorf("browser page = %q, want the success page", page)
	}
	stderr.mu.Lock()
	status := append([]int(nil), stderr.status...)
	stderr.mu.Unlock()
	if len(status) != len(forged) {
		t.Fatalf("forged callbacks answered %v, want %d answers", status, len(forged))
	}
	for i, st := range status {
		if st != http.StatusBadRequest {
			t.Errorf("forged callback %q answered %d, want 400", forged[i], st)
		}
	}
	if n := countRequests(emu, "/oauth/token", http.StatusOK); n != 1 {
		t.Errorf("token exchanges = %d, want 1: a forged code is never exchanged", n)
	}
	if tok, err := keychain.New(nil).Tokens().Load(ctx); err != nil || tok.RefreshToken == "" {
		t.Errorf("stored token = %+v, %v; want one", tok, err)
	}
}

// TestLoginNoKeychain: without a keychain, login says so and never opens
// the browser.
func TestLoginNoKeychain(t *testing.T) {
	keyring.MockInitWithError(keyring.ErrUnsupportedPlatform)
	t.Cleanup(keyring.MockInit)
	t.Setenv("CALLDOCKET_HOME", t.TempDir())
	t.Setenv(home.EnvClientID, "firm-app")
	t.Setenv(home.EnvClientSecret, "firm-secret")
	t.Setenv("BROWSER", "/nonexistent/browser")
	var stderr bytes.Buffer
	err := Login(context.Background(), []string{"--port", strconv.Itoa(freeLoopbackPort(t))}, io.Discard, &stderr)
	if !errors.Is(err, keychain.ErrNoKeychain) {
		t.Fatalf("Login() error = %v, want keychain.ErrNoKeychain", err)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want no browser step", stderr.String())
	}
	if _, _, err := home.ClioFromKeychain(context.Background(), nil); !errors.Is(err, keychain.ErrNoKeychain) {
		t.Errorf("clioFromKeychain() error = %v, want keychain.ErrNoKeychain", err)
	}
	if err := Logout(context.Background(), nil, io.Discard); !errors.Is(err, keychain.ErrNoKeychain) {
		t.Errorf("Logout() error = %v, want keychain.ErrNoKeychain", err)
	}
}

// playBrowser is a stderr that, once the authorize URL is printed, plays
// the browser: GET it without following redirects, then GET the loopback
// Location.
type playBrowser struct {
	t      *testing.T
	forged []string // queries sent to the loopback redirect before the real one
	status []int    // their answers
	mu     sync.Mutex
	buf    bytes.Buffer
	played bool
	result string
	done   chan struct{}
}

var authorizeURL = regexp.MustCompile(`https?://\S+/oauth/authorize\?\S+`)

func (p *playBrowser) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf.Write(b)
	if u := authorizeURL.FindString(p.buf.String()); u != "" && !p.played {
		p.played = true
		p.done = make(chan struct{})
		go p.play(u)
	}
	return len(b), nil
}

func (p *playBrowser) play(u string) {
	defer close(p.done)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(u)
	if err != nil {
		p.t.Errorf("browser: %v", err)
		return
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		p.t.Errorf("browser: authorize answered %s without a Location", resp.Status)
		return
	}
	for _, q := range p.forged {
		// What any web page can make the browser do while login waits.
		forged := *loc
		forged.RawQuery = q
		resp, err := noFollow.Get(forged.String())
		if err != nil {
			p.t.Errorf("browser: forged callback: %v", err)
			return
		}
		resp.Body.Close()
		p.mu.Lock()
		p.status = append(p.status, resp.StatusCode)
		p.mu.Unlock()
	}
	resp, err = noFollow.Get(loc.String())
	if err != nil {
		p.t.Errorf("browser: %v", err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	p.mu.Lock()
	p.result = string(b)
	p.mu.Unlock()
}

func (p *playBrowser) page() string {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	if done != nil {
		<-done
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.result
}

func (p *playBrowser) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

func isAuth401(err error) bool {
	var ae *clio.AuthError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized
}

func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func loginEmulator(t *testing.T, port int) (*fake.Server, string) {
	t.Helper()
	s, err := fake.NewServer(fake.SampleFirm(), fake.Options{Clients: map[string]fake.OAuthClient{
		"firm-app": {Secret: "firm-secret", RedirectURIs: []string{fmt.Sprintf("http://127.0.0.1:%d/callback", port)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return s, ts.URL
}

func countRequests(s *fake.Server, path string, status int) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Path == path && r.Status == status {
			n++
		}
	}
	return n
}
