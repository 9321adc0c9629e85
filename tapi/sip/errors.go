package sip

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrAuth: the PBX still challenges after the digest answer, or it
	// challenges and no password is configured.
	ErrAuth = errors.New("sip authentication failed")
	// ErrSubscriptionGone: the PBX no longer knows the subscription (481 to
	// any request), typically after a restart.
	ErrSubscriptionGone = errors.New("sip subscription does not exist")
	// ErrNoPassword: the PBX asks for a password and none is configured.
	ErrNoPassword = errors.New("no sip password configured")
	// ErrSubscriptionTerminated: a NOTIFY said Subscription-State: terminated.
	ErrSubscriptionTerminated = errors.New("sip subscription terminated")
	// ErrUnreachable: the PBX did not answer, or the connection to it
	// failed (see NoAnswerError and TransportError).
	ErrUnreachable = errors.New("sip server unreachable")
)

// StatusError is a final non-2xx response to a request (SUBSCRIBE or the
// OPTIONS keep-alive). It unwraps to ErrAuth for 401/407 and to
// ErrSubscriptionGone for 481.
type StatusError struct {
	Method     string // "SUBSCRIBE" or "OPTIONS"; empty means SUBSCRIBE
	StatusCode int
	Reason     string // the PBX's reason phrase
	// Detail is CallDocket's own explanation, e.g. that no password is
	// configured; empty when there is none.
	Detail string
	// NoPassword: the PBX challenged (401/407) and no password is
	// configured; the error then also unwraps to ErrNoPassword.
	NoPassword bool
	// RetryAfter is the Retry-After the PBX asked for, 0 when none.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	m := strings.ToLower(e.Method)
	if m == "" {
		m = "subscribe"
	}
	s := fmt.Sprintf("%s response %d", m, e.StatusCode)
	if r := shorten(e.Reason); r != "" {
		s += " " + r
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *StatusError) Unwrap() []error {
	switch e.StatusCode {
	case 401, 407:
		if e.NoPassword {
			return []error{ErrAuth, ErrNoPassword}
		}
		return []error{ErrAuth}
	case 481:
		return []error{ErrSubscriptionGone}
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

// NoAnswerError: a request got no response in time. It unwraps to
// ErrUnreachable.
type NoAnswerError struct {
	Server string        // host:port
	After  time.Duration // how long the watcher waited
}

func (e *NoAnswerError) Error() string {
	return fmt.Sprintf("the PBX at %s did not answer in %s", e.Server, seconds(e.After))
}

func (e *NoAnswerError) Unwrap() error { return ErrUnreachable }

// TransportError: a request could not be sent, or its connection failed
// (connection refused, reset, no route). It unwraps to ErrUnreachable and
// to the network error.
type TransportError struct {
	Server string // host:port
	Err    error
}

func (e *TransportError) Error() string {
	if errors.Is(e.Err, syscall.ECONNREFUSED) {
		return fmt.Sprintf("the PBX at %s refused the connection", e.Server)
	}
	return fmt.Sprintf("connection to the PBX at %s: %v", e.Server, e.Err)
}

func (e *TransportError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }

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
	return fmt.Sprintf("%v: %s", ErrSubscriptionTerminated, shorten(e.Reason))
}

func (e *TerminatedError) Unwrap() error { return ErrSubscriptionTerminated }

// linkWhy is why the link is down, in the words of the most telling error
// in err's chain (without "send subscribe:" and the like).
func linkWhy(err error) string {
	var na *NoAnswerError
	if errors.As(err, &na) {
		return na.Error()
	}
	var te *TransportError
	if errors.As(err, &te) {
		return te.Error()
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Error()
	}
	return err.Error()
}

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

// seconds formats d for people: "5 s", "1.5 s".
func seconds(d time.Duration) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", d.Seconds()), "0"), ".") + " s"
}

// shortLen is the longest text from the network that errors quote whole.
const shortLen = 64

// shorten shortens text from the network (a reason phrase, a value from a
// file) for an error message: whole when short, else cut at the last word
// boundary before shortLen with "…", never inside a word or a UTF-8
// sequence.
func shorten(s string) string {
	if len(s) <= shortLen {
		return s
	}
	cut := shortLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexAny(s[:cut], " \t,;:/"); i >= shortLen/2 {
		cut = i
	}
	return strings.TrimRight(s[:cut], " \t,;:/") + "…"
}
