package home

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/auth"
	"github.com/calldocket/calldocket/keychain"
)

// Environment variables for the firm's Clio developer application.
const (
	EnvClientID     = "CALLDOCKET_CLIO_CLIENT_ID"
	EnvClientSecret = "CALLDOCKET_CLIO_CLIENT_SECRET"
	EnvClioURL      = "CALLDOCKET_CLIO_URL" // Clio's base URL; overrides the region's hosts
)

// logoutTimeout bounds the revoke call.
const logoutTimeout = 30 * time.Second

// The firm's Clio developer application is unknown: ConnectClio needs its
// client ID and secret (flags, environment, or the previous sign-in).
var (
	ErrNoClientID     = errors.New("no Clio client ID: pass --client-id or set " + EnvClientID + " (see \"Connecting to Clio\" in the README)")
	ErrNoClientSecret = errors.New("no Clio client secret: pass --client-secret or set " + EnvClientSecret + " (see \"Connecting to Clio\" in the README)")
)

// LoginRequest is what the user asked for (`calldocket login` or Settings
// → Connect to Clio); empty fields fall back to the environment and then
// to the previous sign-in.
type LoginRequest struct {
	Region       string // us|eu|ca|au
	ClientID     string
	ClientSecret string
	Port         int // 0: 53682
}

// LoginResult says who signed in where.
type LoginResult struct {
	Region   clio.Region
	ClientID string
	User     *clio.User
}

// ConnectClio runs the browser sign-in, stores the token and the client
// secret in the keychain and asks Clio who signed in. It is shared by
// `calldocket login` and Settings → Connect to Clio. Nothing is stored
// unless the sign-in succeeds, and the browser is not opened when there is
// no keychain to keep the result in.
func ConnectClio(ctx context.Context, kc *keychain.Store, req LoginRequest, open func(string) error, log *slog.Logger) (LoginResult, error) {
	store := kc.Tokens()
	prev, err := store.Load(ctx)
	if err != nil && !errors.Is(err, auth.ErrNoToken) {
		return LoginResult{}, err
	}
	if prev == nil {
		prev = &auth.Token{}
	}
	code := firstNonEmpty(req.Region, prev.Region, clio.US.Code)
	region, err := clio.ParseRegion(code)
	if err != nil {
		return LoginResult{}, err
	}
	samePrevRegion := prev.Region == "" || prev.Region == region.Code
	clientID := firstNonEmpty(req.ClientID, os.Getenv(EnvClientID))
	if clientID == "" && samePrevRegion {
		clientID = prev.ClientID
	}
	if clientID == "" {
		return LoginResult{}, ErrNoClientID
	}
	secret := firstNonEmpty(req.ClientSecret, os.Getenv(EnvClientSecret))
	if secret == "" && samePrevRegion && clientID == prev.ClientID {
		secret, err = kc.Get(ctx, keychain.AccountClientSecret)
		if err != nil && !errors.Is(err, keychain.ErrNotFound) {
			return LoginResult{}, err
		}
	}
	if secret == "" {
		return LoginResult{}, ErrNoClientSecret
	}
	cfg := auth.Config{Region: region, BaseURL: clioURLOverride(), ClientID: clientID, ClientSecret: secret, RedirectPort: req.Port}
	tok, err := auth.Login(ctx, cfg, open, log)
	if err != nil {
		return LoginResult{}, err
	}
	if err := store.Save(ctx, tok); err != nil {
		return LoginResult{}, fmt.Errorf("save the clio token: %w", err)
	}
	if err := kc.Set(ctx, keychain.AccountClientSecret, secret); err != nil {
		return LoginResult{}, fmt.Errorf("save the clio client secret: %w", err)
	}
	hc, err := auth.NewHTTPClient(ctx, cfg, store, log)
	if err != nil {
		return LoginResult{}, err
	}
	c, err := clio.NewClient(hc, cfg.APIBase())
	if err != nil {
		return LoginResult{}, err
	}
	user, _, err := c.Users.WhoAmI(ctx)
	if err != nil {
		return LoginResult{}, fmt.Errorf("signed in, but asking Clio who you are failed: %w", err)
	}
	log.Info("connected to clio", "region", region.Code, "user_id", user.ID)
	return LoginResult{Region: region, ClientID: clientID, User: user}, nil
}

