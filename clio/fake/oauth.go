package fake

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// OAuthClient is a Clio developer application: its secret and the exact
// redirect URIs it registered.
type OAuthClient struct {
	Secret       string
	RedirectURIs []string
}

const (
	// defaultTokenTTL is Clio Manage's access-token lifetime (30 days).
	defaultTokenTTL = 30 * 24 * time.Hour
	// codeTTL is how long an authorization code can be exchanged.
	codeTTL = 10 * time.Minute
)

// authCode is an authorization code from /oauth/authorize.
type authCode struct {
	ClientID    string
	RedirectURI string
	UserID      int64
	Expires     time.Time
	Used        bool
}

// accessToken is an issued access token.
type accessToken struct {
	ClientID string    `json:"client_id"`
	Refresh  string    `json:"refresh_token"`
	Expires  time.Time `json:"expires"`
	Revoked  bool      `json:"revoked,omitempty"`
}

// refreshGrant is a refresh token. Clio Manage refresh tokens never expire
// and do not rotate; they end when revoked.
type refreshGrant struct {
	ClientID string `json:"client_id"`
	Revoked  bool   `json:"revoked,omitempty"`
}

// randomToken returns n random bytes as hex.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// ExpireTokens makes every access token issued so far expire now, so the
// next API call with one gets 401 invalid_token. Refresh tokens keep
// working. Options.Token is not affected.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.tokens {
		if t.Expires.After(now) {
			t.Expires = now
		}
	}
}

// serveOAuth routes /oauth/authorize, /oauth/token and /oauth/deauthorize.
func (s *Server) serveOAuth(w http.ResponseWriter, r *http.Request, body []byte) {
	switch {
	case r.URL.Path == "/oauth/authorize" && r.Method == http.MethodGet:
		s.oauthAuthorize(w, r)
	case r.URL.Path == "/oauth/token" && r.Method == http.MethodPost:
		s.oauthToken(w, r, body)
	case r.URL.Path == "/oauth/deauthorize" && r.Method == http.MethodPost:
		s.oauthDeauthorize(w, r, body)
	default:
		writeError(w, errNotFound(fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path)))
	}
}

// oauthPage writes a small HTML page; Clio's failure page title is
// "Failure error=…".
func oauthPage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><html><head><title>%s</title></head><body><p>%s</p></body></html>\n",
		html.EscapeString(title), html.EscapeString(text))
}

// redirectAllowed reports whether uri is one of the client's registered
// redirect URIs. Extra query parameters on a registered URI without a
// query are allowed, as Clio allows them.
func redirectAllowed(c OAuthClient, uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Fragment != "" {
		return false
	}
	bare := *u
	bare.RawQuery = ""
	for _, reg := range c.RedirectURIs {
		if uri == reg || !strings.Contains(reg, "?") && bare.String() == reg {
			return true
		}
	}
	return false
}

// withQuery returns uri with params added to its query.
func withQuery(uri string, params url.Values) string {
	u, _ := url.Parse(uri) // checked by redirectAllowed
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// oauthAuthorize serves GET /oauth/authorize: the user (Users[0]) approves
// at once, unless Options.Decline.
func (s *Server) oauthAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientID, redirect := q.Get("client_id"), q.Get("redirect_uri")
	client, ok := s.opts.Clients[clientID]
	if clientID == "" || !ok {
		oauthPage(w, http.StatusBadRequest, "Failure error=invalid_client", "Client authentication failed: unknown client_id.")
		return
	}
	if !redirectAllowed(client, redirect) {
		oauthPage(w, http.StatusBadRequest, "Failure error=invalid_redirect_uri",
			"The redirect uri included is not valid.")
		return
	}
	reply := url.Values{}
	if q.Has("state") {
		reply.Set("state", q.Get("state"))
	}
	if q.Get("response_type") != "code" {
		reply.Set("error", "unsupported_response_type")
		http.Redirect(w, r, withQuery(redirect, reply), http.StatusFound)
		return
	}
	if s.opts.Decline {
		if q.Get("redirect_on_decline") != "true" {
			oauthPage(w, http.StatusOK, "Failure error=access_denied", "The user denied the request.")
			return
		}
		reply.Set("error", "access_denied")
		http.Redirect(w, r, withQuery(redirect, reply), http.StatusFound)
		return
	}
	code := randomToken(16)
	s.mu.Lock()
	s.codes[code] = &authCode{ClientID: clientID, RedirectURI: redirect, UserID: s.users[0].ID, Expires: s.now().Add(codeTTL)}
	s.mu.Unlock()
	reply.Set("code", code)
	http.Redirect(w, r, withQuery(redirect, reply), http.StatusFound)
}

// oauthError writes an RFC 6749 error response.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Clio"`)
	}
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// oauthToken serves POST /oauth/token for the authorization_code and
// refresh_token grants. Client credentials come from the form or from HTTP
// Basic auth.
func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request body is not a valid form.")
		return
	}
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if id, sec, ok := r.BasicAuth(); ok {
		clientID, secret = unescapeBasic(id), unescapeBasic(sec)
	}
	client, ok := s.opts.Clients[clientID]
	if clientID == "" || !ok || subtle.ConstantTimeCompare([]byte(secret), []byte(client.Secret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var refresh string
	switch form.Get("grant_type") {
	case "authorization_code":
		code, redirect := form.Get("code"), form.Get("redirect_uri")
		if code == "" || redirect == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "The request is missing a required parameter: code and redirect_uri.")
			return
		}
		c, ok := s.codes[code]
		if !ok || c.Used || !now.Before(c.Expires) || c.ClientID != clientID || c.RedirectURI != redirect {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.")
			return
		}
		c.Used = true
		refresh = randomToken(20)
		s.refreshes[refresh] = &refreshGrant{ClientID: clientID}
	case "refresh_token":
		refresh = form.Get("refresh_token")
		g, ok := s.refreshes[refresh]
		if refresh == "" || !ok || g.Revoked || g.ClientID != clientID {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.")
			return
		}
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request is missing a required parameter: grant_type.")
		return
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
		return
	}
	access := randomToken(20)
	s.tokens[access] = &accessToken{ClientID: clientID, Refresh: refresh, Expires: now.Add(s.opts.TokenTTL)}
	resp := map[string]any{
		"token_type":   "bearer",
		"access_token": access,
		"expires_in":   int64(s.opts.TokenTTL / time.Second),
	}
	if form.Get("grant_type") == "authorization_code" {
		resp["refresh_token"] = refresh // refresh answers keep the old one
	}
	if err := s.persistLocked(); err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", "The token could not be saved.")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

// unescapeBasic undoes the form escaping RFC 6749 §2.3.1 applies to Basic
// credentials.
func unescapeBasic(v string) string {
	if u, err := url.QueryUnescape(v); err == nil {
		return u
	}
	return v
}

// oauthDeauthorize serves POST /oauth/deauthorize: with a valid bearer
// token, it revokes the form's token and its grant (the refresh token and
// every access token issued from it). An unknown token= is not an error.
func (s *Server) oauthDeauthorize(w http.ResponseWriter, r *http.Request, body []byte) {
	if _, ok := s.authorize(w, r); !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("token") == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request is missing a required parameter: token.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[form.Get("token")]; ok {
		t.Revoked = true
		if g, ok := s.refreshes[t.Refresh]; ok {
			g.Revoked = true
		}
		for _, other := range s.tokens {
			if other.Refresh == t.Refresh {
				other.Revoked = true
			}
		}
		if err := s.persistLocked(); err != nil {
			oauthError(w, http.StatusInternalServerError, "server_error", "The revocation could not be saved.")
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}
