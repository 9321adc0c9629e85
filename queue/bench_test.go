package queue

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func BenchmarkEnqueue(b *testing.B) {
	o := openAt(b, filepath.Join(b.TempDir(), "outbox.db"), nil)
	it := call(1)
	for b.Loop() {
		if _, err := o.Enqueue(b.Context(), it); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClaimAck(b *testing.B) {
	o := openAt(b, filepath.Join(b.TempDir(), "outbox.db"), nil)
	for range b.N {
		mustEnqueue(b, o, call(0))
	}
	b.ResetTimer()
	for range b.N {
		it, err := o.Claim(b.Context(), "bench", time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if err := o.Ack(b.Context(), it.ID, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnqueueLatency reports the latency percentiles of Enqueue, the
// one durable write (WAL, synchronous=FULL) the UI waits for when a call is
// confirmed: p50-ms and p99-ms.
func BenchmarkEnqueueLatency(b *testing.B) {
	o := openAt(b, filepath.Join(b.TempDir(), "outbox.db"), nil)
	var lat []time.Duration
	for b.Loop() {
		it := call(int64(len(lat)%50 + 1))
		start := time.Now()
		if _, err := o.Enqueue(b.Context(), it); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		i := min(len(lat)-1, int(float64(len(lat))*p))
		return float64(lat[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
