package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"
	"unicode/utf8"
)

// Deliverer writes one item to its destination (package deliver writes to
// Clio).
//
// Deliver must be safe to call again for an item whose earlier attempt
// stopped part-way: it receives the progress recorded so far (the item's
// progress fields) and Uncertain says an earlier attempt may have written
// without recording, so it must look before it posts. It reports each
// completed step through rec before moving on. It classifies failures by
// returning a *PermanentError (park the item), a *RetryError (retry no
// sooner than After), an error wrapping ErrAuth (retry and pause until
// Kick), or any other error (retry with backoff). Any of them may also wrap
// ErrUncertain to say a write's outcome is unknown.
type Deliverer interface {
	Deliver(ctx context.Context, it Item, rec Recorder) error
}

// Recorder persists delivery progress for the item being delivered. It
// returns an error wrapping ErrLeaseLost when the claim has expired; the
// deliverer should then stop. Record is RecordProgress for a call's two
// steps.
type Recorder interface {
	Record(ctx context.Context, communicationID, activityID int64) error
	RecordProgress(ctx context.Context, p Progress) error
}

// FlusherOptions configure a Flusher. Zero values take the defaults.
type FlusherOptions struct {
	Owner      string        // lease owner; default hostname-pid-random
	Lease      time.Duration // how long a claim lasts; default 2m
	MinBackoff time.Duration // first retry delay; default 5s
	MaxBackoff time.Duration // longest retry delay; default 30m
	Poll       time.Duration // longest idle wait in Run; default 30s
	Logger     *slog.Logger  // nil discards
	// OnChange is called, on the flusher's goroutine, after any item changes
	// state or the flusher pauses or resumes. It must not block.
	OnChange func()
	// OnOutcome is called, on the flusher's goroutine, after each delivery
	// attempt whose outcome was recorded, with the item as stored afterwards
	// (State delivered; pending when it will be retried; failed when parked)
	// and the Deliverer's error (nil when delivered). It is not called when
	// the lease was lost during the attempt or the outcome could not be
	// stored. It must not block.
	OnOutcome func(it Item, err error)
}

// Defaults for FlusherOptions.
const (
	DefaultLease      = 2 * time.Minute
	DefaultMinBackoff = 5 * time.Second
	DefaultMaxBackoff = 30 * time.Minute
	DefaultPoll       = 30 * time.Second
)

// DrainResult counts what one Drain did. Remaining is the number of items
// still to deliver afterwards (pending or delivering), including those
// waiting for a later retry.
type DrainResult struct {
	Delivered int
	Retrying  int
	Failed    int
	Remaining int
}

// Flusher delivers due outbox items through a Deliverer.
type Flusher struct {
	o    *Outbox
	d    Deliverer
	opts FlusherOptions
	log  *slog.Logger

	kick  chan struct{} // wakes Run; holds at most one signal
	drain chan struct{} // one Drain at a time

	mu     sync.Mutex
	paused bool

	jitter func(n int64) int64 // tests replace it; nil means random
}

