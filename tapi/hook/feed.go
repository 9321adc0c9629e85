package hook

import (
	"context"
	"errors"
	"log/slog"
	"sync"
)

var (
	errNotRunning = errors.New("hook server not running")
	errQueueFull  = errors.New("hook event queue full")
)

// offer hands v to the queue *q guarded by mu without ever blocking: it
// fails with errNotRunning while no run loop owns the queue, and with
// errQueueFull when the loop is behind.
func offer[T any](mu *sync.Mutex, q *chan T, v T) error {
	mu.Lock()
	defer mu.Unlock()
	if *q == nil {
		return errNotRunning
	}
	select {
	case *q <- v:
		return nil
	default:
		return errQueueFull
	}
}

// drain installs a fresh queue in *q and passes what arrives on it to emit
// until ctx is cancelled; it returns ErrRunning if another loop owns *q.
func drain[T any](ctx context.Context, mu *sync.Mutex, q *chan T, emit func(T), log *slog.Logger, what string) error {
	queue := make(chan T, queueLen)
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
		if n := len(queue); n > 0 {
			log.Warn("hook events dropped at shutdown", "feed", what, "count", n)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case v := <-queue:
			emit(v)
		}
	}
}
