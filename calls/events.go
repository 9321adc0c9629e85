package calls

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
)

// Start reloads the ledger for the tray app: Load, then calls that were in
// progress wait RestartGrace for news from their source (after that they
// go to Review with their duration unknown), decided calls that never
// reached the outbox are queued, and delivery states are brought up to date
// from the outbox. Nothing is asked twice and nothing is sent twice (the
// outbox dedupes by event id).
func (c *Core) Start(ctx context.Context) error {
	open, err := c.Load(ctx)
	if err != nil {
		return err
	}
	for _, r := range open {
		if _, err := c.o.Ledger.Mutate(ctx, r.ID, func(r *Record) (Change, error) {
			r.Restored = true // UpdatedAt is now: the grace starts now
			return Change{}, nil
		}); err != nil {
			return fmt.Errorf("reload calls: %w", err)
		}
	}
	if err := c.requeueDecided(ctx); err != nil {
		return err
	}
	return c.Reconcile(ctx)
}

// Load gives the tracker the calls of the last hours: calls in progress,
// so their later events attach to them, and calls ended in the last
// minutes, so repeats are dropped. It changes nothing in the ledger (the
// command line uses it to record an event while the tray app is down) and
// returns the calls in progress.
func (c *Core) Load(ctx context.Context) ([]Record, error) {
	now := c.o.Now()
	recent, err := c.o.Ledger.List(ctx, ListOptions{Since: now.Add(-12 * time.Hour)})
	if err != nil {
		return nil, fmt.Errorf("reload calls: %w", err)
	}
	var open []Record
	for _, r := range recent {
		if r.Kind != KindCall && !r.Kind.Unanswered() {
			continue
		}
		call := r.toCall()
		if r.State.Open() {
			c.tracker.Restore(call)
			open = append(open, r)
			continue
		}
		if r.State == StateLater && !r.DurationKnown && r.EndedAt.IsZero() {
			c.tracker.Restore(call) // lost at a restart: its end may still come
			continue
		}
		if !r.EndedAt.IsZero() && now.Sub(r.EndedAt) < 10*time.Minute {
			call.Phase = tapi.PhaseEnded
			c.tracker.Restore(call)
		}
	}
	return open, nil
}

// toCall is the tracker's view of a record.
func (r Record) toCall() tapi.Call {
	c := tapi.Call{ID: r.CallID, Source: r.Source, SourceCallID: r.SourceCallID,
		Direction: tapi.Direction(r.Direction), Remote: r.Number, RemoteE164: r.E164, RemoteName: r.CallerName,
		RingAt: r.StartedAt, AnsweredAt: r.AnsweredAt, EndedAt: r.EndedAt}
	if r.Kind == KindRejected {
		c.EndReason = tapi.EndRejected
	}
	switch {
	case !r.EndedAt.IsZero():
		c.Phase = tapi.PhaseEnded
	case !r.AnsweredAt.IsZero():
		c.Phase = tapi.PhaseActive
	default:
		c.Phase = tapi.PhaseRinging
	}
	return c
}

// HandleEvent folds one telephony event into its call and records the
// change in the ledger (one transaction) before the view hears of it. An
// event that changes nothing (a repeat, an internal call) is dropped.
func (c *Core) HandleEvent(ctx context.Context, ev tapi.Event) (Record, bool, error) {
	c.evMu.Lock()
	defer c.evMu.Unlock()
	call, changed := c.tracker.Apply(ev)
	if !changed {
		return Record{}, false, nil
	}
	r, err := c.recordCall(ctx, call)
	if err != nil {
		return Record{}, false, err
	}
	return r, true, nil
}

// recordCall writes the tracker's call into the ledger and takes the
// steps its new state asks for. An ended call's next state is part of the
// same transaction: a missed call is queued for Clio when missed-call
// logging is on, and a call ended while pop-ups are paused goes to Review,
// so that a crash never leaves it half way.
func (c *Core) recordCall(ctx context.Context, call tapi.Call) (Record, error) {
	s := c.o.Settings()
	if call.RemoteE164 == "" && call.Remote != "" && c.o.Normalize != nil {
		if e, err := c.o.Normalize(call.Remote, s.DefaultRegion); err == nil {
			call.RemoteE164 = e
		}
	}
	start := time.Now()
	// A new call's caller is looked up while its first event commits: the
	// pop needs both, and neither waits for the other.
	var looked func() directory.Result
	if !c.cached(call.ID) {
		ch := make(chan directory.Result, 1)
		number := call.RemoteE164
		if number == "" {
			number = call.Remote
		}
		go func() { ch <- c.lookup(ctx, number) }()
		looked = sync.OnceValue(func() directory.Result { return <-ch })
	}
	// who called, for a missed call filed in the transaction of its end
	// (known by then: it was looked up when it rang).
	who := func() directory.Result {
		if looked != nil {
			return looked()
		}
		return c.result(ctx, Record{CallID: call.ID, Number: call.Remote, E164: call.RemoteE164})
	}
	r, err := c.o.Ledger.Upsert(ctx, call.ID, func() Record { return newCallRecord(call, s, who) }, "first event from "+call.Source,
		func(r *Record) (Change, error) {
			ch := applyCall(r, call)
			if ch.Action == ActMiss || ch.Action == ActReject || ch.Action == ActEnd {
				ch.Then = followUp(r, ch.Action != ActEnd, s, who)
			}
			return ch, nil
		})
	if looked != nil {
		res := looked()
		c.mu.Lock()
		c.results[call.ID] = res
		c.mu.Unlock()
	}
	if err != nil {
		return Record{}, fmt.Errorf("record call event: %w", err)
	}
	c.log.Info("call", "call_id", call.ID, "state", r.State, "source", call.Source, "number", phone.Mask(call.Remote),
		"took", time.Since(start).Round(10*time.Microsecond))
	c.emit(ctx, r) // shown before the outbox write below, which may wait on the disk
	if r.State == StateQueued && r.OutboxID == 0 {
		return c.enqueue(ctx, r) // a missed call, logged on its own
	}
	return r, nil
}

