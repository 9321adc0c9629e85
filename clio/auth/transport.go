package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// NewHTTPClient returns a client for the API calls of the signed-in
// account: it sends the token from store, refreshes it before it expires
// and once after a 401 invalid_token (then retries the request once). When
// the refresh is refused its requests fail with a *clio.AuthError.
func NewHTTPClient(ctx context.Context, cfg Config, store TokenStore, logger *slog.Logger) (*http.Client, error) {
	src, err := NewTokenSource(ctx, cfg, store, logger)
	if err != nil {
		return nil, err
	}
	base := cfg.httpClient()
	return &http.Client{
		Transport: &Transport{Source: src, Base: base.Transport},
		Timeout:   base.Timeout,
	}, nil
}

// Transport is an http.RoundTripper that authorizes requests with the
// token from Source.
type Transport struct {
	Source *TokenSource
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
}

// maxPeek bounds the 401 body read to find its error code.
const maxPeek = 64 << 10

// RoundTrip sends req with the current token. On a 401 invalid_token it
// refreshes the token once and, if the body can be replayed (a nil body or
// req.GetBody), sends req again.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	tok, err := t.Source.Token(ctx)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := t.base().RoundTrip(authorized(req, tok.AccessToken, req.Body))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	if !invalidToken(resp) {
		return resp, nil
	}
	var body io.ReadCloser = http.NoBody
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return resp, nil // cannot replay: let the caller see the 401
		}
		b, err := req.GetBody()
		if err != nil {
			return resp, nil
		}
		body = b
	}
	fresh, err := t.Source.Refresh(ctx, tok.AccessToken)
	if err != nil {
		closeResp(resp)
		closeIfNotNoBody(body)
		return nil, err
	}
	closeResp(resp)
	return t.base().RoundTrip(authorized(req, fresh.AccessToken, body))
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// authorized clones req with the bearer token and body.
func authorized(req *http.Request, token string, body io.ReadCloser) *http.Request {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+token)
	r.Body = body
	return r
}

// invalidToken reports whether a 401 is Clio's RFC 6750 invalid_token (an
// expired, revoked or unknown token), from WWW-Authenticate or the body.
// It leaves resp.Body readable.
func invalidToken(resp *http.Response) bool {
	if strings.Contains(resp.Header.Get("WWW-Authenticate"), "invalid_token") {
		return true
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxPeek))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return false
	}
	var v struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(b, &v) != nil {
		return false
	}
	var code string
	return json.Unmarshal(v.Error, &code) == nil && code == "invalid_token"
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func closeIfNotNoBody(b io.ReadCloser) {
	if b != nil && b != http.NoBody {
		b.Close()
	}
}

func closeResp(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxPeek))
	resp.Body.Close()
}
