package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/auth"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/keychain"
	"github.com/calldocket/calldocket/settings"
)

const (
	// loginTimeout bounds the wait for the user to approve in the browser.
	loginTimeout = 5 * time.Minute
)

// Login implements
//
//	calldocket login [--region us|eu|ca|au] [--client-id ID] [--client-secret S] [--port 53682]
func Login(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("login")
	var req home.LoginRequest
	fs.StringVar(&req.Region, "region", "", "us, eu, ca or au")
	fs.StringVar(&req.ClientID, "client-id", "", "the Clio developer application's App Key")
	fs.StringVar(&req.ClientSecret, "client-secret", "", "the Clio developer application's App Secret")
	fs.IntVar(&req.Port, "port", 0, "loopback port of the registered redirect URI (default: settings, else 53682)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return Usagef("login: unexpected argument %s", show(pos[0]))
	}
	if req.Region != "" {
		if _, err := clio.ParseRegion(req.Region); err != nil {
			return Usagef("login: --region %s: want us, eu, ca or au", show(req.Region))
		}
	}
	if req.Port < 0 || req.Port > 65535 || req.Port == 0 && portSet(fs) {
		return Usagef("login: --port %d: want 1-65535", req.Port)
	}
	p, cfg, log, err := home.Setup()
	if err != nil {
		return err
	}
	// Flags, then the environment, then Settings.
	req.ClientID = firstNonEmpty(req.ClientID, os.Getenv(home.EnvClientID), cfg.ClioClientID)
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
	res, err := home.ConnectClio(ctx, keychain.New(log), req, open, log)
	if errors.Is(err, home.ErrNoClientID) || errors.Is(err, home.ErrNoClientSecret) {
		return Usagef("login: %v", err)
	}
	if err != nil {
		return err
	}
	cfg.ClioRegion, cfg.ClioClientID, cfg.RedirectPort = strings.ToLower(res.Region.Code), res.ClientID, req.Port
	cfg.SignedIn = true // from now on CallDocket works against Clio, not the Sandbox
	if err := settings.Save(p.ConfigFile(), cfg); err != nil {
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

// Logout implements `calldocket logout`: back to the Sandbox next
// start, and home.SignOut.
func Logout(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("logout")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return Usagef("logout: unexpected argument %s", show(pos[0]))
	}
	p, cfg, log, err := home.Setup()
	if err != nil {
		return err
	}
	if cfg.SignedIn {
		cfg.SignedIn = false // back to the Sandbox next start, whatever happens below
		if err := settings.Save(p.ConfigFile(), cfg); err != nil {
			return err
		}
	}
	out, err := home.SignOut(ctx, keychain.New(log), log)
	if err != nil {
		return err
	}
	if !out.WasSignedIn {
		fmt.Fprintln(stdout, "Not signed in to Clio.")
		return nil
	}
	if out.RevokeErr != nil {
		fmt.Fprintf(stdout, "Could not revoke CallDocket's access at Clio (%v).\n", out.RevokeErr)
		fmt.Fprintln(stdout, "You can also disconnect CallDocket inside Clio, in its settings for connected apps.")
	} else {
		fmt.Fprintf(stdout, "Revoked CallDocket's access to Clio (%s).\n", out.Region.Code)
	}
	fmt.Fprintln(stdout, "Signed out: the Clio token and client secret are deleted from the OS keychain.")
	return nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
