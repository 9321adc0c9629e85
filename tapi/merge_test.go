package tapi

import (
	"testing"
	"time"
)

// applyAll applies events in order and returns, for each, the call id (""
// for the zero Call) and whether it changed anything.
func applyAll(tr *Tracker, c *clock, evs []Event, gaps []time.Duration) ([]string, []bool, map[string]Call) {
	ids := make([]string, len(evs))
	changed := make([]bool, len(evs))
	calls := map[string]Call{}
	for i, e := range evs {
		if i < len(gaps) {
			c.Add(gaps[i])
		}
		got, ch := tr.Apply(e)
		ids[i], changed[i] = got.ID, ch
		if got.ID != "" {
			calls[got.ID] = got
		}
	}
	return ids, changed, calls
}

func TestTrackerMergesSources(t *testing.T) {
	tests := []struct {
		name        string
		evs         []Event
		gaps        []time.Duration // tracker clock advance before each event
		wantSame    [][2]int        // pairs of event indexes that must be the same call
		wantDiff    [][2]int        // pairs that must be different calls
		wantChanged []bool
		wantCalls   int
	}{
		{
			name: "sip and hook report the same call",
			evs: []Event{
				{Source: "sip", CallID: "1-22@pbx", State: StateRinging, Remote: "sip:+12125550123@pbx"},
				{Source: "hook", State: StateRinging, Remote: "(212) 555-0123"},
				{Source: "sip", CallID: "1-22@pbx", State: StateAnswered},
				{Source: "hook", State: StateAnswered, Remote: "2125550123"},
				{Source: "hook", State: StateEnded, Remote: "2125550123"},
				{Source: "sip", CallID: "1-22@pbx", State: StateEnded},
			},
			gaps:        []time.Duration{0, time.Second, 3 * time.Second, 100 * time.Millisecond, time.Minute, time.Second},
			wantSame:    [][2]int{{0, 1}, {0, 2}, {0, 3}, {0, 4}},
			wantChanged: []bool{true, false, true, false, true, false},
			wantCalls:   1,
		},
		{
			name: "later source's call id maps onto the first call",
			evs: []Event{
				{Source: "hook", State: StateRinging, Remote: "2125550123"},
				{Source: "ami", CallID: "ami-1700000000.1", State: StateRinging, Remote: "+12125550123"},
				{Source: "ami", CallID: "ami-1700000000.1", State: StateAnswered},
				{Source: "ami", CallID: "ami-1700000000.1", State: StateEnded},
			},
			gaps:        []time.Duration{0, 2 * time.Second, 10 * time.Second, time.Minute},
			wantSame:    [][2]int{{0, 1}, {0, 2}, {0, 3}},
			wantChanged: []bool{true, false, true, true},
			wantCalls:   1,
		},
		{
			name: "answered reported by a second source joins the active call",
			evs: []Event{
				{Source: "sip", CallID: "s1", State: StateRinging, Remote: "+12125550123"},
				{Source: "sip", CallID: "s1", State: StateAnswered},
				{Source: "tapi", CallID: "tapi-7", State: StateAnswered, Remote: "2125550123"},
				{Source: "tapi", CallID: "tapi-7", State: StateEnded},
			},
			gaps:        []time.Duration{0, 20 * time.Second, time.Second, time.Minute},
			wantSame:    [][2]int{{0, 2}, {0, 3}},
			wantChanged: []bool{true, true, false, true},
			wantCalls:   1,
		},
		{
			name: "second source too late is a new call",
			evs: []Event{
				{Source: "sip", CallID: "s1", State: StateRinging, Remote: "+12125550123"},
				{Source: "hook", State: StateRinging, Remote: "2125550123"},
			},
			gaps:        []time.Duration{0, 30 * time.Second},
			wantDiff:    [][2]int{{0, 1}},
			wantChanged: []bool{true, true},
			wantCalls:   2,
		},
		{
			name: "different numbers never merge",
			evs: []Event{
				{Source: "sip", CallID: "s1", State: StateRinging, Remote: "+12125550123"},
				{Source: "hook", State: StateRinging, Remote: "3125550100"},
			},
			gaps:        []time.Duration{0, time.Second},
			wantDiff:    [][2]int{{0, 1}},
			wantChanged: []bool{true, true},
			wantCalls:   2,
		},
		{
			name: "different directions never merge",
			evs: []Event{
				{Source: "sip", CallID: "s1", State: StateRinging, Remote: "+12125550123", Direction: DirectionOut},
				{Source: "hook", State: StateRinging, Remote: "2125550123", Direction: DirectionIn},
			},
			gaps:        []time.Duration{0, time.Second},
			wantDiff:    [][2]int{{0, 1}},
			wantChanged: []bool{true, true},
			wantCalls:   2,
		},
		{
			name: "call waiting: same source, new call id, same number stays separate",
			evs: []Event{
				{Source: "sip", CallID: "a", State: StateRinging, Remote: "+12125550123"},
				{Source: "sip", CallID: "a", State: StateAnswered},
				{Source: "sip", CallID: "b", State: StateRinging, Remote: "+12125550123"},
				{Source: "sip", CallID: "b", State: StateEnded},
				{Source: "sip", CallID: "a", State: StateEnded},
			},
			gaps:        []time.Duration{0, time.Second, time.Second, 5 * time.Second, time.Minute},
			wantSame:    [][2]int{{0, 1}, {0, 4}, {2, 3}},
			wantDiff:    [][2]int{{0, 2}},
			wantChanged: []bool{true, true, true, true, true},
			wantCalls:   2,
		},
		{
			name: "call waiting: a second caller while a call is active",
			evs: []Event{
				{Source: "ami", CallID: "ami-1", State: StateRinging, Remote: "+12125550123"},
				{Source: "ami", CallID: "ami-1", State: StateAnswered},
				{Source: "ami", CallID: "ami-2", State: StateRinging, Remote: "+13125550100"},
				{Source: "ami", CallID: "ami-2", State: StateAnswered},
				{Source: "ami", CallID: "ami-1", State: StateEnded},
				{Source: "ami", CallID: "ami-2", State: StateEnded},
			},
			gaps:        []time.Duration{0, time.Second, 10 * time.Second, time.Second, time.Second, time.Minute},
			wantSame:    [][2]int{{0, 4}, {2, 5}},
			wantDiff:    [][2]int{{0, 2}},
			wantChanged: []bool{true, true, true, true, true, true},
			wantCalls:   2,
		},
		{
			name: "transfer: the call id stays, the remote changes, one call",
			evs: []Event{
				{Source: "ami", CallID: "ami-1", State: StateRinging, Remote: "+12125550123"},
				{Source: "ami", CallID: "ami-1", State: StateAnswered, Remote: "+12125550123"},
				{Source: "ami", CallID: "ami-1", State: StateAnswered, Remote: "+13125550100"},
				{Source: "ami", CallID: "ami-1", State: StateEnded, Remote: "+13125550100"},
			},
			gaps:        []time.Duration{0, time.Second, time.Minute, time.Minute},
			wantSame:    [][2]int{{0, 1}, {0, 2}, {0, 3}},
			wantChanged: []bool{true, true, false, true},
			wantCalls:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, c := newTestTracker(t)
			ids, changed, calls := applyAll(tr, c, tt.evs, tt.gaps)
			for i, want := range tt.wantChanged {
				if changed[i] != want {
					t.Errorf("Apply(%+v) changed = %v, want %v", tt.evs[i], changed[i], want)
				}
			}
			for _, p := range tt.wantSame {
				if ids[p[0]] == "" || ids[p[0]] != ids[p[1]] {
					t.Errorf("events %d and %d: call ids %q and %q, want the same call", p[0], p[1], ids[p[0]], ids[p[1]])
				}
			}
			for _, p := range tt.wantDiff {
				if ids[p[0]] == ids[p[1]] {
					t.Errorf("events %d and %d: call ids both %q, want different calls", p[0], p[1], ids[p[0]])
				}
			}
			if len(calls) != tt.wantCalls {
				t.Errorf("calls = %d (%v), want %d", len(calls), ids, tt.wantCalls)
			}
		})
	}
}

