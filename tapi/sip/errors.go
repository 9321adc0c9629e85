package sip

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrAuth: the PBX still challenges after the digest answer, or it
	// challenges and no password is configured.
	ErrAuth = errors.New("sip authentication failed")
	// ErrSubscriptionGone: the PBX no longer knows the subscription (481),
	// typically after a restart.
	ErrSubscriptionGone = errors.New("sip subscription does not exist")
	// ErrSubscriptionTerminated: a NOTIFY said Subscription-State: terminated.
	ErrSubscriptionTerminated = errors.New("sip subscription terminated")
)

// StatusError is a final non-2xx response to a SUBSCRIBE. It unwraps to
// ErrAuth for 401/407 and to ErrSubscriptionGone for 481.
type StatusError struct {
	StatusCode int
	Reason     string
	// RetryAfter is the Retry-After the PBX asked for, 0 when none.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("subscribe response %d %s", e.StatusCode, clip(e.Reason))
}

func (e *StatusError) Unwrap() error {
	switch e.StatusCode {
	case 401, 407:
		return ErrAuth
	case 481:
		return ErrSubscriptionGone
	}
	return nil
}

// permanent reports whether a SUBSCRIBE response means the configuration is
// wrong (bad credentials, unknown user, event package not supported), as
// opposed to a transient failure worth retrying.
func (e *StatusError) permanent() bool {
	switch e.StatusCode {
	case 400, 401, 403, 404, 405, 407, 414, 415, 416, 420, 484, 489, 501, 604:
		return true
	}
	return false
}

// TerminatedError reports a Subscription-State: terminated NOTIFY. It unwraps
// to ErrSubscriptionTerminated.
type TerminatedError struct {
	Reason     string        // the reason parameter (deactivated, timeout, rejected, …)
	RetryAfter time.Duration // the retry-after parameter, 0 when none
}

func (e *TerminatedError) Error() string {
	if e.Reason == "" {
		return ErrSubscriptionTerminated.Error()
	}
	return fmt.Sprintf("%v: %s", ErrSubscriptionTerminated, clip(e.Reason))
}

func (e *TerminatedError) Unwrap() error { return ErrSubscriptionTerminated }

// retryAfter is the delay a failure asks for before the next attempt.
func retryAfter(err error) time.Duration {
	var se *StatusError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	var te *TerminatedError
	if errors.As(err, &te) {
		return te.RetryAfter
	}
	return 0
}