// SignedOut says what SignOut did.
type SignedOut struct {
	WasSignedIn bool        // a token was stored
	Region      clio.Region // the token's region
	RevokeErr   error       // why Clio could not revoke the grant; the local secrets are gone anyway
}

// SignOut revokes CallDocket's grant at Clio and deletes the token and the
// client secret from the keychain. The local secrets are deleted even when
// Clio cannot be reached (SignedOut.RevokeErr says why); an error means
// the keychain failed. The settings are the caller's.
func SignOut(ctx context.Context, kc *keychain.Store, log *slog.Logger) (SignedOut, error) {
	store := kc.Tokens()
	tok, err := store.Load(ctx)
	if err != nil && !errors.Is(err, auth.ErrNoToken) {
		return SignedOut{}, err
	}
	if tok == nil {
		return SignedOut{}, kc.Delete(ctx, keychain.AccountClientSecret)
	}
	region, err := clio.ParseRegion(firstNonEmpty(tok.Region, clio.US.Code))
	if err != nil {
		region = clio.US
	}
	out := SignedOut{WasSignedIn: true, Region: region}
	out.RevokeErr = revokeStored(ctx, kc, store, region, tok, log)
	if err := store.Delete(ctx); err != nil {
		return out, err
	}
	if err := kc.Delete(ctx, keychain.AccountClientSecret); err != nil {
		return out, err
	}
	return out, nil
}

// revokeStored revokes tok at Clio, refreshing it first if it expired.
func revokeStored(ctx context.Context, kc *keychain.Store, store auth.TokenStore, region clio.Region, tok *auth.Token, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, logoutTimeout)
	defer cancel()
	secret, err := kc.Get(ctx, keychain.AccountClientSecret)
	if err != nil && !errors.Is(err, keychain.ErrNotFound) {
		log.Warn("read the clio client secret", "err", err)
	}
	cfg := auth.Config{Region: region, BaseURL: clioURLOverride(), ClientID: tok.ClientID, ClientSecret: secret}
	if src, err := auth.NewTokenSource(ctx, cfg, store, log); err == nil {
		if fresh, err := src.Token(ctx); err == nil {
			tok = fresh
		}
	}
	return auth.Revoke(ctx, cfg, tok)
}

// ClioFromKeychain builds the Clio client of the signed-in account from
// the keychain: the token (with its region and client ID) and the client
// secret. Its HTTP client refreshes and saves the token; once the refresh
// is refused, calls fail with a *clio.AuthError (401): "Sign-in needed".
// With nobody signed in the error wraps auth.ErrNoToken; without a
// keychain it is keychain.ErrNoKeychain. CALLDOCKET_CLIO_URL overrides
// the region's hosts. The client ID is stored with the token. log may be
// nil.
func ClioFromKeychain(ctx context.Context, log *slog.Logger) (*clio.Client, clio.Region, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	kc := keychain.New(log)
	store := kc.Tokens()
	tok, err := store.Load(ctx)
	if err != nil {
		return nil, clio.Region{}, err
	}
	region, err := clio.ParseRegion(firstNonEmpty(tok.Region, clio.US.Code))
	if err != nil {
		return nil, clio.Region{}, fmt.Errorf("stored clio token: %w", err)
	}
	secret, err := kc.Get(ctx, keychain.AccountClientSecret)
	if err != nil {
		if !errors.Is(err, keychain.ErrNotFound) {
			return nil, region, err
		}
		log.Warn("no clio client secret in the keychain; the token cannot be refreshed")
	}
	acfg := auth.Config{Region: region, BaseURL: clioURLOverride(), ClientID: tok.ClientID, ClientSecret: secret}
	hc, err := auth.NewHTTPClient(ctx, acfg, store, log.With("component", "clio-auth"))
	if err != nil {
		return nil, region, err
	}
	c, err := clio.NewClient(hc, acfg.APIBase())
	if err != nil {
		return nil, region, fmt.Errorf("create Clio client: %w", err)
	}
	return c, region, nil
}

// clioURLOverride is CALLDOCKET_CLIO_URL without a trailing slash.
func clioURLOverride() string {
	return strings.TrimRight(os.Getenv(EnvClioURL), "/")
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
