package auth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
)

func TestLoginDeclined(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	port := freePort(t)
	emu := newEmulator(t, port, func(o *fake.Options) { o.Decline = true })
	b := &browser{t: t}
	tok, err := Login(ctx, testConfig(emu.URL, port), b.open, nil)
	if !errors.Is(err, ErrDeclined) || tok != nil {
		t.Fatalf("Login() = %v, %v; want ErrDeclined", tok, err)
	}
	if status, page := b.result(); status != http.StatusOK || !strings.Contains(page, "You declined access") {
		t.Errorf("declined page = %d %q", status, page)
	}
	if n := emu.count(http.MethodPost, "/oauth/token", 0); n != 0 {
		t.Errorf("/oauth/token calls = %d, want 0", n)
	}
}

// TestLoginStateMismatch: a redirect with a wrong state (what any web page
// can make the browser send) gets the mismatch page and is ignored; the
// real redirect after it still signs in.
func TestLoginStateMismatch(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	port := freePort(t)
	emu := newEmulator(t, port, nil)
	forged := &browser{t: t, rewrite: func(u *url.URL) {
		q := u.Query()
		q.Set("state", "forged")
		u.RawQuery = q.Encode()
	}}
	genuine := &browser{t: t}
	open := func(u string) error {
		if err := forged.open(u); err != nil {
			return err
		}
		go genuine.open(u)
		return nil
	}
	var logs logBuffer
	tok, err := Login(ctx, testConfig(emu.URL, port), open, newLogger(&logs))
	if err != nil || tok == nil {
		t.Fatalf("Login() = %v, %v; want a token despite the forged redirect", tok, err)
	}
	if status, page := forged.result(); status != http.StatusBadRequest || !strings.Contains(page, "did not come from CallDocket") {
		t.Errorf("mismatch page = %d %q", status, page)
	}
	if n := strings.Count(logs.String(), "wrong or missing state"); n != 1 {
		t.Errorf("log has %d lines about the wrong state, want 1:\n%s", n, logs.String())
	}
	if n := emu.count(http.MethodPost, "/oauth/token", 0); n != 1 {
		t.Errorf("/oauth/token calls = %d, want 1: a forged redirect's code must not be exchanged", n)
	}
}

func TestLoginPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	opened := false
	_, err = Login(t.Context(), testConfig("http://127.0.0.1:1", port), func(string) error { opened = true; return nil }, nil)
	if !errors.Is(err, ErrPortInUse) {
		t.Fatalf("Login() error = %v, want ErrPortInUse", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1:"+itoa(port)) {
		t.Errorf("Login() error = %q, want the address in it", err)
	}
	if opened {
		t.Errorf("Login() opened a browser although it could not listen")
	}
}

func TestLoginTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	port := freePort(t)
	_, err := Login(ctx, testConfig("http://127.0.0.1:1", port), func(string) error { return nil }, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Login() error = %v, want context.DeadlineExceeded", err)
	}
	// The listener is closed again.
	ln, err := net.Listen("tcp", "127.0.0.1:"+itoa(port))
	if err != nil {
		t.Fatalf("port %d still in use after Login returned: %v", port, err)
	}
	ln.Close()
}

// TestLoginOpenFails: when no browser opens, the URL is logged and the
// login still completes once someone opens it.
func TestLoginOpenFails(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	port := freePort(t)
	emu := newEmulator(t, port, nil)
	var logs logBuffer
	b := &browser{t: t}
	open := func(u string) error {
		go b.open(u) // the user copies the URL by hand
		return errors.New("no browser")
	}
	tok, err := Login(ctx, testConfig(emu.URL, port), open, newLogger(&logs))
	if err != nil || tok == nil {
		t.Fatalf("Login() = %v, %v; want a token", tok, err)
	}
	if !containsAll(logs.String(), "could not open a browser", "url=", "/oauth/authorize?") {
		t.Errorf("log = %q, want the authorize URL", logs.String())
	}
	if strings.Contains(logs.String(), tok.AccessToken) || strings.Contains(logs.String(), tok.RefreshToken) {
		t.Errorf("log contains a token")
	}
}

func TestLoginBadSecret(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	port := freePort(t)
	emu := newEmulator(t, port, nil)
	cfg := testConfig(emu.URL, port)
	cfg.ClientSecret = "wrong"
	b := &browser{t: t}
	_, err := Login(ctx, cfg, b.open, nil)
	ae, ok := asAuthError(err)
	if !ok || ae.Code != "invalid_client" {
		t.Fatalf("Login() error = %v, want *clio.AuthError invalid_client", err)
	}
	if status, page := b.result(); status != http.StatusBadGateway || !strings.Contains(page, "could not connect to Clio") {
		t.Errorf("failure page = %d %q", status, page)
	}
}

