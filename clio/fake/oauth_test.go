package fake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

const (
	testClientID     = "client-abc"
	testClientSecret = "secret-xyz"
	testRedirect     = "http://127.0.0.1:53682/callback"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func oauthOptions(c *clock) Options {
	return Options{
		Clients: map[string]OAuthClient{testClientID: {Secret: testClientSecret, RedirectURIs: []string{testRedirect}}},
		Now:     c.Now,
	}
}

// noRedirect is a client that returns 3xx responses instead of following.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type rawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

func do(t *testing.T, req *http.Request) rawResponse {
	t.Helper()
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s error = %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return rawResponse{Status: res.StatusCode, Header: res.Header, Body: b}
}

func authorizeURL(base string, q map[string]string) string {
	v := url.Values{}
	for k, x := range q {
		v.Set(k, x)
	}
	return base + "/oauth/authorize?" + v.Encode()
}

// browse plays the browser step: GET /oauth/authorize.
func browse(t *testing.T, u string) rawResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return do(t, req)
}

func postForm(t *testing.T, u string, form url.Values, bearer string) rawResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return do(t, req)
}

type tokenReply struct {
	TokenType    string `json:"token_type"`
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Error        string `json:"error"`
}

func decodeToken(t *testing.T, r rawResponse) tokenReply {
	t.Helper()
	var tr tokenReply
	if err := json.Unmarshal(r.Body, &tr); err != nil {
		t.Fatalf("token body %q: %v", r.Body, err)
	}
	return tr
}

// login runs authorize + code exchange and returns the token reply.
func login(t *testing.T, base string) tokenReply {
	t.Helper()
	r := browse(t, authorizeURL(base, map[string]string{
		"response_type": "code", "client_id": testClientID, "redirect_uri": testRedirect, "state": "st-1",
	}))
	if r.Status != http.StatusFound {
		t.Fatalf("authorize status = %d, body %s, want 302", r.Status, r.Body)
	}
	loc, err := url.Parse(r.Header.Get("Location"))
	if err != nil {
		t.Fatalf("Location %q: %v", r.Header.Get("Location"), err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirect {
		t.Fatalf("redirect = %q, want %q", got, testRedirect)
	}
	if got := loc.Query().Get("state"); got != "st-1" {
		t.Errorf("state = %q, want st-1", got)
	}
	code := loc.Query().Get("code")
	if code == "" {
		t.Fatalf("redirect %s has no code", loc)
	}
	tr := postForm(t, base+"/oauth/token", url.Values{
		"client_id": {testClientID}, "client_secret": {testClientSecret}, "grant_type": {"authorization_code"},
		"code": {code}, "redirect_uri": {testRedirect},
	}, "")
	if tr.Status != http.StatusOK {
		t.Fatalf("token status = %d, body %s, want 200", tr.Status, tr.Body)
	}
	return decodeToken(t, tr)
}

func whoAmI(t *testing.T, base, token string) rawResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v4/users/who_am_i.json", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return do(t, req)
}

func wantInvalidToken(t *testing.T, r rawResponse) {
	t.Helper()
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("status = %d, body %s, want 401", r.Status, r.Body)
	}
	var body map[string]any
	_ = json.Unmarshal(r.Body, &body)
	if body["error"] != "invalid_token" || body["error_description"] != invalidTokenDescription {
		t.Errorf("401 body = %s, want the RFC 6750 invalid_token shape", r.Body)
	}
	if !strings.Contains(r.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("WWW-Authenticate = %q, want error=\"invalid_token\"", r.Header.Get("WWW-Authenticate"))
	}
}

