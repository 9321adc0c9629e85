package clio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// APIError is a non-2xx answer from Clio other than 401, 403 and 429. Type
// and Message come from Clio's {"error":{"type","message"}} body when it has
// one; a 422's validation detail is kept there.
// https://docs.developers.clio.com/api-reference/#section/Errors
type APIError struct {
	StatusCode int
	Type       string
	Message    string
}

func (e *APIError) Error() string {
	return "clio api error: " + describe(e.StatusCode, e.Type, e.Message)
}

// AuthError is a 401 or 403 from Clio. A 401 comes in two shapes: the
// OAuth one for a bad, expired or revoked token
// ({"error":"invalid_token","error_description":"…"}, with a
// WWW-Authenticate header) and Clio's own
// ({"error":{"type":"UnauthorizedError","message":"…"}}). Code holds the
// OAuth error code or Clio's error type, Description the matching text. A
// 401 calls for a token refresh or a new sign-in; a 403 means the
// application or user lacks a permission.
// https://docs.developers.clio.com/api-docs/authorization
type AuthError struct {
	StatusCode  int
	Code        string
	Description string
}

func (e *AuthError) Error() string {
	return "clio authorization error: " + describe(e.StatusCode, e.Code, e.Description)
}

// RateLimitError is a 429 from Clio, or a request the client refused to
// send because the last seen rate limit window was used up. RetryAfter is
// how long to wait (from Retry-After, else until Reset; zero when Clio gave
// no hint), Reset when the window ends (X-RateLimit-Reset) and Rate the
// last rate headers seen.
// https://docs.developers.clio.com/api-docs/rate-limits
type RateLimitError struct {
	RetryAfter time.Duration
	Reset      time.Time
	Rate       Rate
}

func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("clio rate limit reached: retry after %s", e.RetryAfter)
	}
	return "clio rate limit reached"
}

// invalidRequestError is a request the client refused to build or send
// because of its arguments; sending it again cannot succeed.
type invalidRequestError struct {
	msg string
}

func (e *invalidRequestError) Error() string { return "invalid clio request: " + e.msg }

// IsPermanent reports whether retrying the call that returned err cannot
// help: a 4xx from Clio other than 401 (refresh the token), 408 and 429, or
// arguments the client rejected before sending. Network errors, 5xx,
// rate limits and cancelled contexts are not permanent.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	var (
		apiErr  *APIError
		authErr *AuthError
		rateErr *RateLimitError
		reqErr  *invalidRequestError
	)
	switch {
	case errors.As(err, &rateErr):
		return false
	case errors.As(err, &authErr):
		return permanentStatus(authErr.StatusCode)
	case errors.As(err, &apiErr):
		return permanentStatus(apiErr.StatusCode)
	case errors.As(err, &reqErr):
		return true
	}
	return false
}

func permanentStatus(code int) bool {
	switch code {
	case http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return code >= 400 && code < 500
}

// describe renders "401 invalid_token: text" without empty parts.
func describe(status int, kind, text string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", status)
	if st := http.StatusText(status); st != "" && kind == "" {
		b.WriteString(" " + strings.ToLower(st))
	}
	if kind != "" {
		b.WriteString(" " + kind)
	}
	if text != "" {
		b.WriteString(": " + text)
	}
	return b.String()
}

// checkResponse maps a non-2xx response to a typed error; it reads (a
// bounded part of) the body of error responses only.
func checkResponse(resp *http.Response, now time.Time) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
	return parseError(resp.StatusCode, resp.Header, body, now)
}

// parseError builds the typed error for a non-2xx status, its headers and
// its body. It accepts both of Clio's error shapes, "error" as a string
// (OAuth) or as an object {type, message}, and bodies that are not JSON.
func parseError(status int, h http.Header, body []byte, now time.Time) error {
	kind, text := parseErrorBody(body)
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		if kind == "" || text == "" {
			code, desc := parseWWWAuthenticate(h.Get("WWW-Authenticate"))
			if kind == "" {
				kind = code
			}
			if text == "" {
				text = desc
			}
		}
		return &AuthError{StatusCode: status, Code: kind, Description: text}
	case http.StatusTooManyRequests:
		r, _, _ := parseRate(h)
		e := &RateLimitError{Reset: r.Reset, Rate: r}
		if d, ok := parseRetryAfter(h.Get(headerRetryAfter), now); ok {
			e.RetryAfter = d
		} else if r.Reset.After(now) {
			e.RetryAfter = min(r.Reset.Sub(now), maxRetryAfter)
		}
		return e
	}
	return &APIError{StatusCode: status, Type: kind, Message: text}
}

// parseErrorBody returns the error type or code and its message from
// {"error":{"type":…,"message":…}}, {"error":"code","error_description":…}
// or {"message":…}. Anything else yields empty strings.
func parseErrorBody(body []byte) (kind, text string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return "", ""
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return "", ""
	}
	if raw, ok := top["error"]; ok {
		var obj map[string]json.RawMessage
		if s, ok := jsonString(raw); ok {
			kind = s
		} else if err := json.Unmarshal(raw, &obj); err == nil {
			kind, _ = jsonString(obj["type"])
			text, _ = jsonString(obj["message"])
		}
	}
	if text == "" {
		text, _ = jsonString(top["error_description"])
	}
	if text == "" {
		text, _ = jsonString(top["message"])
	}
	return clean(kind), clean(text)
}

// jsonString decodes raw as a JSON string.
func jsonString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// maxErrorText bounds the error text kept from a response.
const maxErrorText = 500

// clean trims s, drops control characters and bounds its length.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			if r == '\n' || r == '\t' {
				return ' '
			}
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// parseWWWAuthenticate returns the error and error_description parameters
// of a Bearer challenge (RFC 6750 §3), e.g.
// `Bearer realm="api", error="invalid_token", error_description="…"`.
func parseWWWAuthenticate(h string) (code, desc string) {
	h = strings.TrimSpace(h)
	scheme, rest, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", ""
	}
	for rest != "" {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			break
		}
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			break
		}
		key := strings.ToLower(strings.TrimSpace(rest[:eq]))
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		var val string
		if strings.HasPrefix(rest, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(rest); i++ {
				ch := rest[i]
				if ch == '\\' && i+1 < len(rest) {
					i++
					b.WriteByte(rest[i])
					continue
				}
				if ch == '"' {
					break
				}
				b.WriteByte(ch)
			}
			val = b.String()
			if i < len(rest) {
				i++
			}
			rest = rest[i:]
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			val = strings.TrimSpace(rest[:end])
			rest = rest[end:]
		}
		switch key {
		case "error":
			code = clean(val)
		case "error_description":
			desc = clean(val)
		}
	}
	return code, desc
}
