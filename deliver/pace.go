package deliver

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// pacer spaces requests by Clio's rate-limit headers: once a window's
// X-RateLimit-Remaining reaches 0 it waits for the window to end. Clio
// gives X-RateLimit-Reset in whole seconds; the pacer sharpens it by
// noting when the first request of each window was sent and answered
// (the window starts in between) and taking the window as a whole number
// of seconds, narrowed down over the windows seen, so that short windows
// are not stretched by up to a second each.
type pacer struct {
	mu        sync.Mutex
	remaining int       // last X-RateLimit-Remaining
	end       time.Time // best estimate of the current window's end
	known     bool
	// The window length W in seconds lies in (wLo, wHi]; wHi == 0 means
	// nothing is known yet.
	wLo, wHi float64
}

// observe notes the rate headers of a response to a request sent at t0
// and answered at t1.
func (p *pacer) observe(resp *clio.Response, t0, t1 time.Time) {
	if resp == nil || (resp.Rate.Limit == 0 && resp.Rate.Reset.IsZero()) {
		return
	}
	r := resp.Rate
	p.mu.Lock()
	defer p.mu.Unlock()
	p.known = true
	p.remaining = r.Remaining
	if r.Reset.IsZero() {
		return
	}
	reset := r.Reset // whole seconds: the true end is in [reset, reset+1s)
	end := reset.Add(time.Second)
	if r.Limit > 0 && r.Remaining == r.Limit-1 {
		// The first request of a window: it began at s, t0 <= s <= t1,
		// and reset <= s+W < reset+1s, so W is in (reset-t1, reset-t0+1s].
		lo, hi := reset.Sub(t1).Seconds(), reset.Sub(t0).Seconds()+1
		if p.wHi == 0 || max(lo, p.wLo) >= min(hi, p.wHi) {
			p.wLo, p.wHi = lo, hi // first window, or W changed
		} else {
			p.wLo, p.wHi = max(lo, p.wLo), min(hi, p.wHi)
		}
		if w := math.Floor(p.wHi); w >= 1 && w > p.wLo {
			// The latest the window can have started is t1, and before
			// reset+1s-W; it ends W later.
			est := t1.Add(time.Duration(w) * time.Second)
			if est.After(end) {
				est = end
			}
			if !est.Before(reset) {
				end = est
			}
		}
	} else if !p.end.IsZero() && !p.end.Before(reset) && p.end.Before(end) {
		end = p.end // same window: keep the sharper estimate
	}
	p.end = end
}

// until is when the current window is used up and ends, or the zero time.
func (p *pacer) until() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.known || p.remaining > 0 {
		return time.Time{}
	}
	return p.end
}

// wait sleeps while the last seen window is used up.
func (p *pacer) wait(ctx context.Context) error {
	u := p.until()
	d := time.Until(u)
	if u.IsZero() || d <= 0 {
		return nil
	}
	if d > maxInlineWait {
		return &clio.RateLimitError{RetryAfter: d, Reset: u}
	}
	return sleepCtx(ctx, d)
}