func TestOAuthFullFlow(t *testing.T) {
	c := newClock()
	s, ts := newTestServer(t, oauthOptions(c))
	tok := login(t, ts.URL)
	if tok.TokenType != "bearer" || tok.AccessToken == "" || tok.RefreshToken == "" || tok.ExpiresIn != 30*24*3600 {
		t.Fatalf("token = %+v, want bearer, access and refresh tokens, expires_in 2592000", tok)
	}
	if r := whoAmI(t, ts.URL, tok.AccessToken); r.Status != http.StatusOK || !strings.Contains(string(r.Body), "Alex Morgan") {
		t.Fatalf("who_am_i with issued token = %d %s, want 200 Alex Morgan", r.Status, r.Body)
	}

	// Expiry by the clock.
	c.Advance(30*24*time.Hour + time.Second)
	wantInvalidToken(t, whoAmI(t, ts.URL, tok.AccessToken))

	// Refresh: a new access token, no new refresh token.
	refresh := func() tokenReply {
		t.Helper()
		r := postForm(t, ts.URL+"/oauth/token", url.Values{
			"client_id": {testClientID}, "client_secret": {testClientSecret},
			"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken},
		}, "")
		if r.Status != http.StatusOK {
			t.Fatalf("refresh status = %d, body %s, want 200", r.Status, r.Body)
		}
		return decodeToken(t, r)
	}
	tok2 := refresh()
	if tok2.AccessToken == "" || tok2.AccessToken == tok.AccessToken || tok2.RefreshToken != "" {
		t.Fatalf("refresh = %+v, want a new access token and no refresh_token", tok2)
	}
	if r := whoAmI(t, ts.URL, tok2.AccessToken); r.Status != http.StatusOK {
		t.Fatalf("who_am_i after refresh = %d, want 200", r.Status)
	}

	// ExpireTokens: 401, then the same refresh token works again.
	s.ExpireTokens()
	wantInvalidToken(t, whoAmI(t, ts.URL, tok2.AccessToken))
	tok3 := refresh()
	if r := whoAmI(t, ts.URL, tok3.AccessToken); r.Status != http.StatusOK {
		t.Fatalf("who_am_i after second refresh = %d, want 200", r.Status)
	}

	// Deauthorize revokes the token and its refresh token.
	if r := postForm(t, ts.URL+"/oauth/deauthorize", url.Values{"token": {tok3.AccessToken}}, tok3.AccessToken); r.Status != http.StatusOK || len(r.Body) != 0 {
		t.Fatalf("deauthorize = %d %q, want 200 and an empty body", r.Status, r.Body)
	}
	wantInvalidToken(t, whoAmI(t, ts.URL, tok3.AccessToken))
	r := postForm(t, ts.URL+"/oauth/token", url.Values{
		"client_id": {testClientID}, "client_secret": {testClientSecret},
		"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken},
	}, "")
	if r.Status != http.StatusBadRequest || decodeToken(t, r).Error != "invalid_grant" {
		t.Errorf("refresh after deauthorize = %d %s, want 400 invalid_grant", r.Status, r.Body)
	}
	// The deauthorize call needs a valid bearer token.
	wantInvalidToken(t, postForm(t, ts.URL+"/oauth/deauthorize", url.Values{"token": {tok3.AccessToken}}, tok3.AccessToken))
}

func TestOAuthAuthorizeErrors(t *testing.T) {
	c := newClock()
	_, ts := newTestServer(t, oauthOptions(c))
	for _, tc := range []struct {
		name       string
		q          map[string]string
		wantStatus int
		wantIn     string // in Location (302) or body (400)
	}{
		{"unknown client", map[string]string{"response_type": "code", "client_id": "nope", "redirect_uri": testRedirect}, 400, "invalid_client"},
		{"bad redirect", map[string]string{"response_type": "code", "client_id": testClientID, "redirect_uri": "http://127.0.0.1:9999/callback"}, 400, "invalid_redirect_uri"},
		{"redirect with other path", map[string]string{"response_type": "code", "client_id": testClientID, "redirect_uri": testRedirect + "/x"}, 400, "invalid_redirect_uri"},
		{"extra query allowed", map[string]string{"response_type": "code", "client_id": testClientID, "redirect_uri": testRedirect + "?id=123", "state": "s"}, 302, "id=123"},
		{"bad response type", map[string]string{"response_type": "token", "client_id": testClientID, "redirect_uri": testRedirect, "state": "s"}, 302, "error=unsupported_response_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := browse(t, authorizeURL(ts.URL, tc.q))
			if r.Status != tc.wantStatus {
				t.Fatalf("authorize(%v) status = %d, want %d (body %s)", tc.q, r.Status, tc.wantStatus, r.Body)
			}
			got := string(r.Body)
			if r.Status == http.StatusFound {
				got = r.Header.Get("Location")
			}
			if !strings.Contains(got, tc.wantIn) {
				t.Errorf("authorize(%v) = %q, want it to contain %q", tc.q, got, tc.wantIn)
			}
		})
	}
}

