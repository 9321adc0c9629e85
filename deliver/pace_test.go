package deliver

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

func TestPacerSharpensWholeSecondReset(t *testing.T) {
	// A 2 s window that began at 10.300 s: Clio says Reset = 12 (whole
	// seconds); the true end is 12.300.
	base := time.Unix(1_780_000_010, 300_000_000)
	resp := func(remaining int) *clio.Response {
		return &clio.Response{Rate: clio.Rate{Limit: 100, Remaining: remaining, Reset: time.Unix(1_780_000_012, 0)}}
	}
	var p pacer
	p.observe(resp(99), base.Add(-time.Millisecond), base.Add(time.Millisecond))
	if u := p.until(); !u.IsZero() {
		t.Errorf("until() with budget left = %v, want zero", u)
	}
	p.observe(resp(0), base.Add(time.Second), base.Add(time.Second+time.Millisecond))
	want := base.Add(2*time.Second + time.Millisecond)
	if u := p.until(); !u.Equal(want) {
		t.Errorf("until() = %v, want %v (window start + 2 s)", u, want)
	}
	// Without seeing the window's first request, it waits a whole second
	// past the reported reset: never early.
	var q pacer
	q.observe(resp(0), base, base)
	if u := q.until(); !u.Equal(time.Unix(1_780_000_013, 0)) {
		t.Errorf("until() without the window start = %v, want reset + 1 s", u)
	}
}

// BenchmarkDeliveryThroughput delivers calls to the emulator under a
// rate limit and reports the time taken as a ratio to the bound the limit
// allows (requests / limit × window): 1.0 is perfect pacing.
func BenchmarkDeliveryThroughput(b *testing.B) {
	const (
		calls  = 60
		limit  = 40
		window = time.Second
	)
	requests := 1 + 2*calls
	bound := time.Duration(float64(requests) / limit * float64(window))
	var ratios []float64
	for b.Loop() {
		f, err := fake.NewServer(fake.SampleFirm(), fake.Options{Token: "tok", RateLimit: limit, RateWindow: window})
		if err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(f.Handler())
		c, err := clio.NewClient(clio.TokenHTTPClient(b.Context(), "tok"), ts.URL)
		if err != nil {
			b.Fatal(err)
		}
		ob, err := queue.Open(b.Context(), filepath.Join(b.TempDir(), "outbox.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		it := sampleCall()
		for i := range calls {
			it.EventID = fmt.Sprintf("bench-%d", i)
			if _, err := ob.Enqueue(b.Context(), it); err != nil {
				b.Fatal(err)
			}
		}
		start := time.Now()
		res := drainAll(b, ob, c, settings.Default())
		took := time.Since(start)
		if res.Delivered != calls {
			b.Fatalf("delivered %d, want %d", res.Delivered, calls)
		}
		ratios = append(ratios, float64(took)/float64(bound))
		ob.Close()
		ts.Close()
		f.Close()
	}
	sum := 0.0
	for _, r := range ratios {
		sum += r
	}
	b.ReportMetric(sum/float64(len(ratios)), "x-rate-bound")
}
