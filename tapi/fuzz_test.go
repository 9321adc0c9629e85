package tapi

import (
	"testing"
	"time"
)

// FuzzTracker feeds random event sequences to a tracker: it must never panic,
// never report a negative duration, keep calls moving forward, and keep
// Active sorted.
func FuzzTracker(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 1, 1, 0, 5, 2, 1, 0, 9})
	f.Add([]byte{2, 0, 1, 0, 0, 0, 1, 0, 2, 0, 1, 200})
	f.Add([]byte{1, 3, 2, 1, 0, 3, 2, 0, 2, 3, 2, 255, 2, 3, 2, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4*2000 {
			data = data[:4*2000]
		}
		states := []State{StateRinging, StateAnswered, StateEnded, "bogus"}
		ids := []string{"", "a", "b", "call-x"}
		remotes := []string{"", "2125550123", "+1 212 555 0123", "3125550100"}
		dirs := []Direction{"", DirectionIn, DirectionOut, "up"}
		now := t0
		tr := NewTracker(TrackerOptions{Now: func() time.Time { return now }})
		phases := map[string]int{}
		for i := 0; i+4 <= len(data); i += 4 {
			b := data[i : i+4]
			e := Event{
				Source:    []string{"sip", "hook"}[b[3]&1],
				State:     states[b[0]%4],
				CallID:    ids[b[1]%4],
				Remote:    remotes[(b[1]>>2)%4],
				Direction: dirs[(b[0]>>2)%4],
			}
			if b[2]&1 != 0 {
				e.Reason = EndRejected // ignored unless the event ends an unanswered call
			}
			// Times jump back and forth by up to two minutes.
			offset := time.Duration(int8(b[2])) * time.Second
			if b[3]&2 != 0 {
				e.At = now.Add(offset)
			}
			now = now.Add(time.Duration(b[3]>>2) * 10 * time.Second)
			before := map[string]*tracked{}
			tr.mu.Lock()
			for id, p := range tr.calls {
				before[id] = p
			}
			tr.mu.Unlock()
			c, changed := tr.Apply(e)
			tr.mu.Lock()
			isNew := tr.calls[c.ID] != before[c.ID]
			tr.mu.Unlock()
			if d := c.Duration(); d < 0 {
				t.Fatalf("Apply(%+v) duration = %v, want >= 0", e, d)
			}
			if changed {
				if c.ID == "" || c.Phase.rank() == 0 {
					t.Fatalf("Apply(%+v) = %+v, want an id and a phase", e, c)
				}
				if isNew {
					phases[c.ID] = 0 // a new call (possibly reusing a forgotten id)
				}
				if r := c.Phase.rank(); r <= phases[c.ID] {
					t.Fatalf("Apply(%+v) moved call %q back to %q", e, c.ID, c.Phase)
				}
				phases[c.ID] = c.Phase.rank()
			}
			if c.Missed() && (c.Direction != DirectionIn || !c.AnsweredAt.IsZero()) {
				t.Fatalf("Apply(%+v) = %+v reported missed", e, c)
			}
			if c.Rejected() && !c.Missed() || c.EndReason != "" && (c.Phase != PhaseEnded || !c.AnsweredAt.IsZero()) {
				t.Fatalf("Apply(%+v) = %+v: Rejected() = %v with Missed() = %v", e, c, c.Rejected(), c.Missed())
			}
			act := tr.Active()
			for j := 1; j < len(act); j++ {
				if act[j].RingAt.Before(act[j-1].RingAt) {
					t.Fatalf("Active() not sorted by RingAt: %+v", act)
				}
			}
		}
	})
}
