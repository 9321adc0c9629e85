package tapi

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// clock is a settable clock for the tracker.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newTestTracker(t *testing.T) (*Tracker, *clock) {
	t.Helper()
	c := &clock{now: t0}
	digits := func(raw string) string {
		var b strings.Builder
		for _, r := range raw {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		s := b.String()
		if len(s) == 10 {
			s = "1" + s
		}
		return s
	}
	return NewTracker(TrackerOptions{Normalize: digits, Now: c.Now}), c
}

// step is one event applied to a tracker and what Apply must say about it.
type step struct {
	ev          Event
	wantChanged bool
	wantPhase   Phase // "" when Apply must return the zero Call
}

func ev(src, id string, st State, remote string, sec int) Event {
	return Event{Source: src, CallID: id, State: st, Remote: remote, At: t0.Add(time.Duration(sec) * time.Second)}
}

func withReason(e Event, r EndReason) Event { e.Reason = r; return e }
func rejected(e Event) Event                { return withReason(e, EndRejected) }
func outbound(e Event) Event                { e.Direction = DirectionOut; return e }

func TestTrackerSequences(t *testing.T) {
	tests := []struct {
		name         string
		steps        []step
		wantMissed   bool
		wantRejected bool
		wantDur      time.Duration
		wantActive   int
	}{
		{
			name: "ring answer end",
			steps: []step{
				{ev("sip", "c1", StateRinging, "+12125550123", 0), true, PhaseRinging},
				{ev("sip", "c1", StateAnswered, "+12125550123", 4), true, PhaseActive},
				{ev("sip", "c1", StateEnded, "+12125550123", 94), true, PhaseEnded},
			},
			wantDur: 90 * time.Second,
		},
		{
			name: "missed call",
			steps: []step{
				{ev("sip", "c1", StateRinging, "+12125550123", 0), true, PhaseRinging},
				{ev("sip", "c1", StateEnded, "+12125550123", 20), true, PhaseEnded},
			},
			wantMissed: true,
		},
		{
			name: "rejected at the phone",
			steps: []step{
				{ev("sip", "c1", StateRinging, "+12125550123", 0), true, PhaseRinging},
				{rejected(ev("sip", "c1", StateEnded, "+12125550123", 3)), true, PhaseEnded},
			},
			wantMissed: true, wantRejected: true,
		},
		{
			name: "no call id: the hook says the ringing call was declined",
			steps: []step{
				{ev("hook", "", StateRinging, "2125550123", 0), true, PhaseRinging},
				{rejected(ev("hook", "", StateEnded, "2125550123", 2)), true, PhaseEnded},
			},
			wantMissed: true, wantRejected: true,
		},
		{
			name: "a repeated end that says rejected does not change a missed call",
			steps: []step{
				{ev("sip", "c1", StateRinging, "+12125550123", 0), true, PhaseRinging},
				{ev("sip", "c1", StateEnded, "+12125550123", 3), true, PhaseEnded},
				{rejected(ev("sip", "c1", StateEnded, "+12125550123", 4)), false, PhaseEnded},
			},
			wantMissed: true,
		},
		{
			name: "an answered call is never rejected",
			steps: []step{
				{ev("sip", "c1", StateRinging, "+12125550123", 0), true, PhaseRinging},
				{ev("sip", "c1", StateAnswered, "+12125550123", 2), true, PhaseActive},
				{rejected(ev("sip", "c1", StateEnded, "+12125550123", 12)), true, PhaseEnded},
			},
			wantDur: 10 * time.Second,
		},
		{
			name: "an outbound call the far end declines is neither missed nor rejected",
			steps: []step{
				{outbound(ev("sip", "c1", StateRinging, "+12125550123", 0)), true, PhaseRinging},
				{rejected(outbound(ev("sip", "c1", StateEnded, "+12125550123", 5))), true, PhaseEnded},
			},
		},
		{
			name: "an unknown reason is invalid",
			steps: []step{
				{ev("sip", "c1", StateRinging, "+12125550123", 0), true, PhaseRinging},
				{withReason(ev("sip", "c1", StateEnded, "+12125550123", 5), "hung-up"), false, ""},
			},
			wantActive: 1,
		},
		{
			name: "repeats dropped",
			steps: []step{
				{ev("sip", "c1", StateRinging, "+12125550123", 0), true, PhaseRinging},
				{ev("sip", "c1", StateRinging, "+12125550123", 1), false, PhaseRinging},
				{ev("sip", "c1", StateAnswered, "+12125550123", 4), true, PhaseActive},
				{ev("sip", "c1", StateAnswered, "+12125550123", 5), false, PhaseActive},
				{ev("sip", "c1", StateEnded, "+12125550123", 10), true, PhaseEnded},
			},
			wantDur: 6 * time.Second,
		},
		{
			name: "terminated dialog re-sent and late ringing ignored",
			steps: []step{
				{ev("sip", "c1", StateRinging, "+12125550123", 0), true, PhaseRinging},
				{ev("sip", "c1", StateAnswered, "+12125550123", 2), true, PhaseActive},
				{ev("sip", "c1", StateEnded, "+12125550123", 5), true, PhaseEnded},
				{ev("sip", "c1", StateEnded, "+12125550123", 9), false, PhaseEnded},
				{ev("sip", "c1", StateRinging, "+12125550123", 10), false, PhaseEnded},
				{ev("sip", "c1", StateAnswered, "+12125550123", 11), false, PhaseEnded},
			},
			wantDur: 3 * time.Second,
		},
		{
			name: "MicroSIP style: no call id, ringing then ended with the same number",
			steps: []step{
				{ev("hook", "", StateRinging, "2125550123", 0), true, PhaseRinging},
				{ev("hook", "", StateEnded, "+1 212 555 0123", 30), true, PhaseEnded},
			},
			wantMissed: true,
		},
		{
			name: "no call id: ringing twice within a minute is a repeat",
			steps: []step{
				{ev("hook", "", StateRinging, "2125550123", 0), true, PhaseRinging},
				{ev("hook", "", StateRinging, "2125550123", 1), false, PhaseRinging},
				{ev("hook", "", StateAnswered, "2125550123", 3), true, PhaseActive},
				{ev("hook", "", StateEnded, "2125550123", 63), true, PhaseEnded},
			},
			wantDur: time.Minute,
		},
		{
			name: "no call id: end of unknown call dropped",
			steps: []step{
				{ev("hook", "", StateEnded, "2125550123", 0), false, ""},
			},
		},
		{
			name: "call id: end of unknown call dropped",
			steps: []step{
				{ev("sip", "zz", StateEnded, "2125550123", 0), false, ""},
			},
		},
		{
			name: "no call id: answered without ringing starts a call",
			steps: []step{
				{ev("hook", "", StateAnswered, "2125550123", 0), true, PhaseActive},
			},
			wantActive: 1,
		},
		{
			name: "out of order: answered before ringing",
			steps: []step{
				{ev("sip", "c1", StateAnswered, "+12125550123", 3), true, PhaseActive},
				{ev("sip", "c1", StateRinging, "+12125550123", 0), false, PhaseActive},
				{ev("sip", "c1", StateEnded, "+12125550123", 13), true, PhaseEnded},
			},
			wantDur: 10 * time.Second,
		},
		{
			name: "invalid event",
			steps: []step{
				{Event{Source: "sip", State: "early", CallID: "c1"}, false, ""},
				{Event{Source: "sip", State: StateRinging}, false, ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, _ := newTestTracker(t)
			var last Call
			for i, s := range tt.steps {
				got, changed := tr.Apply(s.ev)
				if changed != s.wantChanged {
					t.Errorf("step %d: Apply(%+v) changed = %v, want %v", i, s.ev, changed, s.wantChanged)
				}
				if got.Phase != s.wantPhase {
					t.Errorf("step %d: Apply(%+v) phase = %q, want %q", i, s.ev, got.Phase, s.wantPhase)
				}
				if s.wantPhase != "" && last.ID != "" && got.ID != last.ID {
					t.Errorf("step %d: Apply(%+v) id = %q, want %q (same call)", i, s.ev, got.ID, last.ID)
				}
				if s.wantPhase != "" {
					last = got
				}
			}
			if got := last.Missed(); got != tt.wantMissed {
				t.Errorf("Missed() = %v, want %v (call %+v)", got, tt.wantMissed, last)
			}
			if got := last.Rejected(); got != tt.wantRejected {
				t.Errorf("Rejected() = %v, want %v (call %+v)", got, tt.wantRejected, last)
			}
			if got := last.Duration(); got != tt.wantDur {
				t.Errorf("Duration() = %v, want %v (call %+v)", got, tt.wantDur, last)
			}
			if got := len(tr.Active()); got != tt.wantActive {
				t.Errorf("len(Active()) = %d, want %d", got, tt.wantActive)
			}
		})
	}
}

func TestTrackerCallFields(t *testing.T) {
	tr, c := newTestTracker(t)
	got, _ := tr.Apply(Event{Source: "sip", CallID: " 1-22392@127.0.0.1 ", State: StateRinging,
		Remote: "sip:+12125550123@127.0.0.1", Local: "sip:1001@127.0.0.1", At: t0})
	want := Call{ID: "1-22392@127.0.0.1", Source: "sip", SourceCallID: "1-22392@127.0.0.1", Direction: DirectionIn,
		Remote: "sip:+12125550123@127.0.0.1", Local: "sip:1001@127.0.0.1", Phase: PhaseRinging, RingAt: t0}
	if got != want {
		t.Errorf("Apply(ringing) = %+v, want %+v", got, want)
	}

	// A later event fills what the first one lacked; a zero At means now.
	c.Add(7 * time.Second)
	got, _ = tr.Apply(Event{Source: "sip", CallID: "1-22392@127.0.0.1", State: StateAnswered,
		RemoteName: "Jane Client", RemoteE164: "+12125550123"})
	if got.RemoteName != "Jane Client" || got.RemoteE164 != "+12125550123" || !got.AnsweredAt.Equal(t0.Add(7*time.Second)) {
		t.Errorf("Apply(answered) = %+v, want name, E.164 and AnsweredAt filled", got)
	}

	// Without a call id the tracker generates one.
	got, _ = tr.Apply(Event{Source: "hook", State: StateRinging, Remote: "2125550199"})
	if !strings.HasPrefix(got.ID, "call-") || len(got.ID) != len("call-")+16 || got.SourceCallID != "" {
		t.Errorf("Apply(hook ringing) id = %q, source call id %q, want call-<16 hex> and empty", got.ID, got.SourceCallID)
	}
	if !got.RingAt.Equal(t0.Add(7 * time.Second)) {
		t.Errorf("Apply(hook ringing) RingAt = %v, want the tracker clock %v", got.RingAt, t0.Add(7*time.Second))
	}
}

func TestTrackerOutbound(t *testing.T) {
	tr, _ := newTestTracker(t)
	dial := Event{Source: "sip", CallID: "o1", State: StateRinging, Direction: DirectionOut, Remote: "1002", At: t0}
	got, changed := tr.Apply(dial)
	if !changed || got.Direction != DirectionOut || got.Phase != PhaseRinging {
		t.Fatalf("Apply(dial) = %+v, %v, want outbound ringing, true", got, changed)
	}
	// The direction of later events does not change the call.
	got, _ = tr.Apply(Event{Source: "sip", CallID: "o1", State: StateEnded, Direction: DirectionIn, At: t0.Add(30 * time.Second)})
	if got.Direction != DirectionOut || got.Missed() || got.Duration() != 0 {
		t.Errorf("Apply(end of unanswered dial) = %+v, want outbound, not missed, no duration", got)
	}

	got, _ = tr.Apply(Event{Source: "sip", CallID: "o2", State: StateRinging, Direction: DirectionOut, Remote: "1002", At: t0})
	tr.Apply(Event{Source: "sip", CallID: "o2", State: StateAnswered, At: t0.Add(10 * time.Second)})
	got, _ = tr.Apply(Event{Source: "sip", CallID: "o2", State: StateEnded, At: t0.Add(70 * time.Second)})
	if got.Direction != DirectionOut || got.Missed() || got.Duration() != time.Minute {
		t.Errorf("Apply(end of answered dial) = %+v, want outbound, 1m0s", got)
	}
}

func TestTrackerTwoConcurrentCalls(t *testing.T) {
	tr, _ := newTestTracker(t)
	steps := []Event{
		ev("sip", "a", StateRinging, "+12125550123", 0),
		ev("sip", "b", StateRinging, "+13125550100", 1),
		ev("sip", "a", StateAnswered, "+12125550123", 2),
		ev("sip", "b", StateEnded, "+13125550100", 8),
		ev("sip", "a", StateEnded, "+12125550123", 62),
	}
	calls := map[string]Call{}
	for i, e := range steps {
		got, changed := tr.Apply(e)
		if !changed {
			t.Errorf("step %d: Apply(%+v) changed = false, want true", i, e)
		}
		calls[got.ID] = got
		if i == 2 {
			act := tr.Active()
			if len(act) != 2 || act[0].ID != "a" || act[1].ID != "b" {
				t.Errorf("Active() = %+v, want a then b", act)
			}
		}
	}
	if a := calls["a"]; a.Missed() || a.Duration() != time.Minute {
		t.Errorf("call a = %+v, want answered, 1m0s", a)
	}
	if b := calls["b"]; !b.Missed() {
		t.Errorf("call b = %+v, want missed", b)
	}
	if n := len(tr.Active()); n != 0 {
		t.Errorf("len(Active()) = %d, want 0", n)
	}
}

func TestTrackerTwoCallsWithoutCallIDs(t *testing.T) {
	tr, _ := newTestTracker(t)
	a, _ := tr.Apply(ev("hook", "", StateRinging, "2125550123", 0))
	b, _ := tr.Apply(ev("hook", "", StateRinging, "3125550100", 1))
	if a.ID == b.ID {
		t.Fatalf("two numbers ringing share id %q", a.ID)
	}
	got, _ := tr.Apply(ev("hook", "", StateAnswered, "3125550100", 2))
	if got.ID != b.ID {
		t.Errorf("Apply(answered 3125550100) id = %q, want %q", got.ID, b.ID)
	}
	got, _ = tr.Apply(ev("hook", "", StateEnded, "(212) 555-0123", 3))
	if got.ID != a.ID || !got.Missed() {
		t.Errorf("Apply(ended 212…) = %+v, want call %q missed", got, a.ID)
	}
}

func TestTrackerNoCallIDRingingAfterRepeatWindow(t *testing.T) {
	tr, c := newTestTracker(t)
	a, _ := tr.Apply(Event{Source: "hook", State: StateRinging, Remote: "2125550123"})
	c.Add(2 * time.Minute)
	b, changed := tr.Apply(Event{Source: "hook", State: StateRinging, Remote: "2125550123"})
	if !changed || b.ID == a.ID {
		t.Errorf("Apply(ringing after 2m) = %q, %v, want a new call, true", b.ID, changed)
	}
	// Ended attaches to the most recent call with that number.
	got, _ := tr.Apply(Event{Source: "hook", State: StateEnded, Remote: "2125550123"})
	if got.ID != b.ID {
		t.Errorf("Apply(ended) id = %q, want most recent %q", got.ID, b.ID)
	}
}

func TestTrackerForgetsEndedCalls(t *testing.T) {
	tr, c := newTestTracker(t)
	end := func(id string) {
		tr.Apply(Event{Source: "sip", CallID: id, State: StateRinging, Remote: "1"})
		tr.Apply(Event{Source: "sip", CallID: id, State: StateEnded})
	}
	end("first")
	// Within 10 minutes a re-sent end is still a repeat.
	c.Add(9 * time.Minute)
	if _, changed := tr.Apply(Event{Source: "sip", CallID: "first", State: StateEnded}); changed {
		t.Errorf("Apply(re-sent end after 9m) changed = true, want false")
	}
	// 300 more calls end; the first is now older than 10 minutes and
	// beyond the last 200, so it is forgotten.
	c.Add(2 * time.Minute)
	for i := range 300 {
		end(fmt.Sprintf("c%d", i))
	}
	tr.mu.Lock()
	_, kept := tr.calls["first"]
	n := len(tr.calls)
	tr.mu.Unlock()
	if kept {
		t.Errorf("call %q kept after 11m and 300 newer calls", "first")
	}
	if n != 300 {
		t.Errorf("tracked calls = %d, want 300 (all within 10 minutes)", n)
	}
	c.Add(11 * time.Minute)
	tr.Apply(Event{Source: "sip", CallID: "probe", State: StateRinging, Remote: "1"})
	tr.mu.Lock()
	n = len(tr.ended)
	tr.mu.Unlock()
	if n != keepEnded {
		t.Errorf("ended calls kept = %d, want %d", n, keepEnded)
	}
}

func TestTrackerForgetsStaleOpenCalls(t *testing.T) {
	tr, c := newTestTracker(t)
	tr.Apply(Event{Source: "hook", State: StateRinging, Remote: "2125550123"})
	c.Add(13 * time.Hour)
	tr.Apply(Event{Source: "hook", State: StateRinging, Remote: "3125550100"})
	if act := tr.Active(); len(act) != 1 || act[0].Remote != "3125550100" {
		t.Errorf("Active() = %+v, want only the new call", act)
	}
}

func TestTrackerConcurrentUse(t *testing.T) {
	tr, _ := newTestTracker(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				id := fmt.Sprintf("g%d-%d", g, i)
				for _, st := range []State{StateRinging, StateAnswered, StateEnded} {
					if _, changed := tr.Apply(Event{Source: "sip", CallID: id, State: st, Remote: "2125550123"}); !changed {
						t.Errorf("Apply(%s %s) changed = false, want true", id, st)
					}
				}
				_ = tr.Active()
			}
		}()
	}
	wg.Wait()
	if n := len(tr.Active()); n != 0 {
		t.Errorf("len(Active()) = %d, want 0", n)
	}
}

