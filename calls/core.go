package calls

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
)

// Outbox is what the core needs of the durable outbox (queue.Outbox).
type Outbox interface {
	Enqueue(ctx context.Context, it queue.Item) (queue.Item, error)
	Get(ctx context.Context, id int64) (queue.Item, error)
	Update(ctx context.Context, id int64, fn func(*queue.Item)) error
	Requeue(ctx context.Context, id int64) error
}

// Directory answers who is calling (clio/directory.Directory).
type Directory interface {
	LookupWith(ctx context.Context, number string, o directory.LookupOptions) (directory.Result, error)
	RecordLogged(ctx context.Context, number string, contactID, matterID int64, at time.Time) error
}

// Update tells the view that a record changed.
type Update struct {
	Record Record
	Result directory.Result // who is calling, from the local directory
	// Pop says the pop should show the record now: it rings (or was
	// answered, with "pop on answer"), is on the line, waits for a
	// decision, or was just missed. False means the pop should not show
	// it (any more).
	Pop bool
}

// Options configure a Core. Ledger, Outbox and Settings are required.
type Options struct {
	Ledger    *Ledger
	Outbox    Outbox
	Directory Directory                // nil: nobody is ever matched
	Settings  func() settings.Settings // read at every decision: changes apply at once
	Normalize func(raw, region string) (string, error)
	Now       func() time.Time // nil: time.Now
	Logger    *slog.Logger
	Kick      func()       // wakes the flusher after an enqueue; may be nil
	UserID    func() int64 // the signed-in Clio user, 0 when unknown; may be nil
	OnChange  func(Update) // called after every change, on the changing goroutine; may be nil
	// RestartGrace is how long a call that was in progress when CallDocket
	// stopped waits for news from its source before it goes to Review with
	// its duration unknown. Zero means DefaultRestartGrace.
	RestartGrace time.Duration
}

// DefaultRestartGrace: a PBX re-sends its dialogs within seconds of a new
// subscription; a call nobody reports on within this is taken as lost.
const DefaultRestartGrace = 90 * time.Second

// Core owns the call's life: events in, ledger records, decisions, outbox
// items, delivery outcomes. It is safe for concurrent use.
type Core struct {
	o       Options
	log     *slog.Logger
	tracker *tapi.Tracker
	Health  *Health

	evMu sync.Mutex // one event at a time: the tracker's order is the ledger's

	mu      sync.Mutex
	results map[string]directory.Result // lookups by call id (the directory is the truth)
}

// New returns a Core; call Start before feeding it events.
func New(o Options) *Core {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.RestartGrace <= 0 {
		o.RestartGrace = DefaultRestartGrace
	}
	if o.UserID == nil {
		o.UserID = func() int64 { return 0 }
	}
	c := &Core{o: o, log: o.Logger, results: map[string]directory.Result{}, Health: NewHealth(o.Now)}
	s := o.Settings()
	c.tracker = tapi.NewTracker(tapi.TrackerOptions{
		Normalize: func(raw string) string {
			if o.Normalize == nil {
				return raw
			}
			if e, err := o.Normalize(raw, o.Settings().DefaultRegion); err == nil {
				return e
			}
			return raw
		},
		Now:       o.Now,
		Logger:    o.Logger.With("component", "tracker"),
		MinDigits: s.MinDigits,
	})
	return c
}

// Ledger is the core's ledger.
func (c *Core) Ledger() *Ledger { return c.o.Ledger }

func (c *Core) emit(ctx context.Context, r Record) {
	if c.o.OnChange == nil {
		return
	}
	c.o.OnChange(Update{Record: r, Result: c.result(ctx, r), Pop: c.shouldPop(r)})
}

// shouldPop is the pop rule: never while paused; an inbound call with "pop
// on answer" only once answered; every call on the line or waiting for its
// decision, and a call just missed.
func (c *Core) shouldPop(r Record) bool {
	s := c.o.Settings()
	if s.PausePopups || r.Kind == KindSMS || r.Kind == KindFax {
		return false
	}
	switch r.State {
	case StateRinging:
		return !(s.PopTiming == settings.PopOnAnswer && r.Direction == string(tapi.DirectionIn))
	case StateAnswered, StateAwaiting:
		return true
	case StateMissed, StateRejected:
		return true
	case StateQueued:
		return r.Kind.Unanswered() && !r.Decided // a missed call logged on its own: the compact card
	}
	return false
}

// ShouldPop exposes the pop rule for a record, for views that reload.
func (c *Core) ShouldPop(r Record) bool { return c.shouldPop(r) }

// Result is who is calling for r, from the cache or the directory.
func (c *Core) Result(ctx context.Context, r Record) directory.Result { return c.result(ctx, r) }

func (c *Core) result(ctx context.Context, r Record) directory.Result {
	c.mu.Lock()
	res, ok := c.results[r.CallID]
	c.mu.Unlock()
	if ok {
		return res
	}
	res = c.lookup(ctx, r.RemoteNumber())
	c.mu.Lock()
	c.results[r.CallID] = res
	c.mu.Unlock()
	return res
}

// lookup asks the directory, and drops matches of the firm's own numbers
// (from the settings in force now).
func (c *Core) lookup(ctx context.Context, number string) directory.Result {
	s := c.o.Settings()
	res := directory.Result{Number: number, Display: phone.Format(number, s.DefaultRegion)}
	if c.isFirmNumber(number, s) || c.o.Directory == nil || number == "" {
		return res
	}
	got, err := c.o.Directory.LookupWith(ctx, number, directory.LookupOptions{UserID: c.o.UserID()})
	if err != nil {
		c.log.Warn("look up caller", "err", err)
		return res
	}
	return got
}

func (c *Core) isFirmNumber(number string, s settings.Settings) bool {
	if number == "" {
		return false
	}
	norm := func(n string) string {
		if c.o.Normalize == nil {
			return n
		}
		if e, err := c.o.Normalize(n, s.DefaultRegion); err == nil {
			return e
		}
		return n
	}
	want := norm(number)
	for _, f := range s.FirmNumbers {
		if norm(f) == want {
			return true
		}
	}
	return false
}

// cached reports whether the call's lookup is known.
func (c *Core) cached(callID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.results[callID]
	return ok
}

// forget drops a cached lookup (the contact was changed or created).
func (c *Core) forget(callID string) {
	c.mu.Lock()
	delete(c.results, callID)
	c.mu.Unlock()
}

// RemoteNumber is the other party's number, E.164 when known.
func (r Record) RemoteNumber() string {
	if r.E164 != "" {
		return r.E164
	}
	return r.Number
}

// Tracker exposes the active calls as the tracker sees them.
func (c *Core) Active() []tapi.Call { return c.tracker.Active() }

// errorf wraps an error with the record's id for people.
func errorf(id int64, what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s call %d: %w", what, id, err)
}

var _ = errors.New
