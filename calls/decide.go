package calls

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/calldocket/calldocket/queue"
)

// ErrDurationUnknown is returned by Decide for a call whose end CallDocket
// never saw, when no duration is given.
var ErrDurationUnknown = errors.New("its duration is unknown: give the duration")

// Decision is the attorney's answer for one record.
type Decision struct {
	Billable   bool
	ContactID  int64 // 0 keeps the record's contact (or the confident match)
	MatterID   int64 // 0: no matter
	Note       string
	NotAClient bool           // log without a contact, never create one
	Duration   *time.Duration // required when the duration is unknown; overrides it otherwise
	// KeepMatter keeps the record's matter when MatterID is 0 (the command
	// line without --matter).
	KeepMatter bool
}

// Decide records billable or not and queues the record for Clio. A record
// that Clio refused is edited and put back in line. Deciding a record that
// was already queued or delivered is a *TransitionError; nothing is asked
// twice and nothing is sent twice.
func (c *Core) Decide(ctx context.Context, id int64, d Decision) (Record, error) {
	if d.Duration != nil && (*d.Duration < 0 || *d.Duration > 24*time.Hour) {
		return Record{}, fmt.Errorf("decide call %d: %w: duration %s is not between 0 and 24h", id, ErrInvalid, *d.Duration)
	}
	var wasFailed bool
	r, err := c.o.Ledger.Mutate(ctx, id, func(r *Record) (Change, error) {
		if !r.DurationKnown && d.Duration == nil && (r.Kind == KindCall) {
			return Change{}, ErrDurationUnknown
		}
		wasFailed = r.State == StateFailed
		if d.Duration != nil {
			r.DurationS, r.DurationKnown = int64(d.Duration.Round(time.Second)/time.Second), true
		}
		r.Decided, r.Billable = true, d.Billable && r.Kind == KindCall
		switch {
		case d.NotAClient:
			r.ContactID, r.ContactName, r.NotAClient = 0, "", true
		case d.ContactID != 0:
			r.ContactID, r.NotAClient = d.ContactID, false
		}
		if d.MatterID != 0 || !d.KeepMatter {
			if d.MatterID != r.MatterID {
				r.MatterReason = "chosen by you"
			}
			r.MatterID = d.MatterID
		}
		r.Note = strings.TrimSpace(d.Note)
		if r.Kind.Unanswered() && r.Note == "" {
			r.Note = d.Note
		}
		if r.EventID == "" {
			r.EventID = eventID(*r)
		}
		r.Reason = ""
		return Change{Action: ActDecide, Detail: fmt.Sprintf("billable=%v", r.Billable)}, nil
	})
	if err != nil {
		return Record{}, errorf(id, "decide", err)
	}
	c.fillContactName(ctx, &r)
	if wasFailed && r.OutboxID != 0 {
		if err := c.o.Outbox.Update(ctx, r.OutboxID, func(it *queue.Item) { c.fillItem(it, r) }); err != nil {
			return r, errorf(id, "edit the refused item of", err)
		}
		if err := c.o.Outbox.Requeue(ctx, r.OutboxID); err != nil {
			return r, errorf(id, "retry", err)
		}
		c.kick()
		c.emit(ctx, r)
		return r, nil
	}
	r, err = c.enqueue(ctx, r)
	if err != nil {
		return r, err
	}
	if r.ContactID != 0 && c.o.Directory != nil {
		// The next call from this number suggests this contact and matter first.
		if err := c.o.Directory.RecordLogged(ctx, r.RemoteNumber(), r.ContactID, r.MatterID, r.StartedAt); err != nil {
			c.log.Warn("remember the logged contact", "call_id", r.CallID, "err", err)
		}
	}
	c.log.Info("call decided", "call_id", r.CallID, "billable", r.Billable, "duration_s", r.DurationS)
	return r, nil
}

// fillContactName names the record's contact from the lookup, for the
// Communication's subject and the review list.
func (c *Core) fillContactName(ctx context.Context, r *Record) {
	if r.ContactID == 0 {
		return
	}
	for _, m := range c.result(ctx, *r).Matches {
		if m.ContactID == r.ContactID {
			if r.ContactName != m.Name {
				r.ContactName = m.Name
				_, _ = c.o.Ledger.Mutate(ctx, r.ID, func(x *Record) (Change, error) {
					x.ContactName = m.Name
					return Change{}, nil
				})
			}
			return
		}
	}
}

// Later moves an undecided record to Review, saying why.
func (c *Core) Later(ctx context.Context, id int64, why string) (Record, error) {
	r, err := c.o.Ledger.Mutate(ctx, id, func(r *Record) (Change, error) {
		if r.State == StateLater {
			return Change{}, errNoChange
		}
		r.Reason = why
		return Change{Action: ActLater, Detail: why}, nil
	})
	if err != nil {
		return Record{}, errorf(id, "move to Review", err)
	}
	c.emit(ctx, r)
	return r, nil
}

// Discard throws a record away on purpose. It is kept, with when and why,
// and Undo brings it back.
func (c *Core) Discard(ctx context.Context, id int64, why string) (Record, error) {
	if why == "" {
		why = "discarded by you"
	}
	r, err := c.o.Ledger.Mutate(ctx, id, func(r *Record) (Change, error) {
		r.Reason = why
		return Change{Action: ActDiscard, Detail: why}, nil
	})
	if err != nil {
		return Record{}, errorf(id, "discard", err)
	}
	c.log.Info("call discarded", "call_id", r.CallID)
	c.emit(ctx, r)
	return r, nil
}

// Undo takes a discard back: the record returns to the state it had.
func (c *Core) Undo(ctx context.Context, id int64) (Record, error) {
	r, err := c.o.Ledger.Mutate(ctx, id, func(r *Record) (Change, error) {
		r.Reason = "discard undone"
		return Change{Action: ActUndo}, nil
	})
	if err != nil {
		return Record{}, errorf(id, "undo the discard of", err)
	}
	c.emit(ctx, r)
	return r, nil
}

// Retry puts a record Clio refused back in line as it is.
func (c *Core) Retry(ctx context.Context, id int64) (Record, error) {
	r, err := c.o.Ledger.Mutate(ctx, id, func(r *Record) (Change, error) {
		r.Reason = ""
		return Change{Action: ActRetry}, nil
	})
	if err != nil {
		return Record{}, errorf(id, "retry", err)
	}
	if r.OutboxID != 0 {
		if err := c.o.Outbox.Requeue(ctx, r.OutboxID); err != nil {
			return r, errorf(id, "retry", err)
		}
	} else if r, err = c.enqueue(ctx, r); err != nil {
		return r, err
	}
	c.kick()
	c.emit(ctx, r)
	return r, nil
}

// SetContact files the call under a contact the attorney chose (the pop's
// chooser or search), or under none (NotAClient).
func (c *Core) SetContact(ctx context.Context, id int64, contactID int64, name string) (Record, error) {
	r, err := c.o.Ledger.Mutate(ctx, id, func(r *Record) (Change, error) {
		r.ContactID, r.ContactName, r.NotAClient = contactID, name, contactID == 0
		return Change{}, nil
	})
	if err != nil {
		return Record{}, errorf(id, "choose the contact of", err)
	}
	c.forget(r.CallID)
	return r, nil
}

func (c *Core) kick() {
	if c.o.Kick != nil {
		c.o.Kick()
	}
}
