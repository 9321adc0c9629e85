package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/calldocket/calldocket/clio"
)

// Revoke ends the grant of token at Clio (POST /oauth/deauthorize with the
// access token as bearer and as the form's token). Afterwards neither the
// access token nor the refresh token works. A 401 comes back as a
// *clio.AuthError (the token was already expired or revoked).
func Revoke(ctx context.Context, cfg Config, token *Token) error {
	if err := cfg.check(); err != nil {
		return err
	}
	if token == nil || token.AccessToken == "" {
		return fmt.Errorf("revoke the clio token: %w", ErrNoToken)
	}
	form := url.Values{"token": {token.AccessToken}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.OAuthBase()+"/deauthorize", strings.NewReader(form))
	if err != nil {
		return fmt.Errorf("revoke the clio token: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token.AccessToken)
	req.Header.Set("User-Agent", "CallDocket")
	resp, err := cfg.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("revoke the clio token: %w", err)
	}
	defer closeResp(resp)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxPeek))
	return fmt.Errorf("revoke the clio token: %w", responseError(resp.StatusCode, body))
}

// responseError maps an error answer of an OAuth endpoint: 401 and 403 to
// *clio.AuthError, anything else to *clio.APIError. It reads both of
// Clio's shapes, {"error":"code","error_description":"…"} and
// {"error":{"type":"…","message":"…"}}.
func responseError(status int, body []byte) error {
	var v struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
	}
	var code, desc string
	if json.Unmarshal(body, &v) == nil {
		desc = v.Description
		var obj struct{ Type, Message string }
		if json.Unmarshal(v.Error, &code) != nil && json.Unmarshal(v.Error, &obj) == nil {
			code, desc = obj.Type, obj.Message
		}
	}
	code, desc = clip(code), clip(desc)
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return &clio.AuthError{StatusCode: status, Code: code, Description: desc}
	}
	return &clio.APIError{StatusCode: status, Type: code, Message: desc}
}
