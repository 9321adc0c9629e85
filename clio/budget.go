package clio

import (
	"context"
	"fmt"
	"time"
)

// The rate budget keeps background work from spending the requests the
// user's own work needs. Clio allows about 50 requests a minute per token;
// a directory sync paging through thousands of contacts could use them all
// and leave a just-finished call waiting in the outbox. Requests made with
// a WithLowPriority context therefore stop while the last seen
// X-RateLimit-Remaining is at or below the client's reserve, and wait
// (honouring their context) until the window's X-RateLimit-Reset. Normal
// requests keep going until Remaining is 0, as before.

// DefaultReserve is the number of requests per rate-limit window kept for
// normal-priority work unless SetReserve says otherwise.
const DefaultReserve = 10

// maxBudgetWait bounds one sleep of a waiting low-priority request; it
// looks at the budget again afterwards.
const maxBudgetWait = 2 * time.Minute

type priorityKey struct{}

// WithLowPriority returns a context whose Clio requests are background
// work (such as a directory sync): they wait while the rate budget is down
// to the reserve (see Client.SetReserve) instead of competing with the
// user's own requests.
func WithLowPriority(ctx context.Context) context.Context {
	return context.WithValue(ctx, priorityKey{}, true)
}

// isLowPriority reports whether ctx came from WithLowPriority.
func isLowPriority(ctx context.Context) bool {
	low, _ := ctx.Value(priorityKey{}).(bool)
	return low
}

// SetReserve sets how many requests of each rate-limit window are kept for
// normal-priority work (DefaultReserve until set; a negative n means 0).
// It is safe to call at any time.
func (c *Client) SetReserve(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reserve = max(n, 0)
}

// awaitBudget runs before every API request. A low-priority request first
// waits for the budget to come back above the reserve, and for any 429
// Retry-After to pass; then every request goes through checkRateLimit.
func (c *Client) awaitBudget(ctx context.Context) error {
	if isLowPriority(ctx) {
		for {
			d, again := c.lowPriorityDelay()
			if d <= 0 {
				break
			}
			if err := sleep(ctx, d); err != nil {
				return fmt.Errorf("wait for clio rate budget: %w", err)
			}
			if !again {
				break
			}
		}
	}
	return c.checkRateLimit()
}

// lowPriorityDelay returns how long a low-priority request must wait now:
// until the window's reset while the last seen remaining count is at or
// below the reserve, and until a 429's Retry-After has passed. again is
// true when the wait was cut to maxBudgetWait and must be looked at anew.
func (c *Client) lowPriorityDelay() (d time.Duration, again bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	until := c.retryAt
	if c.rate.Remaining <= c.reserve && c.rate.Reset.After(until) {
		until = c.rate.Reset
	}
	if !until.After(now) {
		return 0, false
	}
	d = until.Sub(now)
	if d > maxBudgetWait {
		return maxBudgetWait, true
	}
	return d, false
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
