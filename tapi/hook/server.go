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

	"github.com/calldocket/calldocket/phone"
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

	// refusals keeps requests without the secret (a web page can make the
	// browser send them) from growing the log.
	refusals refusalLog

	mu    sync.Mutex
	queue chan entry[tapi.Event]   // nil while Run is not active
	msgs  chan entry[tapi.Message] // nil while RunMessages is not active
}

// NewServer returns a Server that requires "Authorization: Bearer <secret>".
// An empty secret refuses every request. A nil logger discards.
func NewServer(secret string, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Server{secret: []byte(secret), log: logger, now: time.Now, refusals: refusalLog{what: "hook request"}}
}

// Handler serves POST /v1/event. The body is a JSON Request: a call event
// (kind "call" or no kind), handed to Run, or a text message (kind "sms"),
// handed to RunMessages. Responses are JSON: 202 {"ok":true} once the
// event was handed to emit and emit returned (the app has recorded it, so a
// crash after the answer loses nothing), or after 3 s while it still waits
// in the queue; 400 {"error":"…"} for bad input; 401 without the right
// secret; 413 for bodies over 8 KiB; 503 when the matching Run or
// RunMessages is not active, is behind by more than 64 events, or stopped
// before emitting the event.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+Path, s.handleEvent)
	return mux
}

func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r.Header.Get("Authorization")) {
		s.refusals.refused(s.log, s.now(), r.RemoteAddr)
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
	if req.IsSMS() {
		s.handleMessage(w, r, req)
		return
	}
	ev, err := req.Event(s.now())
	if err != nil {
		s.log.Debug("hook request rejected", "error", err)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}

	done, err := offer(&s.mu, &s.queue, ev)
	switch err {
	case errNotRunning:
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "not accepting call events right now"})
		return
	case errQueueFull:
		s.log.Warn("hook event dropped: queue full", "call_id", ev.CallID)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "too many call events, try again"})
		return
	}
	if !s.answer(w, r, done, "call_id", ev.CallID) {
		return
	}
	s.log.Debug("hook event accepted", "state", string(ev.State), "direction", string(ev.Direction),
		"call_id", ev.CallID, "number", phone.Mask(ev.Remote))
	writeJSON(w, http.StatusAccepted, map[string]any{"ok": true})
}

// answer waits until the accepted request's value was emitted (see
// awaitEmitted). It answers 503 and returns false when the run loop
// stopped first, returns false without answering when the client left,
// and true when the caller should answer 202.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, done <-chan error, attrs ...any) bool {
	timedOut, err := awaitEmitted(r.Context(), done)
	switch {
	case errors.Is(err, errDropped):
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "CallDocket is stopping, try again"})
		return false
	case err != nil:
		return false // the client is gone
	case timedOut:
		s.log.Warn("hook request answered before it was recorded: the app is slow", attrs...)
	}
	return true
}

func (s *Server) handleMessage(w http.ResponseWriter, r *http.Request, req Request) {
	m, err := req.SMS(s.now())
	if err != nil {
		s.log.Debug("hook message rejected", "error", err)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}
	done, err := offer(&s.mu, &s.msgs, m)
	switch err {
	case errNotRunning:
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "not accepting text messages right now"})
		return
	case errQueueFull:
		s.log.Warn("hook message dropped: queue full", "id", m.ID)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "too many messages, try again"})
		return
	}
	if !s.answer(w, r, done, "id", m.ID) {
		return
	}
	s.log.Debug("hook message accepted", "direction", string(m.Direction), "number", phone.Mask(m.Remote))
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

// Run implements tapi.Source: it passes every call event the Handler accepts
// to emit, from Run's goroutine, until ctx is cancelled, and then returns
// ctx.Err(). While Run is not active the Handler answers 503 to call events.
// Only one Run may be active at a time; a second returns ErrRunning.
func (s *Server) Run(ctx context.Context, emit func(tapi.Event)) error {
	return drain(ctx, &s.mu, &s.queue, emit, s.log, "calls")
}

// RunMessages is Run for text messages (Requests of kind "sms"): it passes
// each accepted tapi.Message to emit until ctx is cancelled, then returns
// ctx.Err(). It runs independently of Run; while it is not active the
// Handler answers 503 to messages. A second concurrent RunMessages returns
// ErrRunning.
func (s *Server) RunMessages(ctx context.Context, emit func(tapi.Message)) error {
	return drain(ctx, &s.mu, &s.msgs, emit, s.log, "messages")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client is gone if this fails; nothing to do
}
