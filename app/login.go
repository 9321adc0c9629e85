package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
	envClientID     = "CALLDOCKET_CLIO_CLIENT_ID"
	envClientSecret = "CALLDOCKET_CLIO_CLIENT_SECRET"
	envClioURL      = "CALLDOCKET_CLIO_URL"
)

const (
	// loginTimeout bounds the wait for the user to approve in the browser.
	loginTimeout = 5 * time.Minute
	// logoutTimeout bounds the revoke call.
	logoutTimeout = 30 * time.Second
)

var (
	errNoClientID     = errors.New("no Clio client ID: pass --client-id or set " + envClientID + " (see \"Connecting to Clio\" in the README)")
	errNoClientSecret = errors.New("no Clio client secret: pass --client-secret or set " + envClientSecret + " (see \"Connecting to Clio\" in the README)")
)

// loginRequest is what the user asked for; empty fields fall back to the
// environment and then to the previous sign-in.
type loginRequest struct {
	Region       string // us|eu|ca|au
	ClientID     string
	ClientSecret string
	Port         int // 0: 53682
}

// loginResult says who signed in where.
type loginResult struct {
	Region   clio.Region
	ClientID string
	User     *clio.User
}

// cmdLogin implements
//
//	calldocket login [--region us|eu|ca|au] [--client-id ID] [--client-secret S] [--port 53682]
func cmdLogin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("login")
	var req loginRequest
	fs.StringVar(&req.Region, "region", "", "us, eu, ca or au")
	fs.StringVar(&req.ClientID, "client-id", "", "the Clio developer application's App Key")
	fs.StringVar(&req.ClientSecret, "client-secret", "", "the Clio developer application's App Secret")
	fs.IntVar(&req.Port, "port", 0, "loopback port of the registered redirect URI (default: settings, else 53682)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("login: unexpected argument %q", pos[0])
	}
	if req.Region != "" {
		if _, err := clio.ParseRegion(req.Region); err != nil {
			return usagef("login: --region %q: want us, eu, ca or au", req.Region)
		}
	}
	if req.Port < 0 || req.Port > 65535 || req.Port == 0 && portSet(fs) {
		return usagef("login: --port %d: want 1-65535", req.Port)
	}
	p, cfg, log, err := setup()
	if err != nil {
		return err
	}
	// Flags, then the environment, then Settings.
	req.ClientID = firstNonEmpty(req.ClientID, os.Getenv(envClientID), cfg.ClioClientID)
	req.Region = firstNonEmpty(req.Region, cfg.ClioRegion)
	if req.Port == 0 {
		req.Port = cfg.RedirectPort
	}
	ctx, cancel := context.WithTimeout(ctx, loginTimeout)
	defer cancel()
	open := func(u string) error {
		fmt.Fprintln(stderr, "Opening Clio in your browser to connect CallDocket…")
		if err := auth.OpenBrowser(ctx, u); err != nil {
			fmt.Fprintf(stderr, "Could not open a web browser (%v).\nOpen this address in your browser to continue:\n\n    %s\n\n", err, u)
		}
		fmt.Fprintln(stderr, "Waiting for you to approve CallDocket in Clio (Ctrl+C to cancel)…")
		return nil
	}
	res, err := connectClio(ctx, keychain.New(log), req, open, log)
	if errors.Is(err, errNoClientID) || errors.Is(err, errNoClientSecret) {
		return usagef("login: %v", err)
	}
	if err != nil {
		return err
	}
	cfg.ClioRegion, cfg.ClioClientID, cfg.RedirectPort = strings.ToLower(res.Region.Code), res.ClientID, req.Port
	cfg.SignedIn = true // from now on CallDocket works against Clio, not the Sandbox
	if err := saveConfig(p.config(), cfg); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Connected to Clio (%s) as %s\n", res.Region.Code, res.User.Name)
	return nil
}

// portSet reports whether --port was given.
func portSet(fs *flag.FlagSet) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "port" })
	return set
}