func TestTrackerMergedCallFields(t *testing.T) {
	tr, c := newTestTracker(t)
	first, _ := tr.Apply(Event{Source: "hook", State: StateRinging, Remote: "2125550123"})
	c.Add(time.Second)
	got, changed := tr.Apply(Event{Source: "ami", CallID: "ami-9", State: StateRinging, Remote: "+12125550123",
		RemoteName: "Jane Client", Local: "201"})
	if changed || got.ID != first.ID || got.Source != "hook" || got.SourceCallID != "" {
		t.Errorf("Apply(second report) = %+v, %v, want call %q from hook, unchanged", got, changed, first.ID)
	}
	// Fields the first source lacked are filled by the next state change.
	c.Add(4 * time.Second)
	got, _ = tr.Apply(Event{Source: "ami", CallID: "ami-9", State: StateAnswered, RemoteName: "Jane Client"})
	if got.ID != first.ID || got.RemoteName != "Jane Client" || got.Duration() != 0 || got.Phase != PhaseActive {
		t.Errorf("Apply(answered via alias) = %+v, want call %q active with the name", got, first.ID)
	}
	c.Add(time.Minute)
	got, _ = tr.Apply(Event{Source: "ami", CallID: "ami-9", State: StateEnded})
	if got.ID != first.ID || got.Duration() != time.Minute || got.Missed() {
		t.Errorf("Apply(ended via alias) = %+v, want 1m0s", got)
	}
}

func TestTrackerMergeOff(t *testing.T) {
	tr := NewTracker(TrackerOptions{MergeWindow: -1})
	a, _ := tr.Apply(Event{Source: "sip", CallID: "s1", State: StateRinging, Remote: "2125550123"})
	b, _ := tr.Apply(Event{Source: "hook", State: StateRinging, Remote: "2125550123"})
	if a.ID == b.ID {
		t.Errorf("with MergeWindow -1 two sources share call %q, want separate calls", a.ID)
	}
}

