package home

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/settings"
)

// Mode is how CallDocket is connected to Clio.
type Mode string

const (
	ModeSandbox   Mode = "sandbox"   // the embedded emulator with a sample firm
	ModeConnected Mode = "connected" // a real (or Clio-compatible) server
)

// Backend is the Clio server CallDocket talks to, and who it talks as.
type Backend struct {
	Mode    Mode
	BaseURL string
	Client  *clio.Client
	// signIn is why no Client could be built (no token, no keychain): the
	// app shows "Sign-in needed" and keeps queueing (see Ready).
	signIn error

	token    string
	emulator *fake.Server // set when this process serves the sandbox
	httpSrv  *http.Server // idem
	endpoint string       // sandbox endpoint file, removed on close if ours
}

// sandboxEndpoint is where a running sandbox emulator can be reached; other
// CallDocket processes of the same user (the CLI) use it.
type sandboxEndpoint struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

// ModeFor decides, without touching the network or the keychain, whether
// this run works against Clio or the Sandbox: --sandbox wins; then a token or
// URL in the environment, or a connected account in the settings, mean Clio.
func ModeFor(cfg settings.Settings, forceSandbox bool) Mode {
	switch {
	case forceSandbox:
		return ModeSandbox
	case os.Getenv("CALLDOCKET_CLIO_TOKEN") != "", os.Getenv(EnvClioURL) != "", cfg.SignedIn:
		return ModeConnected
	}
	return ModeSandbox
}

// ErrSignInNeeded: connected mode without usable credentials. Calls keep
// queueing; delivery waits for `calldocket login`.
var ErrSignInNeeded = errors.New("sign-in needed: run 'calldocket login' or use Settings → Connect to Clio; calls keep queueing meanwhile")

// OpenBackend picks the Clio server:
//   - CALLDOCKET_CLIO_TOKEN (with CALLDOCKET_CLIO_URL, default US): that
//     server, that token, no keychain;
//   - a connected account (or CALLDOCKET_CLIO_URL alone): the token in the
//     OS keychain, refreshed as needed;
//   - otherwise (or with --sandbox) Sandbox mode: the running app's emulator
//     if one answers, else one served by this process on 127.0.0.1.
func OpenBackend(ctx context.Context, p Paths, cfg settings.Settings, forceSandbox bool, log *slog.Logger) (*Backend, error) {
	if ModeFor(cfg, forceSandbox) == ModeSandbox {
		return openSandbox(ctx, p, log)
	}
	base := strings.TrimRight(os.Getenv(EnvClioURL), "/")
	if base != "" {
		if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("CALLDOCKET_CLIO_URL %q is not an http(s) URL", base)
		}
	}
	if token := os.Getenv("CALLDOCKET_CLIO_TOKEN"); token != "" {
		if base == "" {
			base = clio.US.APIBase
		}
		return newBackend(ctx, ModeConnected, base, token)
	}
	c, region, err := ClioFromKeychain(ctx, log)
	if err != nil {
		return &Backend{Mode: ModeConnected, signIn: err}, nil
	}
	return &Backend{Mode: ModeConnected, BaseURL: firstNonEmpty(base, region.APIBase), Client: c}, nil
}

func newBackend(ctx context.Context, mode Mode, base, token string) (*Backend, error) {
	c, err := clio.NewClient(clio.TokenHTTPClient(ctx, token), base)
	if err != nil {
		return nil, fmt.Errorf("create Clio client: %w", err)
	}
	return &Backend{Mode: mode, BaseURL: base, Client: c, token: token}, nil
}

func openSandbox(ctx context.Context, p Paths, log *slog.Logger) (*Backend, error) {
	dir := p.Sandbox()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create sandbox folder: %w", err)
	}
	epPath := filepath.Join(dir, "endpoint.json")
	if b, err := os.ReadFile(epPath); err == nil {
		var ep sandboxEndpoint
		if json.Unmarshal(b, &ep) == nil && ep.URL != "" && sandboxAlive(ctx, ep) {
			return newBackend(ctx, ModeSandbox, ep.URL, ep.Token)
		}
	}
	token, err := randomHex(24)
	if err != nil {
		return nil, err
	}
	ignoreFilter, err := fake.IgnoreExternalFilterFromEnv()
	if err != nil {
		return nil, fmt.Errorf("start the Clio sandbox: %w", err)
	}
	emu, err := fake.NewServer(fake.SampleFirm(), fake.Options{
		Token:                token,
		StatePath:            filepath.Join(dir, "clio-state.json"),
		Lenient:              true, // like real Clio, the Sandbox drops unknown keys
		Logger:               log.With("component", "sandbox"),
		IgnoreExternalFilter: ignoreFilter, // tests: a server that ignores lookup filters
	})
	if err != nil {
		return nil, fmt.Errorf("start the Clio sandbox: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		emu.Close()
		return nil, fmt.Errorf("start the Clio sandbox: %w", err)
	}
	srv := &http.Server{Handler: emu.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("sandbox server stopped", "err", err)
		}
	}()
	ep := sandboxEndpoint{URL: "http://" + ln.Addr().String(), Token: token, PID: os.Getpid()}
	b, _ := json.Marshal(ep)
	if err := settings.WritePrivate(epPath, b); err != nil {
		srv.Close()
		emu.Close()
		return nil, err
	}
	be, err := newBackend(ctx, ModeSandbox, ep.URL, token)
	if err != nil {
		srv.Close()
		emu.Close()
		return nil, err
	}
	be.emulator, be.httpSrv, be.endpoint = emu, srv, epPath
	return be, nil
}

func sandboxAlive(ctx context.Context, ep sandboxEndpoint) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c, err := clio.NewClient(clio.TokenHTTPClient(ctx, ep.Token), ep.URL)
	if err != nil {
		return false
	}
	_, _, err = c.Users.WhoAmI(ctx)
	return err == nil
}

// Ready says whether calls can be delivered: nil, or ErrSignInNeeded with
// why.
func (b *Backend) Ready() error {
	if b.Client == nil {
		return fmt.Errorf("%w (%v)", ErrSignInNeeded, b.signIn)
	}
	return nil
}

// Close stops the emulator this process serves, if any.
func (b *Backend) Close(ctx context.Context) {
	if b.httpSrv == nil {
		return
	}
	_ = b.httpSrv.Shutdown(ctx)
	if err := b.emulator.Close(); err != nil {
		slog.Default().Warn("save sandbox state", "err", err)
	}
	if bs, err := os.ReadFile(b.endpoint); err == nil {
		var ep sandboxEndpoint
		if json.Unmarshal(bs, &ep) == nil && ep.PID == os.Getpid() {
			os.Remove(b.endpoint)
		}
	}
}

// randomHex returns n random bytes, hex-encoded.
func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random bytes: %w", err)
	}
	return hex.EncodeToString(b), nil
}
