package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"time"

	"golang.org/x/oauth2"
)

var (
	// ErrDeclined means the user pressed "Deny" on Clio's consent page.
	ErrDeclined = errors.New("clio sign-in declined")
	// ErrStateMismatch means the redirect did not carry the state this
	// sign-in sent: it belongs to another (or a forged) sign-in. Login
	// ignores such redirects and keeps waiting; it never returns it.
	ErrStateMismatch = errors.New("clio sign-in state mismatch")
	// ErrPortInUse means the loopback redirect port is taken.
	ErrPortInUse = errors.New("sign-in redirect port in use")
)

// RedirectError is an error Clio sent back on the redirect other than a
// declined grant (error=access_denied is ErrDeclined).
type RedirectError struct {
	Code, Description string
}

func (e *RedirectError) Error() string {
	if e.Description == "" {
		return "clio sign-in error: " + e.Code
	}
	return "clio sign-in error: " + e.Code + ": " + e.Description
}

// shutdownGrace bounds how long the loopback server waits for the browser
// to receive the result page.
const shutdownGrace = 2 * time.Second

// Login signs in with the authorization-code flow. It listens on
// 127.0.0.1:RedirectPort, calls open with Clio's authorize URL (open starts
// the system browser), waits for Clio's redirect to RedirectPath, checks
// its state, exchanges the code for tokens and shows a result page in the
// browser. A request to RedirectPath with a wrong or missing state (any web
// page can make the browser send one) gets a 400 page, one warn line, and is
// otherwise ignored: Login keeps waiting for the real redirect. If open fails the URL is logged at warn level with the key
// "url" and Login keeps waiting, so the user can open it by hand. Login
// gives up when ctx ends; callers set the timeout. The token's Region is
// cfg.Region.Code and its ClientID cfg.ClientID.
func Login(ctx context.Context, cfg Config, open func(url string) error, logger *slog.Logger) (*Token, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	log := orDiscard(logger)
	state, err := randomState()
	if err != nil {
		return nil, err
	}
	oc := cfg.oauth2Config()
	authURL := oc.AuthCodeURL(state, oauth2.SetAuthURLParam("redirect_on_decline", "true"))
	if err := CheckOpenURL(authURL); err != nil {
		return nil, err
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.redirectAddr())
	if err != nil {
		return nil, listenError(cfg.redirectAddr(), err)
	}
	cb := &callback{
		ctx:    context.WithValue(ctx, oauth2.HTTPClient, cfg.httpClient()),
		oc:     oc,
		path:   cfg.redirectPath(),
		state:  state,
		region: cfg.Region.Code,
		client: cfg.ClientID,
		log:    log,
		done:   make(chan result, 1),
	}
	srv := &http.Server{Handler: cb, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("sign-in redirect listener stopped", "err", err)
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			srv.Close()
		}
	}()

	log.Info("waiting for the clio sign-in", "redirect_uri", cfg.RedirectURI())
	if err := open(authURL); err != nil {
		log.Warn("could not open a browser; open this URL to sign in to Clio", "url", authURL, "err", err)
	}
	select {
	case r := <-cb.done:
		return r.tok, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the clio sign-in: %w", ctx.Err())
	}
}

// CheckOpenURL refuses to hand anything but an absolute http(s) URL to a
// browser opener, so a crafted value can never start a program or open a
// local file.
func CheckOpenURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("refuse to open a malformed URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("refuse to open %q: not an http(s) URL", u.Scheme+"://"+u.Host)
	}
	return nil
}

func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, syscall.Errno(10048)) { // 10048: WSAEADDRINUSE
		return fmt.Errorf("listen on %s for the clio sign-in redirect: %w: another program uses it; close it or choose another port (and register its redirect URI with Clio)", addr, ErrPortInUse)
	}
	return fmt.Errorf("listen on %s for the clio sign-in redirect: %w", addr, err)
}

// randomState returns 32 random bytes, URL-safe base64.
func randomState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate sign-in state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

type result struct {
	tok *Token
	err error
}

// callback serves the loopback redirect. The first request to path with
// the right state decides the outcome; later ones only get a page, and
// requests with a wrong or missing state are refused and ignored.
type callback struct {
	ctx    context.Context
	oc     *oauth2.Config
	path   string
	state  string
	region string
	client string
	log    *slog.Logger
	done   chan result

	mu       sync.Mutex
	finished bool
}

func (c *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != c.path {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	if !c.stateOK(q) {
		// Forged, or left over from another sign-in: it must not end this one.
		c.log.Warn("clio sign-in redirect with a wrong or missing state ignored; still waiting for the real one")
		writePage(w, http.StatusBadRequest, pageStateMismatch)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.finished {
		writePage(w, http.StatusConflict, pageFinished)
		return
	}
	tok, status, page, err := c.handle(q)
	c.finished = true
	writePage(w, status, page)
	c.done <- result{tok, err}
}

// stateOK reports whether the redirect carries this sign-in's state
// (compared in constant time).
func (c *callback) stateOK(q url.Values) bool {
	got := q.Get("state")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.state)) == 1
}

// handle checks the redirect's query and exchanges the code.
func (c *callback) handle(q url.Values) (*Token, int, page, error) {
	if !c.stateOK(q) {
		c.log.Warn("clio sign-in redirect with a wrong state")
		return nil, http.StatusBadRequest, pageStateMismatch, ErrStateMismatch
	}
	if code := q.Get("error"); code != "" {
		if code == "access_denied" {
			c.log.Info("clio sign-in declined")
			return nil, http.StatusOK, pageDeclined, ErrDeclined
		}
		err := &RedirectError{Code: clip(code), Description: clip(q.Get("error_description"))}
		c.log.Warn("clio sign-in failed", "err", err)
		return nil, http.StatusBadRequest, failurePage(err.Error()), err
	}
	code := q.Get("code")
	if code == "" {
		return nil, http.StatusBadRequest, failurePage("Clio sent no authorization code."), errors.New("clio sign-in redirect without a code")
	}
	ot, err := c.oc.Exchange(c.ctx, code)
	if err != nil {
		err = tokenError(err)
		c.log.Warn("clio token exchange failed", "err", err)
		return nil, http.StatusBadGateway, failurePage("Clio did not accept the sign-in: " + err.Error()), fmt.Errorf("exchange the clio authorization code: %w", err)
	}
	c.log.Info("signed in to clio", "region", c.region)
	return fromOAuth2(ot, Token{Region: c.region, ClientID: c.client}), http.StatusOK, pageSuccess, nil
}

// clip bounds text taken from the redirect.
func clip(s string) string {
	const n = 200
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
