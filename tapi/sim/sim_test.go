package sim

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// collect runs s and returns a channel of what it emits; Run is stopped
// and checked when the test ends.
func collect(t *testing.T, s *Source) <-chan tapi.Event {
	t.Helper()
	out := make(chan tapi.Event, 64)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, func(ev tapi.Event) { out <- ev }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run() = %v, want context.Canceled", err)
		}
	})
	return out
}

func next(t *testing.T, ch <-chan tapi.Event) tapi.Event {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event emitted")
		return tapi.Event{}
	}
}

func TestSourceQueuesBeforeRun(t *testing.T) {
	s := New(Options{})
	id := s.Ring(" +12125550123 ", "Jane Client")
	if !strings.HasPrefix(id, "sim-") || len(id) != len("sim-")+16 {
		t.Errorf("Ring() = %q, want sim-<16 hex>", id)
	}
	s.Answer(id)
	s.Answer(id) // repeat: ignored
	s.Hangup(id)
	s.Hangup(id)        // repeat: ignored
	s.Answer("sim-nah") // unknown: ignored

	ch := collect(t, s)
	want := []tapi.State{tapi.StateRinging, tapi.StateAnswered, tapi.StateEnded}
	for i, st := range want {
		ev := next(t, ch)
		if ev.State != st || ev.CallID != id || ev.Source != "sim" || ev.Direction != tapi.DirectionIn ||
			ev.Remote != "+12125550123" || ev.RemoteName != "Jane Client" || ev.At.IsZero() {
			t.Errorf("event %d = %+v, want %s for %s from sim", i, ev, st, id)
		}
		if err := ev.Validate(); err != nil {
			t.Errorf("event %d Validate() = %v, want nil", i, err)
		}
	}
	select {
	case ev := <-ch:
		t.Errorf("unexpected event %+v", ev)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestSourceAnswerAfter(t *testing.T) {
	s := New(Options{AnswerAfter: 20 * time.Millisecond})
	ch := collect(t, s)
	id := s.Ring("2125550123", "")
	if ev := next(t, ch); ev.State != tapi.StateRinging || ev.CallID != id {
		t.Fatalf("first event = %+v, want ringing %s", ev, id)
	}
	if ev := next(t, ch); ev.State != tapi.StateAnswered || ev.CallID != id {
		t.Fatalf("second event = %+v, want answered %s", ev, id)
	}
	s.Hangup(id)
	if ev := next(t, ch); ev.State != tapi.StateEnded || ev.CallID != id {
		t.Fatalf("third event = %+v, want ended %s", ev, id)
	}
}

func TestSourceHangupBeforeAutoAnswerIsMissed(t *testing.T) {
	s := New(Options{AnswerAfter: 30 * time.Millisecond})
	ch := collect(t, s)
	id := s.Ring("2125550123", "")
	s.Hangup(id)
	tr := tapi.NewTracker(tapi.TrackerOptions{})
	var last tapi.Call
	for range 2 {
		last, _ = tr.Apply(next(t, ch))
	}
	if !last.Missed() {
		t.Errorf("call = %+v, want missed", last)
	}
	select {
	case ev := <-ch:
		t.Errorf("auto-answer after hangup emitted %+v", ev)
	case <-time.After(80 * time.Millisecond):
	}
}

func TestSourceSecondRunRefused(t *testing.T) {
	s := New(Options{})
	ch := collect(t, s)
	s.Ring("1", "") // Run is active once it delivers
	next(t, ch)
	if err := s.Run(t.Context(), func(tapi.Event) {}); !errors.Is(err, ErrRunning) {
		t.Errorf("second Run() = %v, want ErrRunning", err)
	}
}

func TestSourceDropsOldestBeyondLimit(t *testing.T) {
	s := New(Options{})
	for range maxPending + 10 {
		s.Ring("1", "")
	}
	s.mu.Lock()
	n := len(s.pending)
	s.mu.Unlock()
	if n != maxPending {
		t.Errorf("pending = %d, want %d", n, maxPending)
	}
}