func TestOAuthDecline(t *testing.T) {
	c := newClock()
	opts := oauthOptions(c)
	opts.Decline = true
	_, ts := newTestServer(t, opts)
	q := map[string]string{"response_type": "code", "client_id": testClientID, "redirect_uri": testRedirect, "state": "st-9", "redirect_on_decline": "true"}
	r := browse(t, authorizeURL(ts.URL, q))
	if r.Status != http.StatusFound {
		t.Fatalf("declined authorize status = %d, want 302", r.Status)
	}
	loc, _ := url.Parse(r.Header.Get("Location"))
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "st-9" || loc.Query().Has("code") {
		t.Errorf("declined redirect = %s, want error=access_denied&state=st-9 and no code", loc)
	}
	delete(q, "redirect_on_decline")
	r = browse(t, authorizeURL(ts.URL, q))
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), "<title>Failure error=access_denied</title>") {
		t.Errorf("declined authorize without redirect_on_decline = %d %s, want 200 Failure error=access_denied page", r.Status, r.Body)
	}
}

func TestOAuthTokenErrors(t *testing.T) {
	c := newClock()
	_, ts := newTestServer(t, oauthOptions(c))
	code := func() string {
		r := browse(t, authorizeURL(ts.URL, map[string]string{"response_type": "code", "client_id": testClientID, "redirect_uri": testRedirect}))
		loc, _ := url.Parse(r.Header.Get("Location"))
		return loc.Query().Get("code")
	}
	exchange := func(form url.Values) rawResponse {
		return postForm(t, ts.URL+"/oauth/token", form, "")
	}
	base := func(code string) url.Values {
		return url.Values{"client_id": {testClientID}, "client_secret": {testClientSecret},
			"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect}}
	}

	t.Run("code reuse", func(t *testing.T) {
		cd := code()
		if r := exchange(base(cd)); r.Status != http.StatusOK {
			t.Fatalf("first exchange = %d %s, want 200", r.Status, r.Body)
		}
		r := exchange(base(cd))
		if r.Status != http.StatusBadRequest || decodeToken(t, r).Error != "invalid_grant" {
			t.Errorf("second exchange = %d %s, want 400 invalid_grant", r.Status, r.Body)
		}
	})
	t.Run("code expired", func(t *testing.T) {
		cd := code()
		c.Advance(10*time.Minute + time.Second)
		r := exchange(base(cd))
		if r.Status != http.StatusBadRequest || decodeToken(t, r).Error != "invalid_grant" {
			t.Errorf("late exchange = %d %s, want 400 invalid_grant", r.Status, r.Body)
		}
	})
	t.Run("basic auth", func(t *testing.T) {
		form := base(code())
		form.Del("client_id")
		form.Del("client_secret")
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/oauth/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(testClientID, testClientSecret)
		if r := do(t, req); r.Status != http.StatusOK {
			t.Errorf("exchange with Basic auth = %d %s, want 200", r.Status, r.Body)
		}
	})
	for _, tc := range []struct {
		name       string
		edit       func(url.Values)
		wantStatus int
		wantError  string
	}{
		{"wrong secret", func(f url.Values) { f.Set("client_secret", "nope") }, 401, "invalid_client"},
		{"unknown client", func(f url.Values) { f.Set("client_id", "nope") }, 401, "invalid_client"},
		{"redirect mismatch", func(f url.Values) { f.Set("redirect_uri", testRedirect+"?x=1") }, 400, "invalid_grant"},
		{"unknown code", func(f url.Values) { f.Set("code", "nope") }, 400, "invalid_grant"},
		{"no code", func(f url.Values) { f.Del("code") }, 400, "invalid_request"},
		{"password grant", func(f url.Values) { f.Set("grant_type", "password") }, 400, "unsupported_grant_type"},
		{"unknown refresh token", func(f url.Values) { f.Set("grant_type", "refresh_token"); f.Set("refresh_token", "nope") }, 400, "invalid_grant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := base(code())
			tc.edit(form)
			r := exchange(form)
			if r.Status != tc.wantStatus || decodeToken(t, r).Error != tc.wantError {
				t.Errorf("token(%v) = %d %s, want %d %s", form, r.Status, r.Body, tc.wantStatus, tc.wantError)
			}
		})
	}
}

