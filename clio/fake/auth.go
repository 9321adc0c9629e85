package fake

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

const invalidTokenDescription = "The access token provided is expired, revoked, malformed or invalid for other reasons."

// authorize checks the bearer token and writes Clio's 401 shapes: the
// standard error object when no Authorization header is sent, the RFC 6750
// shape with WWW-Authenticate when the token is wrong, expired or revoked.
// 401s carry no rate headers. It returns the token (the rate-limit key).
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{
			"error": map[string]string{"type": "UnauthorizedError", "message": "User is not authorized"},
		})
		return "", false
	}
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if ok && strings.EqualFold(scheme, "Bearer") && token != "" && s.tokenValid(token) {
		return token, true
	}
	writeInvalidToken(w)
	return "", false
}

// tokenValid reports whether token is the static Options.Token or an issued
// access token that has neither expired nor been revoked.
func (s *Server) tokenValid(token string) bool {
	if s.opts.Token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.Token)) == 1 {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[token]
	return ok && !t.Revoked && s.now().Before(t.Expires)
}

// writeInvalidToken writes the RFC 6750 401 Clio sends for a bad token.
func writeInvalidToken(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="Clio", error="invalid_token"`)
	writeJSON(w, http.StatusUnauthorized, map[string]string{
		"error":             "invalid_token",
		"error_description": invalidTokenDescription,
	})
}

// API versions the fake accepts (X-API-VERSION), and the default.
const (
	defaultVersion = "4.0.9"
	minPatch       = 4
	maxPatch       = 13
)

var versionPattern = regexp.MustCompile(`^4\.(\d+)\.(\d+)$`)

// apiVersion validates an X-API-VERSION header value; an empty value means
// the default. Anything else than 4.0.4 … 4.0.13 is 410 Gone.
func apiVersion(h string) (string, *apiError) {
	h = strings.TrimSpace(h)
	if h == "" {
		return defaultVersion, nil
	}
	m := versionPattern.FindStringSubmatch(h)
	gone := &apiError{Status: http.StatusGone, Type: "GoneError",
		Message: fmt.Sprintf("API version %q is not supported", h)}
	if m == nil {
		return "", gone
	}
	minor, err1 := strconv.Atoi(m[1])
	patch, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil || minor != 0 || patch < minPatch || patch > maxPatch {
		return "", gone
	}
	return h, nil
}