func TestTrackerInternalCalls(t *testing.T) {
	tests := []struct {
		name        string
		opts        TrackerOptions
		ev          Event
		wantIgnored bool
	}{
		{"extension to extension", TrackerOptions{MinDigits: 7},
			Event{Source: "sip", CallID: "i1", State: StateRinging, Remote: "sip:1002@pbx", Local: "sip:1001@pbx"}, true},
		{"extension, local unknown", TrackerOptions{MinDigits: 7},
			Event{Source: "hook", State: StateRinging, Remote: "1002"}, true},
		{"extension, local named", TrackerOptions{MinDigits: 7},
			Event{Source: "sip", CallID: "i1", State: StateRinging, Remote: "204", Local: "sip:attorney@pbx"}, true},
		{"external caller", TrackerOptions{MinDigits: 7},
			Event{Source: "sip", CallID: "e1", State: StateRinging, Remote: "+12125550123", Local: "1001"}, false},
		{"short remote on a full local number", TrackerOptions{MinDigits: 7},
			Event{Source: "tapi", CallID: "e1", State: StateRinging, Remote: "411", Local: "+12125550100"}, false},
		{"MinDigits zero keeps everything", TrackerOptions{},
			Event{Source: "sip", CallID: "i1", State: StateRinging, Remote: "1002", Local: "1001"}, false},
		{"IsInternal wins over MinDigits", TrackerOptions{MinDigits: 7,
			IsInternal: func(remote, local string) bool { return remote == "+12125550123" }},
			Event{Source: "sip", CallID: "i1", State: StateRinging, Remote: "+12125550123"}, true},
		{"name-only remote is not an extension", TrackerOptions{MinDigits: 7},
			Event{Source: "sip", CallID: "i1", State: StateRinging, Remote: "sip:alice@pbx"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker(tt.opts)
			_, changed := tr.Apply(tt.ev)
			if changed == tt.wantIgnored {
				t.Fatalf("Apply(%+v) changed = %v, want %v", tt.ev, changed, !tt.wantIgnored)
			}
			if !tt.wantIgnored || tt.ev.CallID == "" {
				return
			}
			// Later events of an ignored call are ignored too, even without a number.
			for _, st := range []State{StateAnswered, StateEnded} {
				next := Event{Source: tt.ev.Source, CallID: tt.ev.CallID, State: st}
				if got, changed := tr.Apply(next); changed || got.ID != "" {
					t.Errorf("Apply(%+v) = %+v, %v, want zero call, false", next, got, changed)
				}
			}
			if n := len(tr.Active()); n != 0 {
				t.Errorf("len(Active()) = %d, want 0", n)
			}
		})
	}
}

func TestTrackerExpire(t *testing.T) {
	tr, c := newTestTracker(t)
	tr.Apply(Event{Source: "ami", CallID: "lost", State: StateRinging, Remote: "2125550123"})
	tr.Apply(Event{Source: "ami", CallID: "talking", State: StateAnswered, Remote: "3125550100"})
	c.Add(time.Minute)
	tr.Apply(Event{Source: "ami", CallID: "fresh", State: StateRinging, Remote: "4155550100"})
	c.Add(DefaultRingTimeout)
	got := tr.Expire(c.Now())
	if len(got) != 1 || got[0].ID != "lost" || !got[0].Missed() || !got[0].EndedAt.Equal(c.Now()) {
		t.Fatalf("Expire() = %+v, want only call %q, missed, ended now", got, "lost")
	}
	if again := tr.Expire(c.Now()); len(again) != 0 {
		t.Errorf("second Expire() = %+v, want none", again)
	}
	// The source's late hang-up is now a repeat.
	if _, changed := tr.Apply(Event{Source: "ami", CallID: "lost", State: StateEnded}); changed {
		t.Errorf("Apply(late end of expired call) changed = true, want false")
	}
	act := tr.Active()
	if len(act) != 2 {
		t.Errorf("Active() = %+v, want the active and the fresh call", act)
	}
}

func TestMessageValidate(t *testing.T) {
	tests := []struct {
		name    string
		m       Message
		wantErr bool
	}{
		{"ok", Message{Source: "hook", Remote: "+12125550123", Text: "running late"}, false},
		{"e164 only", Message{Source: "hook", RemoteE164: "+12125550123", Text: "hi", Direction: DirectionOut}, false},
		{"no text", Message{Source: "hook", Remote: "+12125550123", Text: "  "}, true},
		{"no number", Message{Source: "hook", Text: "hi"}, true},
		{"bad direction", Message{Source: "hook", Remote: "1", Text: "hi", Direction: "up"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.m.Validate(); (err != nil) != tt.wantErr {
				t.Errorf("Validate(%+v) = %v, want error %v", tt.m, err, tt.wantErr)
			}
		})
	}
}
