package fake

import (
	"sync"
	"time"
)

// unlimitedRate is the X-RateLimit-Limit reported when Options.RateLimit is 0.
const unlimitedRate = 1_000_000

// defaultRateWindow is Clio's window: X-RateLimit-Limit is per 60 s.
const defaultRateWindow = 60 * time.Second

// limiter counts requests per token in fixed windows (60 s by default),
// like Clio's X-RateLimit-* headers describe.
type limiter struct {
	limit  int // 0 = unlimited
	window time.Duration

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

func newLimiter(limit int, win time.Duration) *limiter {
	if win <= 0 {
		win = defaultRateWindow
	}
	return &limiter{limit: limit, window: win, windows: map[string]*window{}}
}

// take counts one request for key at now.
func (l *limiter) take(key string, now time.Time) rate {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.current(key, now)
	limit := l.limit
	if limit <= 0 {
		limit = unlimitedRate
	}
	reset := w.start.Add(l.window)
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

// current returns key's window at now, starting a new one when the last
// has ended. l.mu must be held.
func (l *limiter) current(key string, now time.Time) *window {
	w := l.windows[key]
	if w == nil || !now.Before(w.start.Add(l.window)) {
		w = &window{start: now}
		l.windows[key] = w
	}
	return w
}

// spend counts one request for key at now whatever the budget, and reports
// the window as exhausted: what an injected 429 tells the client.
func (l *limiter) spend(key string, now time.Time) rate {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.current(key, now)
	w.count++
	limit := l.limit
	if limit <= 0 {
		limit = unlimitedRate
	}
	reset := w.start.Add(l.window)
	return rate{Limit: limit, Remaining: 0, Reset: reset, RetryAfter: reset.Sub(now)}
}

// retryAfterSeconds rounds d up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int64 {
	return max(int64((d+time.Second-1)/time.Second), 1)
}