func TestOAuthTokensSurviveRestart(t *testing.T) {
	c := newClock()
	opts := oauthOptions(c)
	opts.StatePath = filepath.Join(t.TempDir(), "state.json")
	s1, err := NewServer(sampleFirm(), opts)
	if err != nil {
		t.Fatalf("NewServer() error = %v", err)
	}
	ts1 := httpServer(t, s1)
	tok := login(t, ts1)
	if err := s1.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	s2, err := NewServer(sampleFirm(), opts)
	if err != nil {
		t.Fatalf("NewServer(restart) error = %v", err)
	}
	ts2 := httpServer(t, s2)
	if r := whoAmI(t, ts2, tok.AccessToken); r.Status != http.StatusOK {
		t.Errorf("who_am_i after restart = %d, want 200", r.Status)
	}
}

func TestNewServerOAuthOnly(t *testing.T) {
	c := newClock()
	s, err := NewServer(sampleFirm(), Options{Clients: oauthOptions(c).Clients})
	if err != nil {
		t.Fatalf("NewServer(clients only) error = %v", err)
	}
	only := httpServer(t, s)
	wantInvalidToken(t, whoAmI(t, only, ""))
	tok := login(t, only)
	if r := whoAmI(t, only, tok.AccessToken); r.Status != http.StatusOK {
		t.Errorf("who_am_i with issued token = %d, want 200", r.Status)
	}
	if _, err := NewServer(sampleFirm(), Options{Clients: map[string]OAuthClient{"x": {}}}); err == nil || errors.Is(err, ErrNoToken) {
		t.Errorf("NewServer(client without secret) error = %v, want a client error", err)
	}
}

// TestOAuthWithXOAuth2 runs the flow with golang.org/x/oauth2, the client
// library CallDocket uses, including its auth-style auto-detection.
func TestOAuthWithXOAuth2(t *testing.T) {
	c := newClock()
	_, ts := newTestServer(t, oauthOptions(c))
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleAutoDetect, oauth2.AuthStyleInParams, oauth2.AuthStyleInHeader} {
		t.Run(fmt.Sprint(style), func(t *testing.T) {
			conf := &oauth2.Config{
				ClientID: testClientID, ClientSecret: testClientSecret, RedirectURL: testRedirect,
				Endpoint: oauth2.Endpoint{AuthURL: ts.URL + "/oauth/authorize", TokenURL: ts.URL + "/oauth/token", AuthStyle: style},
			}
			r := browse(t, conf.AuthCodeURL("st-x", oauth2.SetAuthURLParam("redirect_on_decline", "true")))
			loc, _ := url.Parse(r.Header.Get("Location"))
			if loc.Query().Get("state") != "st-x" {
				t.Fatalf("redirect %s, want state st-x", loc)
			}
			tok, err := conf.Exchange(t.Context(), loc.Query().Get("code"))
			if err != nil {
				t.Fatalf("Exchange() error = %v", err)
			}
			if tok.RefreshToken == "" || tok.Type() != "Bearer" || tok.Expiry.IsZero() {
				t.Errorf("token = %+v, want a refresh token, Bearer and an expiry", tok)
			}
			tok.Expiry = time.Now().Add(-time.Minute) // force a refresh
			fresh, err := conf.TokenSource(t.Context(), tok).Token()
			if err != nil {
				t.Fatalf("refresh error = %v", err)
			}
			if fresh.AccessToken == tok.AccessToken || fresh.RefreshToken != tok.RefreshToken {
				t.Errorf("refreshed = %+v, want a new access token and the old refresh token kept", fresh)
			}
			if r := whoAmI(t, ts.URL, fresh.AccessToken); r.Status != http.StatusOK {
				t.Errorf("who_am_i with the refreshed token = %d, want 200", r.Status)
			}
		})
	}
}
