package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
)

const (
	testClientID = "calldocket-test-app"
	testSecret   = "app-secret-1"
)

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// emulator serves the Clio emulator with one OAuth client whose redirect
// URI is the loopback callback on port.
type emulator struct {
	*fake.Server
	URL string
}

func newEmulator(t *testing.T, port int, mutate func(*fake.Options)) *emulator {
	t.Helper()
	opts := fake.Options{Clients: map[string]fake.OAuthClient{
		testClientID: {Secret: testSecret, RedirectURIs: []string{fmt.Sprintf("http://127.0.0.1:%d/callback", port)}},
	}}
	if mutate != nil {
		mutate(&opts)
	}
	s, err := fake.NewServer(fake.SampleFirm(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return &emulator{Server: s, URL: ts.URL}
}

// count returns how many requests hit path with status (0: any).
func (e *emulator) count(method, path string, status int) int {
	n := 0
	for _, r := range e.Requests() {
		if r.Method == method && r.Path == path && (status == 0 || r.Status == status) {
			n++
		}
	}
	return n
}

func testConfig(base string, port int) Config {
	return Config{Region: clio.US, BaseURL: base, ClientID: testClientID, ClientSecret: testSecret, RedirectPort: port}
}

// browser plays the user's browser: it GETs the authorize URL without
// following redirects, then follows the Location to the loopback callback
// (after rewrite, when set) and keeps the page it got.
type browser struct {
	t       *testing.T
	rewrite func(*url.URL)

	mu      sync.Mutex
	authURL *url.URL
	status  int
	page    string
	err     error
}

func (b *browser) open(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.authURL = u
	b.mu.Unlock()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(raw)
	if err != nil {
		return b.fail(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return b.fail(fmt.Errorf("authorize answered %s", resp.Status))
	}
	loc, err := resp.Location()
	if err != nil {
		return b.fail(err)
	}
	if b.rewrite != nil {
		b.rewrite(loc)
	}
	resp, err = noFollow.Get(loc.String())
	if err != nil {
		return b.fail(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.mu.Lock()
	b.status, b.page = resp.StatusCode, string(body)
	b.mu.Unlock()
	return nil
}

func (b *browser) fail(err error) error {
	b.mu.Lock()
	b.err = err
	b.mu.Unlock()
	b.t.Errorf("browser: %v", err)
	return err
}

func (b *browser) result() (int, string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status, b.page
}

// memStore is an in-memory TokenStore that counts saves.
type memStore struct {
	mu    sync.Mutex
	tok   *Token
	saves int
}

func (m *memStore) Load(context.Context) (*Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil {
		return nil, ErrNoToken
	}
	t := *m.tok
	return &t, nil
}

func (m *memStore) Save(_ context.Context, t *Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := *t
	m.tok = &c
	m.saves++
	return nil
}

func (m *memStore) Delete(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tok = nil
	return nil
}

func (m *memStore) get() (Token, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil {
		return Token{}, m.saves
	}
	return *m.tok, m.saves
}

// logBuffer is a goroutine-safe log sink.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// login runs Login against e with a browser and returns the token.
func login(t *testing.T, ctx context.Context, cfg Config) *Token {
	t.Helper()
	b := &browser{t: t}
	tok, err := Login(ctx, cfg, b.open, nil)
	if err != nil {
		t.Fatalf("Login() error = %v", err)
	}
	return tok
}

func asAuthError(err error) (*clio.AuthError, bool) {
	var ae *clio.AuthError
	ok := errors.As(err, &ae)
	return ae, ok
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