// followUp is the transition an ended call makes at once, in the same
// transaction as its end: a missed call (or one declined at the phone,
// which follows the same rule) is queued (filed under the confident match,
// from who) when missed-call logging is on; a call that
// waits for its decision goes to Review while pop-ups are paused. It edits
// r and returns nil when the call waits where it is.
func followUp(r *Record, missed bool, s settings.Settings, who func() directory.Result) *Change {
	switch {
	case missed:
		if !s.LogMissedCalls {
			return nil
		}
		associate(r, who(), s.MatterAssociation)
		r.EventID = eventID(*r)
		return &Change{Action: ActQueue, Detail: "missed-call logging is on"}
	case s.PausePopups:
		r.Reason = "pop-ups paused"
		return &Change{Action: ActLater, Detail: r.Reason}
	}
	return nil
}

func newCallRecord(call tapi.Call, s settings.Settings, who func() directory.Result) Record {
	r := Record{CallID: call.ID, Kind: KindCall, State: StateRinging, DurationKnown: true}
	applyCall(&r, call)
	switch call.Phase {
	case tapi.PhaseActive:
		r.State = StateAnswered
	case tapi.PhaseEnded:
		r.State = StateAwaiting
		switch {
		case call.Rejected():
			r.State, r.Kind = StateRejected, KindRejected
		case call.Missed():
			r.State, r.Kind = StateMissed, KindMissed
		}
		if ch := followUp(&r, r.State.Unanswered(), s, who); ch != nil {
			r.State, _ = Next(r.State, "", ch.Action)
		}
	}
	return r
}

// applyCall copies the call's facts into r and returns the transition its
// phase makes. A record already past the call's phase keeps its state; a
// call lost at a restart that its source now reports ended gets its real
// end and duration.
func applyCall(r *Record, call tapi.Call) Change {
	r.Source, r.SourceCallID = call.Source, call.SourceCallID
	r.Direction = string(call.Direction)
	if r.Direction == "" {
		r.Direction = string(tapi.DirectionIn)
	}
	if r.Number == "" {
		r.Number = call.Remote
	}
	if r.E164 == "" {
		r.E164 = call.RemoteE164
	}
	if r.CallerName == "" {
		r.CallerName = call.RemoteName
	}
	r.StartedAt, r.AnsweredAt = call.RingAt, call.AnsweredAt
	r.Restored = false
	if call.Phase == tapi.PhaseEnded {
		r.EndedAt = call.EndedAt
		r.DurationS = int64(call.Duration().Round(time.Second) / time.Second)
		if r.State == StateLater && !r.DurationKnown && !r.Decided {
			r.DurationKnown = true
			r.Reason = "CallDocket was closed during the call; its end came from the phone"
		}
	}
	switch {
	case call.Phase == tapi.PhaseActive && r.State == StateRinging:
		return Change{Action: ActAnswer}
	case call.Phase == tapi.PhaseEnded && r.State.Open() && call.Rejected():
		r.Kind = KindRejected
		return Change{Action: ActReject}
	case call.Phase == tapi.PhaseEnded && r.State.Open() && call.Missed():
		r.Kind = KindMissed
		return Change{Action: ActMiss}
	case call.Phase == tapi.PhaseEnded && r.State.Open():
		return Change{Action: ActEnd}
	}
	return Change{}
}

// Tick does what time asks: calls that rang too long without news end,
// calls left in progress at a restart with no news within RestartGrace go
// to Review with their duration unknown, and calls not confirmed within
// the set delay move to Review.
func (c *Core) Tick(ctx context.Context) error {
	now := c.o.Now()
	var errs []error
	for _, call := range c.tracker.Expire(now) {
		c.evMu.Lock()
		_, err := c.recordCall(ctx, call)
		c.evMu.Unlock()
		errs = append(errs, err)
	}
	open, err := c.o.Ledger.List(ctx, ListOptions{States: []State{StateRinging, StateAnswered, StateAwaiting}})
	if err != nil {
		return err
	}
	within := c.o.Settings().ConfirmWithin()
	for _, r := range open {
		switch {
		case r.State.Open() && r.Restored && now.Sub(r.UpdatedAt) >= c.o.RestartGrace:
			errs = append(errs, c.lose(ctx, r.ID))
		case r.State == StateAwaiting && now.Sub(r.ChangedAt) >= within:
			_, err := c.Later(ctx, r.ID, fmt.Sprintf("not confirmed within %d min", int(within/time.Minute)))
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// lose sends a call whose end never came to Review with its duration unknown.
func (c *Core) lose(ctx context.Context, id int64) error {
	c.evMu.Lock()
	defer c.evMu.Unlock()
	r, err := c.o.Ledger.Mutate(ctx, id, func(r *Record) (Change, error) {
		if !r.State.Open() || !r.Restored {
			return Change{}, errNoChange
		}
		r.DurationKnown, r.DurationS, r.Restored = false, 0, false
		r.Reason = "CallDocket was closed during the call; duration unknown"
		return Change{Action: ActLose, Detail: r.Reason}, nil
	})
	if err != nil {
		return errorf(id, "review lost", err)
	}
	c.tracker.Restore(r.toCall()) // no-op when known; keeps repeats recognised
	c.emit(ctx, r)
	return nil
}
