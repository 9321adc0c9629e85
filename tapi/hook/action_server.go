package hook

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/tapi"
)

// Errors from NewActionServer.
var (
	// ErrNoToken: an action server without a token would let anyone on the
	// network pop windows, so one is required.
	ErrNoToken = errors.New("action URL token is empty")
	// ErrBadAddr: the listen address is not HOST:PORT with an IP address
	// or "localhost" as host.
	ErrBadAddr = errors.New("invalid action URL listen address")
)

// ActionServer is the optional desk-phone source: it accepts the plain HTTP
// GETs that Yealink, Snom and similar phones send as "action URLs",
//
//	GET /event?state=ringing&number=$remote&name=$display_remote&id=$call_id&token=…
//
// (see ParseActionQuery for the accepted names). It is off unless the app
// creates one with a configured address. Every request must carry the token,
// compared in constant time; refusals are logged once, then counted in at
// most one line a minute, so the network cannot grow the log; the answer is a short text/plain body, since
// phones ignore it: 200 "OK", 400 for a bad event, 403 for a wrong token,
// 503 while Run is not active or behind.
type ActionServer struct {
	addr     string
	token    []byte
	log      *slog.Logger
	now      func() time.Time
	refusals refusalLog

	mu       sync.Mutex
	queue    chan entry[tapi.Event] // nil while Run is not active
	listened net.Addr
}

// NewActionServer returns an ActionServer that will listen on addr once Run
// is called, as ActionListenAddr reads it: "127.0.0.1:8089" (also what ""
// and ":8089" mean: this computer only), or the desk-phone LAN address such
// as "192.168.1.20:8089", or "0.0.0.0:8089" for every interface. The token
// is required; it must be the desk phones' own token, never a secret that
// unlocks anything else, since phones send it in clear text. A nil logger
// discards.
func NewActionServer(addr, token string, logger *slog.Logger) (*ActionServer, error) {
	if token == "" {
		return nil, ErrNoToken
	}
	listen, _, err := ActionListenAddr(addr)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &ActionServer{addr: listen, token: []byte(token), log: logger, now: time.Now}, nil
}

// Handler serves GET /event. Run serves it on the configured address; use
// Handler directly only to mount it elsewhere.
func (a *ActionServer) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+ActionPath, a.handle)
	return mux
}

func (a *ActionServer) handle(w http.ResponseWriter, r *http.Request) {
	req, token, err := ParseActionQuery(r.URL.RawQuery)
	if err != nil {
		writeText(w, http.StatusBadRequest, "query too long")
		return
	}
	if subtle.ConstantTimeCompare([]byte(token), a.token) != 1 {
		a.refusals.refused(a.log, a.now(), r.RemoteAddr)
		writeText(w, http.StatusForbidden, "forbidden")
		return
	}
	ev, err := req.Event(a.now())
	if err != nil {
		a.log.Debug("action URL rejected", "error", err)
		writeText(w, http.StatusBadRequest, err.Error())
		return
	}
	ev.Source = ActionSourceName
	done, err := offer(&a.mu, &a.queue, ev)
	if err != nil {
		writeText(w, http.StatusServiceUnavailable, "not accepting call events right now")
		return
	}
	// Answer once the event is recorded: a crash after "OK" loses nothing.
	timedOut, err := awaitEmitted(r.Context(), done)
	switch {
	case errors.Is(err, errDropped):
		writeText(w, http.StatusServiceUnavailable, "not accepting call events right now")
		return
	case err != nil:
		return // the phone hung up
	case timedOut:
		a.log.Warn("action URL answered before it was recorded: the app is slow", "call_id", ev.CallID)
	}
	a.log.Debug("action URL accepted", "state", string(ev.State), "direction", string(ev.Direction),
		"call_id", ev.CallID, "number", phone.Mask(ev.Remote))
	writeText(w, http.StatusOK, "OK")
}

// ActionSourceName is the tapi.Event Source of desk-phone action URLs.
const ActionSourceName = "deskphone"

// Run implements tapi.Source: it listens on the configured address, serves
// Handler, and passes each accepted event to emit until ctx is cancelled;
// then it shuts the listener down and returns ctx.Err(). It returns an error
// at once when the address cannot be bound, and ErrRunning while another
// Run is active.
func (a *ActionServer) Run(ctx context.Context, emit func(tapi.Event)) error {
	ln, err := net.Listen("tcp", a.addr)
	if err != nil {
		return fmt.Errorf("listen for action URLs: %w", err)
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		MaxHeaderBytes:    8 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelDebug),
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	drained := make(chan error, 1)
	go func() { drained <- drain(runCtx, &a.mu, &a.queue, emit, a.log, "action URLs") }()
	flushed := make(chan struct{})
	go func() { defer close(flushed); a.refusals.flushEvery(runCtx, a.log, a.now) }()
	a.mu.Lock()
	a.listened = ln.Addr()
	a.mu.Unlock()
	go func() { served <- srv.Serve(ln) }()
	a.log.Info("listening for desk-phone action URLs", "addr", ln.Addr().String())

	var result error
	select {
	case <-ctx.Done():
		result = ctx.Err()
	case err := <-served:
		result = fmt.Errorf("serve action URLs: %w", err)
	case err := <-drained:
		result = err // ErrRunning
	}
	cancel()
	shutdownCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer stop()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
	}
	<-flushed
	a.mu.Lock()
	a.listened = nil
	a.mu.Unlock()
	return result
}

// Addr is the address Run listens on, or nil while it is not running. With
// port 0 in the configured address, it tells the chosen port.
func (a *ActionServer) Addr() net.Addr {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.listened
}

func writeText(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n") // the phone is gone if this fails; nothing to do
}
