package sim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/tapi"
)

// SourceName is the tapi.Event Source of every simulated event.
const SourceName = "sim"

// maxPending bounds the events waiting for Run; beyond it the oldest are
// dropped.
const maxPending = 1024

// ErrRunning is returned by Run when another Run is already active.
var ErrRunning = errors.New("simulated call source already running")

// Options configures a Source.
type Options struct {
	// AnswerAfter, when positive, answers every call that long after Ring.
	AnswerAfter time.Duration
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// Source simulates calls. Ring, Answer and Hangup may be called from any
// goroutine, before or while Run is active; events produced while Run is not
// active are kept (up to 1024) and delivered once it is.
type Source struct {
	answerAfter time.Duration
	log         *slog.Logger
	now         func() time.Time

	mu      sync.Mutex
	pending []tapi.Event
	calls   map[string]*call // calls that have not ended
	running bool
	wake    chan struct{} // capacity 1: "pending is not empty"
}

type call struct {
	number, name string
	answered     bool
	timer        *time.Timer // the automatic answer, if any
}

// New returns a Source.
func New(opts Options) *Source {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Source{
		answerAfter: opts.AnswerAfter,
		log:         logger,
		now:         time.Now,
		calls:       make(map[string]*call),
		wake:        make(chan struct{}, 1),
	}
}

// Run implements tapi.Source: it emits the queued and future events in order
// until ctx is cancelled and then returns ctx.Err(). Only one Run may be
// active at a time; a second returns ErrRunning.
func (s *Source) Run(ctx context.Context, emit func(tapi.Event)) error {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return ErrRunning
	}
	s.running = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.running = false
		s.mu.Unlock()
	}()

	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.mu.Lock()
		batch := s.pending
		s.pending = nil
		s.mu.Unlock()
		for i, ev := range batch {
			if ctx.Err() != nil {
				s.requeue(batch[i:])
				return ctx.Err()
			}
			emit(ev)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.wake:
		}
	}
}

// requeue puts undelivered events back in front of the queue.
func (s *Source) requeue(evs []tapi.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = append(append([]tapi.Event(nil), evs...), s.pending...)
	s.trimLocked()
	s.signalLocked()
}

// Ring simulates an inbound call from number (and name, which may be empty)
// and returns its call id, "sim-" followed by 16 hex digits. With
// Options.AnswerAfter > 0 the call is answered automatically after that
// delay, unless it was answered or hung up first.
func (s *Source) Ring(number, name string) string {
	id := newID()
	number, name = strings.TrimSpace(number), strings.TrimSpace(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &call{number: number, name: name}
	s.calls[id] = c
	s.pushLocked(id, c, tapi.StateRinging)
	if s.answerAfter > 0 {
		c.timer = time.AfterFunc(s.answerAfter, func() { s.Answer(id) })
	}
	s.log.Debug("simulated call ringing", "call_id", id, "number", phone.Mask(number))
	return id
}

// Answer answers the simulated call id. It does nothing for unknown, already
// answered or ended calls.
func (s *Source) Answer(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.calls[id]
	if !ok || c.answered {
		s.log.Debug("simulated answer ignored", "call_id", id)
		return
	}
	c.answered = true
	if c.timer != nil {
		c.timer.Stop()
	}
	s.pushLocked(id, c, tapi.StateAnswered)
}

// Hangup ends the simulated call id, answered or not (an unanswered inbound
// call becomes a missed call). It does nothing for unknown or ended calls.
func (s *Source) Hangup(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.calls[id]
	if !ok {
		s.log.Debug("simulated hangup ignored", "call_id", id)
		return
	}
	if c.timer != nil {
		c.timer.Stop()
	}
	delete(s.calls, id)
	s.pushLocked(id, c, tapi.StateEnded)
}

func (s *Source) pushLocked(id string, c *call, st tapi.State) {
	s.pending = append(s.pending, tapi.Event{
		Source:     SourceName,
		CallID:     id,
		State:      st,
		Direction:  tapi.DirectionIn,
		Remote:     c.number,
		RemoteName: c.name,
		At:         s.now(),
	})
	s.trimLocked()
	s.signalLocked()
}

func (s *Source) trimLocked() {
	if n := len(s.pending) - maxPending; n > 0 {
		s.log.Warn("simulated events dropped: nobody is receiving them", "count", n)
		s.pending = append([]tapi.Event(nil), s.pending[n:]...)
	}
}

func (s *Source) signalLocked() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// newID returns "sim-" followed by 16 random hex digits.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error (Go 1.24+)
	return "sim-" + hex.EncodeToString(b[:])
}
