package auth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
)

// TestOAuthEndToEnd drives the whole life of a sign-in against the Clio
// emulator over real HTTP: login (the test plays the browser), token
// exchange, an API call, token expiry → 401 → refresh → retried call, a
// second refresh (with a request body replayed), and revoke, after which
// calls fail with a *clio.AuthError.
func TestOAuthEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	port := freePort(t)
	emu := newEmulator(t, port, nil)
	cfg := testConfig(emu.URL, port)

	b := &browser{t: t}
	tok, err := Login(ctx, cfg, b.open, nil)
	if err != nil {
		t.Fatalf("Login() error = %v", err)
	}
	q := b.authURL.Query()
	for k, want := range map[string]string{
		"response_type": "code", "client_id": testClientID, "redirect_on_decline": "true",
		"redirect_uri": "http://127.0.0.1:" + itoa(port) + "/callback",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("authorize URL %s = %q, want %q", k, got, want)
		}
	}
	if len(q.Get("state")) < 40 {
		t.Errorf("authorize URL state = %q, want >= 32 random bytes", q.Get("state"))
	}
	if b.authURL.Path != "/oauth/authorize" {
		t.Errorf("authorize URL path = %q, want /oauth/authorize", b.authURL.Path)
	}
	if status, page := b.result(); status != http.StatusOK || !containsAll(page, "connected to Clio", "close this tab") {
		t.Errorf("success page = %d %q", status, page)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Region != "US" || tok.ClientID != testClientID {
		t.Fatalf("Login() token = %+v, want access, refresh, region US, client id", tok)
	}
	if d := time.Until(tok.Expiry); d < 29*24*time.Hour || d > 31*24*time.Hour {
		t.Errorf("token expiry in %s, want about 30 days (expires_in)", d)
	}
	exchange := findRequest(t, emu, http.MethodPost, "/oauth/token")
	for _, want := range []string{"grant_type=authorization_code", "client_secret=" + testSecret, "client_id=" + testClientID} {
		if !containsAll(string(exchange.Body), want) {
			t.Errorf("token exchange body %q lacks %q", exchange.Body, want)
		}
	}

	store := &memStore{}
	if err := store.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	hc, err := NewHTTPClient(ctx, cfg, store, nil)
	if err != nil {
		t.Fatalf("NewHTTPClient() error = %v", err)
	}
	c, err := clio.NewClient(hc, cfg.APIBase())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Users.WhoAmI(ctx); err != nil {
		t.Fatalf("WhoAmI() error = %v", err)
	}

	// Expiry: 401 invalid_token → one refresh → the call is retried.
	emu.ExpireTokens()
	if _, _, err := c.Users.WhoAmI(ctx); err != nil {
		t.Fatalf("WhoAmI() after expiry error = %v", err)
	}
	first, saves := store.get()
	if saves != 2 || first.AccessToken == tok.AccessToken {
		t.Fatalf("after the first refresh: saves = %d, token changed = %v; want 2, true", saves, first.AccessToken != tok.AccessToken)
	}
	if first.RefreshToken != tok.RefreshToken || first.Region != "US" || first.ClientID != testClientID {
		t.Errorf("refreshed token = %+v, want the old refresh token, region and client id kept", first)
	}
	if n := emu.count(http.MethodGet, "/api/v4/users/who_am_i.json", http.StatusUnauthorized); n != 1 {
		t.Errorf("who_am_i 401s = %d, want 1", n)
	}

	// Second expiry, on a POST: its body must be sent again after refresh.
	emu.ExpireTokens()
	firm := fake.SampleFirm()
	m := firm.Matters[0]
	comm, _, err := c.Communications.Create(ctx, &clio.CommunicationCreate{
		Type: clio.CommunicationPhone, Subject: "Inbound call", Body: "Duration 00:01:00.",
		ReceivedAt: time.Date(2026, 5, 4, 14, 3, 0, 0, time.UTC), Matter: &clio.IDRef{ID: m.ID},
		Senders:   []clio.Participant{{ID: m.Client.ID, Type: clio.ParticipantContact}},
		Receivers: []clio.Participant{{ID: firm.Users[0].ID, Type: clio.ParticipantUser}},
	})
	if err != nil {
		t.Fatalf("Communications.Create() after the second expiry error = %v", err)
	}
	if comm.ID == 0 || len(emu.Communications()) != 1 {
		t.Errorf("created communication %+v; server has %d, want 1", comm, len(emu.Communications()))
	}
	second, saves := store.get()
	if saves != 3 || second.AccessToken == first.AccessToken {
		t.Errorf("after the second refresh: saves = %d, token changed = %v; want 3, true", saves, second.AccessToken != first.AccessToken)
	}
	if n := emu.count(http.MethodPost, "/oauth/token", http.StatusOK); n != 3 {
		t.Errorf("successful /oauth/token calls = %d, want 3 (exchange + 2 refreshes)", n)
	}

	// Revoke: every later call fails, the refresh too → *clio.AuthError.
	if err := Revoke(ctx, cfg, &second); err != nil {
		t.Fatalf("Revoke() error = %v", err)
	}
	dea := findRequest(t, emu, http.MethodPost, "/oauth/deauthorize")
	if dea.Header.Get("Authorization") != "Bearer "+second.AccessToken || string(dea.Body) != "token="+second.AccessToken {
		t.Errorf("deauthorize request = %q %q, want bearer and token= of the access token", dea.Header.Get("Authorization"), dea.Body)
	}
	_, _, err = c.Users.WhoAmI(ctx)
	ae, ok := asAuthError(err)
	if !ok || ae.StatusCode != http.StatusUnauthorized || ae.Code != "invalid_grant" {
		t.Fatalf("WhoAmI() after revoke error = %v, want *clio.AuthError 401 invalid_grant", err)
	}
	if clio.IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = true, want false (sign in again, then retry)", err)
	}
	if _, saves := store.get(); saves != 3 {
		t.Errorf("saves after a failed refresh = %d, want 3", saves)
	}
	if err := Revoke(ctx, cfg, &second); err == nil {
		t.Errorf("Revoke() of a revoked token error = nil, want an error")
	} else if ae, ok := asAuthError(err); !ok || ae.StatusCode != http.StatusUnauthorized {
		t.Errorf("Revoke() of a revoked token error = %v, want *clio.AuthError 401", err)
	}
}

