package calls

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
)

// eventID is the outbox's idempotency key for a record: stable across
// restarts, so queueing a record twice stores one item.
func eventID(r Record) string {
	switch r.Kind {
	case KindCall:
		return "call-" + r.CallID + "-" + r.StartedAt.UTC().Format("20060102T150405")
	case KindMissed:
		return "missed-" + r.CallID + "-" + r.StartedAt.UTC().Format("20060102T150405")
	case KindRejected:
		return "rejected-" + r.CallID + "-" + r.StartedAt.UTC().Format("20060102T150405")
	}
	return r.CallID
}

// fillItem copies a record's payload into an outbox item.
func (c *Core) fillItem(it *queue.Item, r Record) {
	it.Kind = queue.Kind(r.Kind)
	it.Number = c.itemNumber(r)
	it.Name = r.DisplayName()
	it.ContactID, it.MatterID = r.ContactID, r.MatterID
	if r.NotAClient {
		it.ContactID = 0
	}
	it.Direction = r.Direction
	it.StartedAt = r.StartedAt
	if !r.AnsweredAt.IsZero() {
		it.StartedAt = r.AnsweredAt
	}
	it.DurationS = r.DurationS
	it.Billable = r.Billable && r.Kind == KindCall
	it.Note = r.Note
	it.Source = r.Source
	it.Text = r.Text
	it.FilePath = r.FilePath
	if it.UserID == 0 {
		it.UserID = c.o.UserID()
	}
}

// itemNumber is the number an item takes to Clio: E.164, normalised with
// the settings' region when the record's number is not (a source may hand
// over a formatted number such as "(917) 555-0255" as its E.164), else the
// number as it came (an internal extension, a withheld number).
func (c *Core) itemNumber(r Record) string {
	region := c.o.Settings().DefaultRegion
	for _, n := range []string{r.E164, r.Number} {
		if n == "" {
			continue
		}
		if e, err := phone.Normalize(n, region); err == nil {
			return e
		}
	}
	return r.RemoteNumber()
}

// enqueue hands a queued record to the outbox (once: the event id dedupes)
// and notes the item's id in the ledger.
func (c *Core) enqueue(ctx context.Context, r Record) (Record, error) {
	if r.EventID == "" {
		r.EventID = eventID(r)
	}
	it := queue.Item{EventID: r.EventID}
	c.fillItem(&it, r)
	stored, err := c.o.Outbox.Enqueue(ctx, it)
	if err != nil {
		return r, errorf(r.ID, "queue", err)
	}
	r, err = c.o.Ledger.Mutate(ctx, r.ID, func(x *Record) (Change, error) {
		x.OutboxID, x.EventID = stored.ID, r.EventID
		return Change{}, nil
	})
	if err != nil {
		return r, errorf(r.ID, "note the outbox item of", err)
	}
	c.kick()
	c.emit(ctx, r)
	return r, nil
}

// requeueDecided queues the records that were decided but never reached
// the outbox (CallDocket stopped in between).
func (c *Core) requeueDecided(ctx context.Context) error {
	rs, err := c.o.Ledger.List(ctx, ListOptions{States: []State{StateQueued}})
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range rs {
		if r.OutboxID == 0 {
			_, err := c.enqueue(ctx, r)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ConfidentMatch is the contact a record is filed under without asking:
// the best match, unless only the last digits agreed (a weak match is
// shown, never filed on its own).
func ConfidentMatch(res directory.Result) (directory.Match, bool) {
	if len(res.Matches) == 0 || res.Matches[0].Strength == directory.StrengthWeak {
		return directory.Match{}, false
	}
	return res.Matches[0], true
}

// SuggestedMatter is the matter a record is filed under without asking,
// and why: with a confident contact, its only open matter, or the matter
// last logged for it. Calls show the same suggestion on the wrap-up card.
func SuggestedMatter(m directory.Match) (int64, string) {
	var open []directory.Matter
	for _, mt := range m.Matters {
		if mt.Status == "Open" && mt.Role == "" {
			open = append(open, mt)
		}
	}
	if len(open) == 1 {
		return open[0].ID, "the contact's only open matter"
	}
	if len(m.Matters) > 0 && m.Matters[0].Reason != "" && strings.Contains(strings.ToLower(m.Matters[0].Reason), "last logged") {
		return m.Matters[0].ID, m.Matters[0].Reason
	}
	return 0, ""
}

// associate files r under the confident contact and, with Matter
// Association on, the suggested matter, unless the attorney chose already.
func associate(r *Record, res directory.Result, matters bool) {
	if r.ContactID != 0 || r.NotAClient {
		return
	}
	m, ok := ConfidentMatch(res)
	if !ok {
		return
	}
	r.ContactID, r.ContactName = m.ContactID, m.Name
	if matters && r.MatterID == 0 {
		r.MatterID, r.MatterReason = SuggestedMatter(m)
	}
}

// Outcome follows an outbox item's delivery attempt into the ledger and
// the health: delivered, refused (failed, with Clio's reason), or still
// trying. It is the flusher's OnOutcome.
func (c *Core) Outcome(ctx context.Context, it queue.Item, err error) {
	c.Health.Observe(err)
	if it.State != queue.StateDelivered && it.State != queue.StateFailed {
		return
	}
	rs, lerr := c.o.Ledger.ByOutboxID(ctx, it.ID)
	if lerr != nil {
		c.log.Warn("follow a delivery into the ledger", "item_id", it.ID, "err", lerr)
		return
	}
	for _, r := range rs {
		r, lerr = c.follow(ctx, r, it)
		if lerr != nil {
			c.log.Warn("follow a delivery into the ledger", "item_id", it.ID, "err", lerr)
			continue
		}
		c.emit(ctx, r)
	}
}

// follow moves a record to its outbox item's state.
func (c *Core) follow(ctx context.Context, r Record, it queue.Item) (Record, error) {
	return c.o.Ledger.Mutate(ctx, r.ID, func(x *Record) (Change, error) {
		x.CommunicationID = it.CommunicationID
		switch {
		case it.State == queue.StateDelivered && x.State != StateDelivered:
			x.Reason = ""
			return Change{Action: ActDeliver}, nil
		case it.State == queue.StateFailed && x.State == StateQueued:
			x.Reason = it.LastError
			return Change{Action: ActFail, Detail: it.LastError}, nil
		case it.State == queue.StatePending && x.State == StateFailed:
			x.Reason = ""
			return Change{Action: ActRetry, Detail: "retried from the outbox"}, nil
		}
		return Change{}, errNoChange
	})
}

// Reconcile brings every record on its way to Clio up to date with its
// outbox item (after a restart, or before a listing).
func (c *Core) Reconcile(ctx context.Context) error {
	rs, err := c.o.Ledger.List(ctx, ListOptions{States: []State{StateQueued, StateFailed}})
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range rs {
		if r.OutboxID == 0 {
			continue
		}
		it, err := c.o.Outbox.Get(ctx, r.OutboxID)
		if errors.Is(err, queue.ErrNotFound) {
			// Removed with `calldocket queue discard`.
			_, err = c.o.Ledger.Mutate(ctx, r.ID, func(x *Record) (Change, error) {
				x.Reason = "removed from the outbox"
				return Change{Action: ActDiscard, Detail: x.Reason}, nil
			})
			errs = append(errs, err)
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("reconcile call %d: %w", r.ID, err))
			continue
		}
		if _, err := c.follow(ctx, r, it); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
