package tapi

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkTrackerApply measures one event through the tracker: a stream of
// calls (ringing, a repeat, answered, ended) from a source with call ids and
// a second source without, with hundreds of recent ended calls kept. It
// reports the p99 latency of Apply and allocations per event.
func BenchmarkTrackerApply(b *testing.B) {
	now := t0
	tr := NewTracker(TrackerOptions{Now: func() time.Time { return now }, MinDigits: 7})
	const numbers = 500
	remotes := make([]string, numbers)
	ids := make([]string, numbers)
	for i := range remotes {
		remotes[i] = fmt.Sprintf("+1212555%04d", i)
		ids[i] = fmt.Sprintf("c%d", i)
	}
	states := [...]State{StateRinging, StateRinging, StateAnswered, StateEnded}
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		call := i / len(states)
		e := Event{Source: "sip", CallID: ids[call%numbers], State: states[i%len(states)],
			Remote: remotes[call%numbers], At: now}
		if call%2 == 1 {
			e.Source, e.CallID = "hook", ""
		}
		now = now.Add(time.Second)
		start := time.Now()
		tr.Apply(e)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns/event")
	}
}