// connectClio runs the browser sign-in, stores the token and the client
// secret in the keychain and asks Clio who signed in. It is shared by
// `calldocket login` and Settings → Connect to Clio. Nothing is stored
// unless the sign-in succeeds, and the browser is not opened when there is
// no keychain to keep the result in.
func connectClio(ctx context.Context, kc *keychain.Store, req loginRequest, open func(string) error, log *slog.Logger) (loginResult, error) {
	store := kc.Tokens()
	prev, err := store.Load(ctx)
	if err != nil && !errors.Is(err, auth.ErrNoToken) {
		return loginResult{}, err
	}
	if prev == nil {
		prev = &auth.Token{}
	}
	code := firstNonEmpty(req.Region, prev.Region, clio.US.Code)
	region, err := clio.ParseRegion(code)
	if err != nil {
		return loginResult{}, err
	}
	samePrevRegion := prev.Region == "" || prev.Region == region.Code
	clientID := firstNonEmpty(req.ClientID, os.Getenv(envClientID))
	if clientID == "" && samePrevRegion {
		clientID = prev.ClientID
	}
	if clientID == "" {
		return loginResult{}, errNoClientID
	}
	secret := firstNonEmpty(req.ClientSecret, os.Getenv(envClientSecret))
	if secret == "" && samePrevRegion && clientID == prev.ClientID {
		secret, err = kc.Get(ctx, keychain.AccountClientSecret)
		if err != nil && !errors.Is(err, keychain.ErrNotFound) {
			return loginResult{}, err
		}
	}
	if secret == "" {
		return loginResult{}, errNoClientSecret
	}
	cfg := auth.Config{Region: region, BaseURL: clioURLOverride(), ClientID: clientID, ClientSecret: secret, RedirectPort: req.Port}
	tok, err := auth.Login(ctx, cfg, open, log)
	if err != nil {
		return loginResult{}, err
	}
	if err := store.Save(ctx, tok); err != nil {
		return loginResult{}, fmt.Errorf("save the clio token: %w", err)
	}
	if err := kc.Set(ctx, keychain.AccountClientSecret, secret); err != nil {
		return loginResult{}, fmt.Errorf("save the clio client secret: %w", err)
	}
	hc, err := auth.NewHTTPClient(ctx, cfg, store, log)
	if err != nil {
		return loginResult{}, err
	}
	c, err := clio.NewClient(hc, cfg.APIBase())
	if err != nil {
		return loginResult{}, err
	}
	user, _, err := c.Users.WhoAmI(ctx)
	if err != nil {
		return loginResult{}, fmt.Errorf("signed in, but asking Clio who you are failed: %w", err)
	}
	log.Info("connected to clio", "region", region.Code, "user_id", user.ID)
	return loginResult{Region: region, ClientID: clientID, User: user}, nil
}

// cmdLogout implements `calldocket logout`: it revokes the grant at Clio
// and deletes the token and the client secret from the keychain. The local
// secrets are deleted even when Clio cannot be reached.
func cmdLogout(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("logout")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("logout: unexpected argument %q", pos[0])
	}
	p, cfg, log, err := setup()
	if err != nil {
		return err
	}
	if cfg.SignedIn {
		cfg.SignedIn = false // back to the Sandbox next start, whatever happens below
		if err := saveConfig(p.config(), cfg); err != nil {
			return err
		}
	}
	kc := keychain.New(log)
	store := kc.Tokens()
	tok, err := store.Load(ctx)
	if err != nil && !errors.Is(err, auth.ErrNoToken) {
		return err
	}
	if tok == nil {
		if err := kc.Delete(ctx, keychain.AccountClientSecret); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "Not signed in to Clio.")
		return nil
	}
	region, err := clio.ParseRegion(firstNonEmpty(tok.Region, clio.US.Code))
	if err != nil {
		region = clio.US
	}
	revokeErr := revokeStored(ctx, kc, store, region, tok, log)
	if err := store.Delete(ctx); err != nil {
		return err
	}
	if err := kc.Delete(ctx, keychain.AccountClientSecret); err != nil {
		return err
	}
	if revokeErr != nil {
		fmt.Fprintf(stdout, "Could not revoke CallDocket's access at Clio (%v).\n", revokeErr)
		fmt.Fprintln(stdout, "You can also disconnect CallDocket inside Clio, in its settings for connected apps.")
	} else {
		fmt.Fprintf(stdout, "Revoked CallDocket's access to Clio (%s).\n", region.Code)
	}
	fmt.Fprintln(stdout, "Signed out: the Clio token and client secret are deleted from the OS keychain.")
	return nil
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

// clioFromKeychain builds the Clio client of the signed-in account from
// the keychain: the token (with its region and client ID) and the client
// secret. Its HTTP client refreshes and saves the token; once the refresh
// is refused, calls fail with a *clio.AuthError (401): "Sign-in needed".
// With nobody signed in the error wraps auth.ErrNoToken; without a
// keychain it is keychain.ErrNoKeychain. CALLDOCKET_CLIO_URL overrides the region's
// hosts. p and cfg are for later settings (a client ID kept in Config);
// today the client ID is stored with the token.
func clioFromKeychain(ctx context.Context, p Paths, cfg Config, log *slog.Logger) (*clio.Client, clio.Region, error) {
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
	return strings.TrimRight(os.Getenv(envClioURL), "/")
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
