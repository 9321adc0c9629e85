package clio

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Rate is Clio's rate limit state as reported by the X-RateLimit-Limit
// (requests allowed per window), X-RateLimit-Remaining and X-RateLimit-Reset
// (unix time the window ends) response headers. The zero Rate means no
// headers were seen.
// https://docs.developers.clio.com/api-docs/rate-limits
type Rate struct {
	Limit, Remaining int
	Reset            time.Time
}

// Rate returns the X-RateLimit-* values of the last response that carried
// them.
func (c *Client) Rate() Rate {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate
}

const (
	headerRateLimit     = "X-RateLimit-Limit"
	headerRateRemaining = "X-RateLimit-Remaining"
	headerRateReset     = "X-RateLimit-Reset"
	headerRetryAfter    = "Retry-After"

	// maxUnix is 9999-12-31T23:59:59Z; later resets are treated as garbage.
	maxUnix = 253402300799
	// maxRetryAfter caps a Retry-After hint so a bad header cannot park
	// work for years.
	maxRetryAfter = 24 * time.Hour
)

// parseRate reads the X-RateLimit-* headers. ok is false when none of them
// is present and well formed (unauthenticated 401s carry none). exhausted
// is true only when X-RateLimit-Remaining is present and 0.
func parseRate(h http.Header) (r Rate, exhausted, ok bool) {
	if n, good := parseCount(h.Get(headerRateLimit)); good {
		r.Limit, ok = n, true
	}
	if n, good := parseCount(h.Get(headerRateRemaining)); good {
		r.Remaining, ok = n, true
		exhausted = n == 0
	}
	if s := strings.TrimSpace(h.Get(headerRateReset)); s != "" {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil && sec > 0 && sec <= maxUnix {
			r.Reset, ok = time.Unix(sec, 0), true
		}
	}
	return r, exhausted, ok
}

// parseCount parses a non-negative header integer.
func parseCount(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 0 {
		return 0, false
	}
	return int(n), true
}

// parseRetryAfter reads a Retry-After header, given either as delay seconds
// or as an HTTP date. ok is false when the header is absent or malformed.
func parseRetryAfter(s string, now time.Time) (d time.Duration, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
		if sec < 0 {
			return 0, false
		}
		if sec > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(sec) * time.Second, true
	}
	t, err := http.ParseTime(s)
	if err != nil {
		return 0, false
	}
	d = t.Sub(now)
	switch {
	case d < 0:
		d = 0
	case d > maxRetryAfter:
		d = maxRetryAfter
	}
	return d, true
}

// observe records the rate headers of a response and, for a 429, the time
// before which no request should be sent.
func (c *Client) observe(h http.Header, err error, now time.Time) {
	r, exhausted, ok := parseRate(h)
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		c.rate, c.exhausted = r, exhausted
	}
	if rl, ok := err.(*RateLimitError); ok {
		if until := now.Add(rl.RetryAfter); rl.RetryAfter > 0 && until.After(c.retryAt) {
			c.retryAt = until
		}
	}
}

// checkRateLimit refuses to send while the last seen window is exhausted
// (X-RateLimit-Remaining 0 and X-RateLimit-Reset still ahead) or a 429's
// Retry-After has not passed. It returns the *RateLimitError a 429 would
// have produced, without touching the network.
func (c *Client) checkRateLimit() error {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	until := c.retryAt
	if c.exhausted && c.rate.Reset.After(until) {
		until = c.rate.Reset
	}
	if !until.After(now) {
		return nil
	}
	reset := c.rate.Reset
	if reset.IsZero() || reset.Before(until) {
		reset = until
	}
	return &RateLimitError{RetryAfter: until.Sub(now), Reset: reset, Rate: c.rate}
}
