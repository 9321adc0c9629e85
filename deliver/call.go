package deliver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// maxInlineWait is the longest rate-limit wait spent inside one delivery;
// longer waits hand the item back to the outbox with a RetryError.
const maxInlineWait = 90 * time.Second

// call runs one Clio request: it waits out the rate limit window first
// (pacing by X-RateLimit-Remaining and -Reset), waits and tries again after
// a 429 (Retry-After) when the wait is short, and wraps a failed write whose
// outcome is unknown with queue.ErrUncertain. what names the step for the
// error.
func (w *Writer) call(ctx context.Context, write bool, what string, fn func(ctx context.Context) (*clio.Response, error)) error {
	for tries := 0; ; tries++ {
		if err := w.pace.wait(ctx); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		t0 := time.Now()
		resp, err := fn(ctx)
		w.pace.observe(resp, t0, time.Now())
		var rl *clio.RateLimitError
		if errors.As(err, &rl) && tries < 5 {
			wait := max(rl.RetryAfter, time.Until(w.pace.until()), 50*time.Millisecond)
			if dl, ok := ctx.Deadline(); wait <= maxInlineWait && (!ok || time.Now().Add(wait).Before(dl)) {
				if err := sleepCtx(ctx, wait); err != nil {
					return fmt.Errorf("%s: %w", what, err)
				}
				continue
			}
		}
		if err == nil {
			return nil
		}
		if write && !definite(err) {
			return fmt.Errorf("%s (%w): %w", what, queue.ErrUncertain, err)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
}

// definite reports whether a failed request certainly changed nothing: an
// answer from Clio below 500, a request the client refused to send, or a
// connection that was never made.
func definite(err error) bool {
	var (
		api *clio.APIError
		ae  *clio.AuthError
		rl  *clio.RateLimitError
		op  *net.OpError
	)
	switch {
	case errors.As(err, &rl), errors.As(err, &ae):
		return true
	case errors.As(err, &api):
		return api.StatusCode < 500
	case errors.As(err, &op):
		return op.Op == "dial"
	}
	return clio.IsPermanent(err)
}

// recordError passes a Recorder error on: a lost lease stops the attempt
// and an earlier write is then not recorded, so the outcome is uncertain.
func recordError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("record delivery step (%w): %w", queue.ErrUncertain, err)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