// TestCallbackRedirectErrors drives the callback handler directly with
// the redirects Clio can send.
func TestCallbackRedirectErrors(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		status int
		want   error
	}{
		{"declined", "state=S&error=access_denied", http.StatusOK, ErrDeclined},
		{"no state", "code=abc", http.StatusBadRequest, ErrStateMismatch},
		{"empty state", "state=&code=abc", http.StatusBadRequest, ErrStateMismatch},
		{"wrong state", "state=T&code=abc", http.StatusBadRequest, ErrStateMismatch},
		{"other error", "state=S&error=unsupported_response_type", http.StatusBadRequest, &RedirectError{}},
		{"no code", "state=S", http.StatusBadRequest, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := &callback{ctx: t.Context(), oc: testConfig("http://127.0.0.1:1", 1).oauth2Config(),
				path: "/callback", state: "S", log: newLogger(&logBuffer{}), done: make(chan result, 1)}
			tok, status, _, err := cb.handle(mustQuery(t, tt.query))
			if tok != nil || err == nil || status != tt.status {
				t.Fatalf("handle(%q) = %v, %d, %v; want no token, %d, an error", tt.query, tok, status, err, tt.status)
			}
			var re *RedirectError
			switch want := tt.want.(type) {
			case nil:
			case *RedirectError:
				if !errors.As(err, &re) || re.Code != "unsupported_response_type" {
					t.Errorf("handle(%q) error = %v, want *RedirectError", tt.query, err)
				}
			default:
				if !errors.Is(err, want) {
					t.Errorf("handle(%q) error = %v, want %v", tt.query, err, want)
				}
			}
		})
	}
}

// TestCallbackServer: other paths 404, non-GET 405, a wrong state 400 and
// ignored, and only the first redirect with the right state counts.
func TestCallbackServer(t *testing.T) {
	cb := &callback{ctx: t.Context(), oc: testConfig("http://127.0.0.1:1", 1).oauth2Config(),
		path: "/callback", state: "S", log: newLogger(&logBuffer{}), done: make(chan result, 1)}
	srv := httptestServer(t, cb)
	tests := []struct {
		method, target string
		status         int
	}{
		{http.MethodGet, "/favicon.ico", http.StatusNotFound},
		{http.MethodPost, "/callback?state=S&error=access_denied", http.StatusMethodNotAllowed},
		{http.MethodGet, "/callback?state=T&error=access_denied", http.StatusBadRequest},
		{http.MethodGet, "/callback?code=abc", http.StatusBadRequest},
		{http.MethodGet, "/callback?state=S&error=access_denied", http.StatusOK},
		{http.MethodGet, "/callback?state=S&error=access_denied", http.StatusConflict},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv+tt.target, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.target, resp.StatusCode, tt.status)
		}
	}
	if r := <-cb.done; !errors.Is(r.err, ErrDeclined) {
		t.Errorf("result = %v, want ErrDeclined", r.err)
	}
}

var checkOpenURLTests = []struct {
	in string
	ok bool
}{
	{"https://app.clio.com/oauth/authorize?client_id=x", true},
	{"http://127.0.0.1:8080/oauth/authorize", true},
	{"HTTPS://eu.app.clio.com/", true},
	{"file:///etc/passwd", false},
	{"javascript:alert(1)", false},
	{"calldocket://call?number=1", false},
	{"/oauth/authorize", false},
	{"https://", false},
	{"-https://x", false},
	{"", false},
	{"http://[::1", false},
}

func TestCheckOpenURL(t *testing.T) {
	for _, tt := range checkOpenURLTests {
		t.Run(tt.in, func(t *testing.T) {
			if err := CheckOpenURL(tt.in); (err == nil) != tt.ok {
				t.Errorf("CheckOpenURL(%q) = %v, want ok %v", tt.in, err, tt.ok)
			}
		})
	}
}

func FuzzCheckOpenURL(f *testing.F) {
	for _, tt := range checkOpenURLTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckOpenURL(s) != nil {
			return
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Errorf("CheckOpenURL(%q) = nil for a non-http(s) URL", s)
		}
	})
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name              string
		cfg               Config
		api, oauth, redir string
		ok                bool
	}{
		{"us", Config{Region: clio.US, ClientID: "id"}, "https://app.clio.com", "https://app.clio.com/oauth", "http://127.0.0.1:53682/callback", true},
		{"eu port", Config{Region: clio.EU, ClientID: "id", RedirectPort: 8123, RedirectPath: "cb"}, "https://eu.app.clio.com", "https://eu.app.clio.com/oauth", "http://127.0.0.1:8123/cb", true},
		{"override", Config{Region: clio.AU, BaseURL: "http://127.0.0.1:9000/", ClientID: "id"}, "http://127.0.0.1:9000", "http://127.0.0.1:9000/oauth", "http://127.0.0.1:53682/callback", true},
		{"no client id", Config{Region: clio.US}, "https://app.clio.com", "https://app.clio.com/oauth", "http://127.0.0.1:53682/callback", false},
		{"plain http remote", Config{Region: clio.US, BaseURL: "http://clio.example.com", ClientID: "id"}, "http://clio.example.com", "http://clio.example.com/oauth", "http://127.0.0.1:53682/callback", false},
		{"bad port", Config{Region: clio.US, ClientID: "id", RedirectPort: 70000}, "https://app.clio.com", "https://app.clio.com/oauth", "http://127.0.0.1:70000/callback", false},
		{"no region", Config{ClientID: "id"}, "", "", "http://127.0.0.1:53682/callback", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cfg.APIBase(); got != tt.api {
				t.Errorf("APIBase() = %q, want %q", got, tt.api)
			}
			if got := tt.cfg.OAuthBase(); got != tt.oauth {
				t.Errorf("OAuthBase() = %q, want %q", got, tt.oauth)
			}
			if got := tt.cfg.RedirectURI(); got != tt.redir {
				t.Errorf("RedirectURI() = %q, want %q", got, tt.redir)
			}
			if err := tt.cfg.check(); (err == nil) != tt.ok {
				t.Errorf("check() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func mustQuery(t *testing.T, s string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func httptestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}