// NewFlusher returns a Flusher delivering o's items through d.
func NewFlusher(o *Outbox, d Deliverer, opts FlusherOptions) *Flusher {
	if opts.Owner == "" {
		opts.Owner = defaultOwner()
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	opts.MaxBackoff = max(opts.MaxBackoff, opts.MinBackoff)
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Flusher{
		o:     o,
		d:     d,
		opts:  opts,
		log:   opts.Logger,
		kick:  make(chan struct{}, 1),
		drain: make(chan struct{}, 1),
	}
}

func defaultOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Kick wakes Run to drain now and lifts a pause caused by ErrAuth (call it
// after the user signs in again). It never blocks.
func (f *Flusher) Kick() {
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

// Paused reports whether delivery is paused because the Deliverer returned
// ErrAuth; Kick resumes it.
func (f *Flusher) Paused() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.paused
}

// setPaused sets the pause flag and reports OnChange if it changed.
func (f *Flusher) setPaused(p bool) {
	f.mu.Lock()
	changed := f.paused != p
	f.paused = p
	f.mu.Unlock()
	if changed {
		if p {
			f.log.Warn("outbox delivery paused: authorization needed")
		} else {
			f.log.Info("outbox delivery resumed")
		}
		f.changed()
	}
}

func (f *Flusher) changed() {
	if f.opts.OnChange != nil {
		f.opts.OnChange()
	}
}

func (f *Flusher) ready() error {
	if f == nil || f.o == nil || f.d == nil {
		return fmt.Errorf("%w: flusher needs an outbox and a deliverer", ErrInvalid)
	}
	return nil
}

// minWait keeps Run from spinning when something is due right away.
const minWait = 10 * time.Millisecond

// Run delivers items until ctx is cancelled, and then returns ctx.Err(). It
// drains, then sleeps until Kick, the next item's due time or Poll, whichever
// comes first. After ErrAuth it sleeps until Kick only.
func (f *Flusher) Run(ctx context.Context) error {
	if err := f.ready(); err != nil {
		return fmt.Errorf("run outbox flusher: %w", err)
	}
	for {
		var drainErr error
		if !f.Paused() {
			_, drainErr = f.Drain(ctx, false)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if drainErr != nil && !errors.Is(drainErr, ErrAuth) {
			f.log.Error("outbox drain failed", "error", drainErr)
		}

		var (
			timer   *time.Timer
			timeout <-chan time.Time
		)
		if !f.Paused() {
			wait := f.opts.Poll
			if drainErr == nil {
				at, ok, err := f.o.nextDue(ctx)
				switch {
				case err != nil:
					f.log.Error("outbox next due time", "error", err)
				case ok:
					wait = min(wait, max(at.Sub(f.o.now()), minWait))
				}
			}
			timer = time.NewTimer(wait)
			timeout = timer.C
		}
		select {
		case <-ctx.Done():
		case <-f.kick:
			f.setPaused(false)
		case <-timeout:
		}
		if timer != nil {
			timer.Stop()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// Drain claims and delivers every item that is due, one at a time, until
// none is left, ctx is cancelled or the Deliverer reports ErrAuth (then the
// flusher pauses and the returned error wraps ErrAuth). force makes items
// waiting for a retry due now first. Only database trouble, ErrAuth and
// ctx errors are returned; delivery failures are counted in the result.
func (f *Flusher) Drain(ctx context.Context, force bool) (DrainResult, error) {
	var res DrainResult
	if err := f.ready(); err != nil {
		return res, fmt.Errorf("drain outbox: %w", err)
	}
	select {
	case f.drain <- struct{}{}:
	case <-ctx.Done():
		return res, ctx.Err()
	}
	defer func() { <-f.drain }()

	wasPaused := f.Paused()
	f.setPaused(false)
	if n, err := f.o.reclaimDead(ctx, f.opts.Owner); err != nil {
		f.log.Warn("outbox reclaim failed", "error", err)
	} else if n > 0 {
		f.changed()
	}
	if force {
		if err := f.o.makeDue(ctx); err != nil {
			return res, fmt.Errorf("drain outbox: %w", err)
		}
	}

	var drainErr error
	for {
		if err := ctx.Err(); err != nil {
			drainErr = err
			break
		}
		it, err := f.o.Claim(ctx, f.opts.Owner, f.opts.Lease)
		if errors.Is(err, ErrEmpty) {
			break
		}
		if err != nil {
			drainErr = fmt.Errorf("drain outbox: %w", err)
			break
		}
		f.changed()
		out, err := f.handle(ctx, it)
		switch out {
		case outDelivered:
			res.Delivered++
		case outRetrying:
			res.Retrying++
		case outFailed:
			res.Failed++
		}
		if out != outNone {
			f.changed()
		}
		if err != nil {
			drainErr = err
			break
		}
	}
	if ctx.Err() == nil {
		counts, err := f.o.Counts(ctx)
		if err != nil {
			return res, errors.Join(drainErr, fmt.Errorf("drain outbox: %w", err))
		}
		res.Remaining = counts[StatePending] + counts[StateDelivering]
	}
	if wasPaused && !f.Paused() {
		f.Kick() // a manual drain lifted the pause: let Run know
	}
	return res, drainErr
}

type outcome int

const (
	outNone outcome = iota // the item's state was not ours to change (lease lost)
	outDelivered
	outRetrying
	outFailed
)

// bookkeepingTimeout bounds the write that records an attempt's outcome,
// which runs even when the drain's ctx has been cancelled.
const bookkeepingTimeout = 30 * time.Second

// maxReason bounds the error text stored with an item.
const maxReason = 2000

// handle delivers one claimed item and records the outcome. The returned
// error stops the drain: ErrAuth, a cancelled ctx, or database trouble.
func (f *Flusher) handle(ctx context.Context, it Item) (outcome, error) {
	dctx, cancel := context.WithTimeout(ctx, f.opts.Lease-f.opts.Lease/10)
	derr := f.call(dctx, it)
	cancel()

	// Record the outcome even if ctx was cancelled meanwhile (shutdown), so
	// the item does not sit leased until its lease runs out.
	bctx, bcancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer bcancel()
	log := f.log.With("item_id", it.ID, "kind", it.Kind, "attempt", it.Attempts)
	owner := f.opts.Owner

	var (
		perm      *PermanentError
		retry     *RetryError
		out       outcome
		stored    Item
		err       error
		stop      error
		uncertain = errors.Is(derr, ErrUncertain)
	)
	switch {
	case derr == nil:
		out = outDelivered
		stored, err = f.o.ack(bctx, it.ID, owner)
		if err == nil {
			log.Info("outbox item delivered")
		}
	case errors.Is(derr, ErrAuth):
		out = outRetrying
		stored, err = f.o.retry(bctx, it.ID, owner, 0, reason(derr), uncertain)
		log.Debug("outbox delivery error", "error", derr)
		f.setPaused(true)
		stop = fmt.Errorf("deliver outbox item %d: %w", it.ID, derr)
	case errors.As(derr, &perm):
		out = outFailed
		stored, err = f.o.park(bctx, it.ID, owner, reason(derr), uncertain)
		if err == nil {
			log.Warn("outbox item parked: permanent error")
		}
		log.Debug("outbox delivery error", "error", derr)
	case ctx.Err() != nil:
		// Shutting down: hand the item back, due at once on the next start.
		out = outRetrying
		stored, err = f.o.retry(bctx, it.ID, owner, 0, reason(derr), uncertain)
		log.Info("outbox delivery interrupted")
		stop = ctx.Err()
	default:
		after := backoff(it.Attempts, f.opts.MinBackoff, f.opts.MaxBackoff, f.jitter)
		if errors.As(derr, &retry) {
			after = max(after, retry.After)
		}
		out = outRetrying
		stored, err = f.o.retry(bctx, it.ID, owner, after, reason(derr), uncertain)
		if err == nil {
			log.Warn("outbox item will be retried", "after", after.Round(time.Millisecond).String())
		}
		log.Debug("outbox delivery error", "error", derr)
	}
	if errors.Is(err, ErrLeaseLost) {
		// Our lease ran out during delivery; another owner may have the item
		// now. Its deliverer will find what we wrote by the item's event id.
		log.Warn("outbox lease lost during delivery")
		return outNone, stop
	}
	if err != nil {
		return outNone, errors.Join(stop, fmt.Errorf("record outbox outcome: %w", err))
	}
	if f.opts.OnOutcome != nil {
		f.opts.OnOutcome(stored, derr)
	}
	return out, stop
}

// call runs the Deliverer, turning a panic into an error.
func (f *Flusher) call(ctx context.Context, it Item) (err error) {
	defer func() {
		if v := recover(); v != nil {
			f.log.Error("outbox deliverer panicked", "item_id", it.ID, "kind", it.Kind,
				"attempt", it.Attempts, "stack", string(debug.Stack()))
			err = fmt.Errorf("deliverer panic: %v", v)
		}
	}()
	return f.d.Deliver(ctx, it, recorder{o: f.o, id: it.ID, owner: f.opts.Owner})
}

// recorder is the Recorder handed to Deliver for one claim.
type recorder struct {
	o     *Outbox
	id    int64
	owner string
}

func (r recorder) Record(ctx context.Context, communicationID, activityID int64) error {
	return r.o.RecordStep(ctx, r.id, r.owner, communicationID, activityID)
}

func (r recorder) RecordProgress(ctx context.Context, p Progress) error {
	return r.o.RecordProgress(ctx, r.id, r.owner, p)
}

// reason is the error text stored with an item, bounded in length.
func reason(err error) string {
	s := err.Error()
	if len(s) <= maxReason {
		return s
	}
	s = s[:maxReason]
	for i := 0; i < utf8.UTFMax && len(s) > 0 && !utf8.ValidString(s); i++ {
		s = s[:len(s)-1] // drop a rune cut in half
	}
	return s + "…"
}
