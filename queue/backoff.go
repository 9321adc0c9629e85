package queue

import (
	"math/rand/v2"
	"time"
)

// backoffCeiling is MinBackoff·2^(attempts-1), capped at MaxBackoff.
func backoffCeiling(attempts int, minB, maxB time.Duration) time.Duration {
	d := minB
	for i := 1; i < attempts && d < maxB; i++ {
		d *= 2
	}
	return min(d, maxB)
}

// backoff picks a delay with full jitter between MinBackoff and the
// ceiling for this attempt. The floor of MinBackoff (rather than zero) keeps
// a failing item from being retried at once within the same drain.
// jitter(n) returns a value in [0, n]; nil means math/rand/v2.
func backoff(attempts int, minB, maxB time.Duration, jitter func(n int64) int64) time.Duration {
	ceil := backoffCeiling(attempts, minB, maxB)
	span := int64(ceil - minB)
	if span <= 0 {
		return ceil
	}
	if jitter == nil {
		jitter = func(n int64) int64 { return rand.Int64N(n + 1) }
	}
	j := jitter(span)
	j = max(0, min(j, span))
	return minB + time.Duration(j)
}
