package hook

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

var (
	errNotRunning = errors.New("hook server not running")
	errQueueFull  = errors.New("hook event queue full")
	errDropped    = errors.New("hook event dropped at shutdown")
)

// emitWait bounds how long a request waits for its event to be emitted
// before it is answered anyway (the event stays queued). It is below the
// client's PostTimeout.
const emitWait = 3 * time.Second

// entry is one accepted value on its way to emit. done receives nil once
// emit returned for it (the app has recorded it), or errDropped when the
// run loop stopped first.
type entry[T any] struct {
	v    T
	done chan error
}

// offer hands v to the queue *q guarded by mu without ever blocking: it
// fails with errNotRunning while no run loop owns the queue, and with
// errQueueFull when the loop is behind. The returned channel says when v
// was emitted (see entry).
func offer[T any](mu *sync.Mutex, q *chan entry[T], v T) (<-chan error, error) {
	mu.Lock()
	defer mu.Unlock()
	if *q == nil {
		return nil, errNotRunning
	}
	e := entry[T]{v: v, done: make(chan error, 1)}
	select {
	case *q <- e:
		return e.done, nil
	default:
		return nil, errQueueFull
	}
}

// awaitEmitted waits until the value behind done was emitted, the request
// is gone, or emitWait passed. It returns errDropped when the run loop
// stopped before emitting it, and nil otherwise: an answer after a
// timeout still means "accepted" (the value is queued), and the caller
// logs that it was not recorded yet when timedOut is true.
func awaitEmitted(ctx context.Context, done <-chan error) (timedOut bool, err error) {
	t := time.NewTimer(emitWait)
	defer t.Stop()
	select {
	case err := <-done:
		return false, err
	case <-ctx.Done():
		return false, ctx.Err()
	case <-t.C:
		return true, nil
	}
}

// drain installs a fresh queue in *q and passes what arrives on it to emit
// until ctx is cancelled; it returns ErrRunning if another loop owns *q.
// Nothing is emitted once ctx is cancelled: what is still queued then is
// dropped, and its requests are told so.
func drain[T any](ctx context.Context, mu *sync.Mutex, q *chan entry[T], emit func(T), log *slog.Logger, what string) error {
	queue := make(chan entry[T], queueLen)
	mu.Lock()
	if *q != nil {
		mu.Unlock()
		return ErrRunning
	}
	*q = queue
	mu.Unlock()
	log.Debug("hook source running", "feed", what)

	defer func() {
		mu.Lock()
		*q = nil
		mu.Unlock()
		n := 0
		for {
			select {
			case e := <-queue:
				e.done <- errDropped
				n++
				continue
			default:
			}
			break
		}
		if n > 0 {
			log.Warn("hook events dropped at shutdown", "feed", what, "count", n)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e := <-queue:
			if ctx.Err() != nil {
				e.done <- errDropped
				return ctx.Err()
			}
			emit(e.v)
			e.done <- nil
		}
	}
}
