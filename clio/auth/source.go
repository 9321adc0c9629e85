package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio"
	"golang.org/x/oauth2"
)

// RefreshMargin is how long before its expiry an access token is refreshed.
const RefreshMargin = 5 * time.Minute

// TokenSource hands out a valid access token for one signed-in Clio
// account: it refreshes the token RefreshMargin before it expires, or on
// demand after Clio refused it, and saves every refreshed token to the
// store. It is safe for concurrent use; concurrent refreshes collapse into
// one.
type TokenSource struct {
	cfg   Config
	store TokenStore
	log   *slog.Logger
	now   func() time.Time

	mu  sync.Mutex
	tok *Token
}

// NewTokenSource loads the stored token. It returns an error wrapping
// ErrNoToken when none is stored, and an error when the token belongs to
// another region than cfg.Region.
func NewTokenSource(ctx context.Context, cfg Config, store TokenStore, logger *slog.Logger) (*TokenSource, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	tok, err := store.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("load the clio token: %w", err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("load the clio token: %w", ErrNoToken)
	}
	if tok.Region != "" && cfg.Region.Code != "" && tok.Region != cfg.Region.Code {
		return nil, fmt.Errorf("%w: the stored clio token is for region %s, not %s", ErrConfig, tok.Region, cfg.Region.Code)
	}
	return &TokenSource{cfg: cfg, store: store, log: orDiscard(logger), now: time.Now, tok: tok}, nil
}

// Token returns the current token, refreshed first if it expires within
// RefreshMargin. The result must not be modified.
func (s *TokenSource) Token(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.tok.expiresWithin(RefreshMargin, s.now()) {
		return s.tok, nil
	}
	if err := s.refreshLocked(ctx); err != nil {
		if !s.tok.expiresWithin(0, s.now()) && !isAuthError(err) {
			// Not expired yet and Clio is merely unreachable: keep using it.
			s.log.Warn("refresh the clio token early failed; using the current one", "err", err)
			return s.tok, nil
		}
		return nil, err
	}
	return s.tok, nil
}

// Refresh gets a new access token after Clio refused the access token
// rejected (401 invalid_token). If the token changed since rejected was
// handed out (another request or process refreshed it), that newer token
// is used instead of refreshing again.
// A refusal by Clio is a *clio.AuthError with StatusCode 401.
func (s *TokenSource) Refresh(ctx context.Context, rejected string) (*Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.AccessToken != rejected {
		return s.tok, nil
	}
	// Another process (the tray app or a CLI command) may have refreshed.
	if stored, err := s.store.Load(ctx); err == nil && stored != nil && stored.AccessToken != "" &&
		stored.AccessToken != rejected && !stored.expiresWithin(RefreshMargin, s.now()) {
		s.log.Debug("using the clio token refreshed elsewhere")
		s.tok = stored
		return s.tok, nil
	}
	if err := s.refreshLocked(ctx); err != nil {
		return nil, err
	}
	return s.tok, nil
}

// refreshLocked runs the refresh grant and saves the result.
func (s *TokenSource) refreshLocked(ctx context.Context) error {
	if s.tok.RefreshToken == "" {
		return &clio.AuthError{StatusCode: http.StatusUnauthorized, Code: "invalid_grant", Description: "no refresh token is stored; sign in again"}
	}
	oc := s.cfg.oauth2Config()
	old := &oauth2.Token{AccessToken: s.tok.AccessToken, RefreshToken: s.tok.RefreshToken, Expiry: time.Unix(1, 0)}
	ot, err := oc.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, s.cfg.httpClient()), old).Token()
	if err != nil {
		err = tokenError(err)
		s.log.Warn("refresh the clio token failed", "err", err)
		return fmt.Errorf("refresh the clio token: %w", err)
	}
	tok := fromOAuth2(ot, *s.tok)
	if tok.Region == "" {
		tok.Region = s.cfg.Region.Code
	}
	if tok.ClientID == "" {
		tok.ClientID = s.cfg.ClientID
	}
	s.tok = tok
	s.log.Info("refreshed the clio token", "expiry", tok.Expiry.Format(time.RFC3339))
	if err := s.store.Save(ctx, tok); err != nil {
		// The refreshed token still works in this process, and Clio
		// Manage refresh tokens stay valid, so the next run can refresh
		// again.
		s.log.Error("save the refreshed clio token failed", "err", err)
	}
	return nil
}

// tokenError turns an OAuth error answer from /oauth/token (4xx, e.g.
// invalid_grant after a revoke) into a *clio.AuthError with StatusCode 401,
// which the app reads as "sign-in needed". Network errors and 5xx stay as
// they are: they are worth retrying.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return err
	}
	status := re.Response.StatusCode
	if status < 400 || status >= 500 {
		return err
	}
	code, desc := re.ErrorCode, re.ErrorDescription
	if code == "" {
		code = "invalid_grant"
	}
	if desc == "" {
		desc = fmt.Sprintf("the clio token endpoint answered %d", status)
	}
	return &clio.AuthError{StatusCode: http.StatusUnauthorized, Code: clip(code), Description: clip(desc)}
}

func isAuthError(err error) bool {
	var ae *clio.AuthError
	return errors.As(err, &ae)
}
