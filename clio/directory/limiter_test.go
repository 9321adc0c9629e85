package directory

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// alignedLimiter enforces Clio's rate limit in front of a handler: limit
// requests per window, windows aligned to multiples of window since the
// Unix epoch (window is whole seconds), so that X-RateLimit-Reset, which
// has whole seconds only, is exact. It answers 429 with Retry-After past
// the limit and rewrites the X-RateLimit-* headers of what it lets through.
type alignedLimiter struct {
	limit  int
	window time.Duration
	inner  http.Handler

	mu      sync.Mutex
	windows map[int64]int // window index -> requests let through
	refused int
	first   time.Time // first request let through
	last    time.Time // last request let through
}

func newAlignedLimiter(limit int, window time.Duration, inner http.Handler) *alignedLimiter {
	return &alignedLimiter{limit: limit, window: window, inner: inner, windows: map[int64]int{}}
}

func (l *alignedLimiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	idx := now.UnixNano() / int64(l.window)
	reset := time.Unix(0, (idx+1)*int64(l.window))
	l.mu.Lock()
	n := l.windows[idx]
	if n >= l.limit {
		l.refused++
		l.mu.Unlock()
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(l.limit))
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		w.Header().Set("Retry-After", strconv.FormatInt(int64((reset.Sub(now)+time.Second-1)/time.Second), 10))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":{"type":"RateLimited","message":"Rate limit exceeded."}}`)
		return
	}
	l.windows[idx] = n + 1
	if l.first.IsZero() {
		l.first = now
	}
	l.last = now
	l.mu.Unlock()
	l.inner.ServeHTTP(&rateHeaderWriter{ResponseWriter: w, limit: l.limit, remaining: l.limit - n - 1, reset: reset}, r)
}

// stats returns the requests let through per window, those refused, and
// the times of the first and last request let through.
func (l *alignedLimiter) stats() (perWindow map[int64]int, refused int, first, last time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	perWindow = make(map[int64]int, len(l.windows))
	for k, v := range l.windows {
		perWindow[k] = v
	}
	return perWindow, l.refused, l.first, l.last
}

// rateHeaderWriter replaces the X-RateLimit-* headers of a response.
type rateHeaderWriter struct {
	http.ResponseWriter
	limit, remaining int
	reset            time.Time
	wrote            bool
}

func (w *rateHeaderWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		h := w.Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(w.limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(w.remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(w.reset.Unix(), 10))
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *rateHeaderWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