func TestTrackerRestore(t *testing.T) {
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	clock := at
	digitsOnly := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	tr := NewTracker(TrackerOptions{Now: func() time.Time { return clock }, Normalize: digitsOnly})
	open := Call{ID: "call-1", Source: "hook", Direction: DirectionIn, Remote: "212-555-0123",
		RemoteE164: "+12125550123", Phase: PhaseActive, RingAt: at.Add(-time.Minute), AnsweredAt: at.Add(-50 * time.Second)}
	if !tr.Restore(open) {
		t.Fatal("Restore(open) = false, want true")
	}
	if tr.Restore(open) {
		t.Fatal("Restore of a known call = true, want false")
	}
	clock = at.Add(time.Minute)
	// An end without a CallID attaches to the restored call by number.
	c, changed := tr.Apply(Event{Source: "hook", State: StateEnded, Remote: "(212) 555-0123", RemoteE164: "+12125550123"})
	if !changed || c.ID != "call-1" || c.Phase != PhaseEnded {
		t.Fatalf("Apply(ended) = %+v, %v; want call-1 ended", c, changed)
	}
	// A repeat of an ended, restored call with its CallID is dropped.
	ended := Call{ID: "sip-7", Source: "sip", SourceCallID: "sip-7", Direction: DirectionIn, Remote: "+13125550100",
		Phase: PhaseEnded, RingAt: at, EndedAt: at.Add(time.Second)}
	tr.Restore(ended)
	if _, changed := tr.Apply(Event{Source: "sip", CallID: "sip-7", State: StateEnded, Remote: "+13125550100"}); changed {
		t.Fatal("a repeated end of a restored ended call changed it")
	}
}
