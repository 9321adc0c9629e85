package clio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLowPriorityDelay(t *testing.T) {
	reset := testNow.Add(40 * time.Second)
	tests := []struct {
		name      string
		rate      Rate
		retryAt   time.Time
		reserve   int
		want      time.Duration
		wantAgain bool
	}{
		{"no headers seen", Rate{}, time.Time{}, 10, 0, false},
		{"above the reserve", Rate{Limit: 50, Remaining: 11, Reset: reset}, time.Time{}, 10, 0, false},
		{"at the reserve", Rate{Limit: 50, Remaining: 10, Reset: reset}, time.Time{}, 10, 40 * time.Second, false},
		{"below the reserve", Rate{Limit: 50, Remaining: 3, Reset: reset}, time.Time{}, 10, 40 * time.Second, false},
		{"spent", Rate{Limit: 50, Remaining: 0, Reset: reset}, time.Time{}, 0, 40 * time.Second, false},
		{"reserve 0 leaves the last request", Rate{Limit: 50, Remaining: 1, Reset: reset}, time.Time{}, 0, 0, false},
		{"window already reset", Rate{Limit: 50, Remaining: 0, Reset: testNow.Add(-time.Second)}, time.Time{}, 10, 0, false},
		{"retry-after beyond the reset", Rate{Limit: 50, Remaining: 0, Reset: reset}, testNow.Add(time.Minute), 10, time.Minute, false},
		{"retry-after with budget left", Rate{Limit: 50, Remaining: 30, Reset: reset}, testNow.Add(5 * time.Second), 10, 5 * time.Second, false},
		{"far reset is looked at again", Rate{Limit: 50, Remaining: 0, Reset: testNow.Add(time.Hour)}, time.Time{}, 10, maxBudgetWait, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := setup(t)
			c.rate, c.retryAt = tt.rate, tt.retryAt
			c.SetReserve(tt.reserve)
			got, again := c.lowPriorityDelay()
			if got != tt.want || again != tt.wantAgain {
				t.Errorf("lowPriorityDelay(%+v, reserve %d) = %v, %v, want %v, %v", tt.rate, tt.reserve, got, again, tt.want, tt.wantAgain)
			}
		})
	}
}

func TestSetReserve(t *testing.T) {
	c, _, _ := setup(t)
	if c.reserve != DefaultReserve {
		t.Errorf("NewClient reserve = %d, want %d", c.reserve, DefaultReserve)
	}
	for _, tt := range []struct{ in, want int }{{25, 25}, {0, 0}, {-4, 0}} {
		c.SetReserve(tt.in)
		if c.reserve != tt.want {
			t.Errorf("SetReserve(%d) reserve = %d, want %d", tt.in, c.reserve, tt.want)
		}
	}
}

// budgetServer answers every request with the rate headers remaining and
// resetAt, and counts the requests and when they came.
type budgetServer struct {
	mu        sync.Mutex
	remaining int
	resetAt   time.Time
	hits      []time.Time
}

func (b *budgetServer) handle(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hits = append(b.hits, time.Now())
	w.Header().Set("X-RateLimit-Limit", "50")
	w.Header().Set("X-RateLimit-Remaining", fmt.Sprint(b.remaining))
	w.Header().Set("X-RateLimit-Reset", fmt.Sprint(b.resetAt.Unix()))
	fmt.Fprint(w, `{"data":{"id":1}}`)
}

func (b *budgetServer) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.hits)
}

// budgetSetup returns a client on the real clock whose first request saw
// remaining requests left in a window that resets in one to two seconds.
func budgetSetup(t *testing.T, remaining int) (*Client, *budgetServer) {
	t.Helper()
	c, mux, _ := setup(t)
	c.now = time.Now
	// X-RateLimit-Reset has whole seconds: the next second boundary plus one.
	b := &budgetServer{remaining: remaining, resetAt: time.Now().Truncate(time.Second).Add(2 * time.Second)}
	mux.HandleFunc("/", b.handle)
	if _, _, err := c.Users.WhoAmI(t.Context()); err != nil {
		t.Fatalf("first request error = %v", err)
	}
	return c, b
}

func TestLowPriorityWaitsForReset(t *testing.T) {
	c, b := budgetSetup(t, DefaultReserve)
	start := time.Now()
	if _, _, err := c.Users.WhoAmI(WithLowPriority(t.Context())); err != nil {
		t.Fatalf("low-priority WhoAmI error = %v", err)
	}
	b.mu.Lock()
	hits, resetAt := b.hits, b.resetAt
	b.mu.Unlock()
	if len(hits) != 2 {
		t.Fatalf("requests = %d, want 2", len(hits))
	}
	if hits[1].Before(resetAt) {
		t.Errorf("low-priority request sent %v before the reset (waited %v), want it held until the reset",
			resetAt.Sub(hits[1]), hits[1].Sub(start))
	}
}

func TestNormalPriorityUsesTheReserve(t *testing.T) {
	c, b := budgetSetup(t, 1)
	start := time.Now()
	if _, _, err := c.Users.WhoAmI(t.Context()); err != nil {
		t.Fatalf("normal WhoAmI error = %v", err)
	}
	if b.count() != 2 || time.Since(start) > 500*time.Millisecond {
		t.Errorf("normal request with 1 left: %d requests after %v, want 2 at once", b.count(), time.Since(start))
	}
}

func TestLowPriorityAboveReserveDoesNotWait(t *testing.T) {
	c, b := budgetSetup(t, DefaultReserve+1)
	start := time.Now()
	if _, _, err := c.Users.WhoAmI(WithLowPriority(t.Context())); err != nil {
		t.Fatalf("low-priority WhoAmI error = %v", err)
	}
	if b.count() != 2 || time.Since(start) > 500*time.Millisecond {
		t.Errorf("low-priority request above the reserve: %d requests after %v, want 2 at once", b.count(), time.Since(start))
	}
}

func TestLowPriorityHonoursContext(t *testing.T) {
	c, b := budgetSetup(t, 0)
	ctx, cancel := context.WithTimeout(WithLowPriority(t.Context()), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	var calls atomic.Int32
	err := c.Contacts.ListAll(ctx, nil, func([]Contact) error { calls.Add(1); return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("low-priority ListAll while spent error = %v, want context.DeadlineExceeded", err)
	}
	if IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = true, want false", err)
	}
	if time.Since(start) > time.Second || b.count() != 1 || calls.Load() != 0 {
		t.Errorf("after %v: %d requests, %d pages, want the wait cut short with no request", time.Since(start), b.count(), calls.Load())
	}
	// A normal request is refused at once while the window is spent.
	var rl *RateLimitError
	if _, _, err := c.Users.WhoAmI(t.Context()); !errors.As(err, &rl) {
		t.Errorf("normal WhoAmI while spent error = %v, want *RateLimitError", err)
	}
}

func TestWithLowPriority(t *testing.T) {
	ctx := t.Context()
	if isLowPriority(ctx) {
		t.Error("isLowPriority(plain context) = true, want false")
	}
	if !isLowPriority(WithLowPriority(ctx)) {
		t.Error("isLowPriority(WithLowPriority(ctx)) = false, want true")
	}
	child, cancel := context.WithCancel(WithLowPriority(ctx))
	defer cancel()
	if !isLowPriority(child) {
		t.Error("isLowPriority(child of WithLowPriority) = false, want true")
	}
}