// TestRefreshBeforeExpiry: a token within RefreshMargin of its expiry is
// refreshed before the request, so Clio never answers 401.
func TestRefreshBeforeExpiry(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	port := freePort(t)
	emu := newEmulator(t, port, func(o *fake.Options) { o.TokenTTL = time.Hour })
	cfg := testConfig(emu.URL, port)
	tok := login(t, ctx, cfg)
	store := &memStore{tok: tok}
	src, err := NewTokenSource(ctx, cfg, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	src.now = func() time.Time { return time.Now().Add(time.Hour - RefreshMargin + time.Second) }
	got, err := src.Token(ctx)
	if err != nil {
		t.Fatalf("Token() error = %v", err)
	}
	if got.AccessToken == tok.AccessToken {
		t.Fatalf("Token() within the margin did not refresh")
	}
	if saved, saves := store.get(); saves != 1 || saved.AccessToken != got.AccessToken {
		t.Errorf("store after refresh = %d saves, %v; want the refreshed token saved", saves, saved.AccessToken == got.AccessToken)
	}
	src.now = time.Now
	again, err := src.Token(ctx)
	if err != nil || again.AccessToken != got.AccessToken {
		t.Errorf("Token() again = %v, %v; want the same token without a refresh", again, err)
	}
}

// TestConcurrentRefreshOnce: many requests that all hit the expired token
// cause one refresh.
func TestConcurrentRefreshOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	port := freePort(t)
	emu := newEmulator(t, port, nil)
	cfg := testConfig(emu.URL, port)
	store := &memStore{tok: login(t, ctx, cfg)}
	hc, err := NewHTTPClient(ctx, cfg, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := clio.NewClient(hc, cfg.APIBase())
	emu.ExpireTokens()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			if _, _, err := c.Users.WhoAmI(ctx); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("WhoAmI() error = %v", err)
	}
	if n := emu.count(http.MethodPost, "/oauth/token", 0); n != 2 {
		t.Errorf("/oauth/token calls = %d, want 2 (exchange + one refresh)", n)
	}
}

// TestRefreshUnreachable: when the token endpoint cannot be reached the
// error is not an auth error (worth retrying), and nothing is saved.
func TestRefreshUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cfg := testConfig("http://127.0.0.1:"+itoa(freePort(t)), freePort(t))
	store := &memStore{tok: &Token{AccessToken: "a", RefreshToken: "r", Expiry: time.Now().Add(-time.Minute), Region: "US"}}
	src, err := NewTokenSource(ctx, cfg, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(ctx)
	if err == nil {
		t.Fatal("Token() error = nil, want a network error")
	}
	if _, ok := asAuthError(err); ok {
		t.Errorf("Token() error = %v, want no *clio.AuthError for an unreachable server", err)
	}
	if _, saves := store.get(); saves != 0 {
		t.Errorf("saves = %d, want 0", saves)
	}
}

// TestTransportNoReplay: a 401 on a request whose body cannot be replayed
// is returned as is, without a refresh.
func TestTransportNoReplay(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	port := freePort(t)
	emu := newEmulator(t, port, nil)
	cfg := testConfig(emu.URL, port)
	store := &memStore{tok: login(t, ctx, cfg)}
	hc, err := NewHTTPClient(ctx, cfg, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	emu.ExpireTokens()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, emu.URL+"/api/v4/communications.json", &onceReader{s: `{"data":{}}`})
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("Do() error = %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401 passed through", resp.StatusCode)
	}
	if n := emu.count(http.MethodPost, "/oauth/token", 0); n != 1 {
		t.Errorf("/oauth/token calls = %d, want 1 (no refresh)", n)
	}
}

func TestNewTokenSourceErrors(t *testing.T) {
	ctx := t.Context()
	cfg := testConfig("http://127.0.0.1:1", 0)
	tests := []struct {
		name  string
		store *memStore
		cfg   Config
		want  error
	}{
		{"no token", &memStore{}, cfg, ErrNoToken},
		{"other region", &memStore{tok: &Token{AccessToken: "a", Region: "EU"}}, cfg, ErrConfig},
		{"no client id", &memStore{tok: &Token{AccessToken: "a"}}, Config{Region: clio.US}, ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewTokenSource(ctx, tt.cfg, tt.store, nil)
			if !errors.Is(err, tt.want) {
				t.Errorf("NewTokenSource() error = %v, want %v", err, tt.want)
			}
		})
	}
}

// onceReader is a body without GetBody.
type onceReader struct {
	s string
	i int
}

func (r *onceReader) Read(p []byte) (int, error) {
	if r.i >= len(r.s) {
		return 0, io.EOF
	}
	n := copy(p, r.s[r.i:])
	r.i += n
	return n, nil
}

func findRequest(t *testing.T, emu *emulator, method, path string) fake.Request {
	t.Helper()
	for _, r := range emu.Requests() {
		if r.Method == method && r.Path == path {
			return r
		}
	}
	t.Fatalf("no %s %s request", method, path)
	return fake.Request{}
}

func itoa(n int) string { return strconv.Itoa(n) }
