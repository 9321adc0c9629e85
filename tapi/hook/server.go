package hook

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// Path is where the Server accepts call events.
const Path = "/v1/event"

// MaxBodyBytes bounds a request body.
const MaxBodyBytes = 8 << 10

// queueLen is how many accepted events may wait for Run to emit them.
const queueLen = 64

// ErrRunning is returned by Server.Run when another Run is already active.
var ErrRunning = errors.New("hook server already running")

// Server accepts call events over HTTP and hands them to the emit function
// of Run. Serve its Handler on a 127.0.0.1 listener only.
type Server struct {
	secret []byte
	log    *slog.Logger
	now    func() time.Time

	mu    sync.Mutex
	queue chan tapi.Event // nil while Run is not active
}

// NewServer returns a Server that requires "Authorization: Bearer <secret>".
// An empty secret refuses every request. A nil logger discards.
func NewServer(secret string, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Server{secret: []byte(secret), log: logger, now: time.Now}
}

// Handler serves POST /v1/event. Responses are JSON: 202 {"ok":true} when
// the event was accepted; 400 {"error":"…"} for bad input; 401 without the
// right secret; 413 for bodies over 8 KiB; 503 when Run is not active or is
// behind by more than 64 events.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+Path, s.handleEvent)
	return mux
}

func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r.Header.Get("Authorization")) {
		s.log.Warn("hook request refused: bad or missing secret", "remote_addr", r.RemoteAddr)
		w.Header().Set("WWW-Authenticate", `Bearer realm="calldocket"`)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "unauthorized"})
		return
	}

	var req Request
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"error": "request body too large"})
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "malformed JSON body"})
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"error": "request body too large"})
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "unexpected data after the JSON body"})
		return
	}
	ev, err := req.Event(s.now())
	if err != nil {
		s.log.Debug("hook request rejected", "error", err)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}

	switch s.enqueue(ev) {
	case errNotRunning:
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "not accepting call events right now"})
		return
	case errQueueFull:
		s.log.Warn("hook event dropped: queue full", "call_id", ev.CallID)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "too many call events, try again"})
		return
	}
	s.log.Debug("hook event accepted", "state", string(ev.State), "direction", string(ev.Direction),
		"call_id", ev.CallID, "number", tapi.MaskNumber(ev.Remote))
	writeJSON(w, http.StatusAccepted, map[string]any{"ok": true})
}

func (s *Server) authorized(header string) bool {
	const scheme = "bearer "
	if len(s.secret) == 0 || len(header) < len(scheme) || !strings.EqualFold(header[:len(scheme)], scheme) {
		return false
	}
	token := strings.TrimSpace(header[len(scheme):])
	return subtle.ConstantTimeCompare([]byte(token), s.secret) == 1
}

var (
	errNotRunning = errors.New("hook server not running")
	errQueueFull  = errors.New("hook event queue full")
)

// enqueue hands ev to Run without ever blocking.
func (s *Server) enqueue(ev tapi.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.queue == nil {
		return errNotRunning
	}
	select {
	case s.queue <- ev:
		return nil
	default:
		return errQueueFull
	}
}

// Run implements tapi.Source: it passes every event the Handler accepts to
// emit, from Run's goroutine, until ctx is cancelled, and then returns
// ctx.Err(). While Run is not active the Handler answers 503. Only one Run
// may be active at a time; a second returns ErrRunning.
func (s *Server) Run(ctx context.Context, emit func(tapi.Event)) error {
	queue := make(chan tapi.Event, queueLen)
	s.mu.Lock()
	if s.queue != nil {
		s.mu.Unlock()
		return ErrRunning
	}
	s.queue = queue
	s.mu.Unlock()
	s.log.Debug("hook source running")

	defer func() {
		s.mu.Lock()
		s.queue = nil
		s.mu.Unlock()
		if n := len(queue); n > 0 {
			s.log.Warn("hook events dropped at shutdown", "count", n)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev := <-queue:
			emit(ev)
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client is gone if this fails; nothing to do
}
