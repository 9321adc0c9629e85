package fake

import (
	"sync"
	"time"
)

// unlimitedRate is the X-RateLimit-Limit reported when Options.RateLimit is 0.
const unlimitedRate = 1_000_000

const rateWindow = 60 * time.Second

// limiter counts requests per token in fixed 60-second windows, like
// Clio's X-RateLimit-* headers describe.
type limiter struct {
	limit int // 0 = unlimited

	mu      sync.Mutex
	windows map[string]*window
}

type window struct {
	start time.Time
	count int
}

// rate is what one request learned from the limiter.
type rate struct {
	Limit, Remaining int
	Reset            time.Time
	Allowed          bool
	RetryAfter       time.Duration
}

func newLimiter(limit int) *limiter {
	return &limiter{limit: limit, windows: map[string]*window{}}
}

// take counts one request for key at now.
func (l *limiter) take(key string, now time.Time) rate {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if w == nil || !now.Before(w.start.Add(rateWindow)) {
		w = &window{start: now}
		l.windows[key] = w
	}
	limit := l.limit
	if limit <= 0 {
		limit = unlimitedRate
	}
	reset := w.start.Add(rateWindow)
	if l.limit > 0 && w.count >= limit {
		return rate{Limit: limit, Remaining: 0, Reset: reset, RetryAfter: reset.Sub(now)}
	}
	w.count++
	remaining := limit - w.count
	if l.limit <= 0 && w.count >= limit {
		w.count = 0 // never run out when unlimited
	}
	return rate{Limit: limit, Remaining: remaining, Reset: reset, Allowed: true}
}
