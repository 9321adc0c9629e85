package queue

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Callers branch with errors.Is.
var (
	// ErrEmpty is returned by Claim when no item is due.
	ErrEmpty = errors.New("no outbox item due")
	// ErrNotFound is returned for an item id that does not exist.
	ErrNotFound = errors.New("outbox item not found")
	// ErrLeaseLost is returned when the caller no longer holds an unexpired
	// lease on the item: it expired and may have been claimed by another owner.
	ErrLeaseLost = errors.New("outbox lease lost")
	// ErrWrongState is returned by Requeue and Discard for an item in a state
	// they do not apply to.
	ErrWrongState = errors.New("outbox item in wrong state")
	// ErrInvalid is returned for an item or argument that cannot be stored.
	ErrInvalid = errors.New("invalid outbox input")
	// ErrSchemaTooNew is returned by Open for a database written by a newer
	// version of the program.
	ErrSchemaTooNew = errors.New("outbox schema newer than this program")
	// ErrAuth is what a Deliverer wraps when the remote side needs the user
	// to sign in again. The flusher retries the item and pauses until Kick.
	ErrAuth = errors.New("authorization needed")
	// ErrUncertain is what a Deliverer wraps when a write's outcome is
	// unknown (the connection broke after sending, a timeout, a 5xx): the
	// flusher marks the item Uncertain so the next attempt looks for what
	// may have been written before posting again.
	ErrUncertain = errors.New("outcome of a write unknown")
)

// RetryError asks the flusher to retry the item no sooner than After (for
// example a 429 Retry-After). The flusher waits max(After, its own backoff).
type RetryError struct {
	After time.Duration
	Err   error
}

func (e *RetryError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("retry after %s", e.After)
	}
	return fmt.Sprintf("retry after %s: %v", e.After, e.Err)
}

func (e *RetryError) Unwrap() error { return e.Err }

// PermanentError tells the flusher that retrying cannot help (for example a
// validation error from Clio). The item is parked as failed with the error's
// message until someone calls Requeue or Discard.
type PermanentError struct {
	Err error
}

// Error returns the wrapped message unchanged, so it can be shown to the
// user as the reason an item failed.
func (e *PermanentError) Error() string {
	if e.Err == nil {
		return "permanent delivery failure"
	}
	return e.Err.Error()
}

func (e *PermanentError) Unwrap() error { return e.Err }
