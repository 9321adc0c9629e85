package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// eligible is the condition for an item that may be claimed at :now: due
// and pending, or delivering with an expired lease, and not behind an older
// undelivered (pending or delivering) item of the same contact. Failed
// (parked) items do not hold back their contact's later items.
const eligible = `
  ((i.state = 'pending' AND i.next_attempt_at <= :now)
    OR (i.state = 'delivering' AND i.lease_until < :now))
  AND (i.contact_id = 0 OR NOT EXISTS (
    SELECT 1 FROM items o
    WHERE o.contact_id = i.contact_id AND o.id < i.id
      AND o.state IN ('pending', 'delivering')))`

// Claim leases the next due item to owner for lease and counts an attempt.
// Items are taken in due order, oldest first, keeping each contact's items in
// the order they were enqueued. It returns ErrEmpty when nothing is due.
func (o *Outbox) Claim(ctx context.Context, owner string, lease time.Duration) (Item, error) {
	if owner == "" || lease <= 0 {
		return Item{}, fmt.Errorf("claim outbox item: %w: empty owner or non-positive lease", ErrInvalid)
	}
	var it Item
	err := o.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		it, err = o.claimTx(ctx, tx, owner, lease)
		return err
	})
	if errors.Is(err, ErrEmpty) {
		return Item{}, ErrEmpty
	}
	if err != nil {
		return Item{}, fmt.Errorf("claim outbox item: %w", err)
	}
	o.log.Debug("outbox item claimed", "item_id", it.ID, "kind", it.Kind, "attempt", it.Attempts)
	return it, nil
}

func (o *Outbox) claimTx(ctx context.Context, tx *sql.Tx, owner string, lease time.Duration) (Item, error) {
	now := o.now()
	nowMS := sqlitefile.MS(now)
	row := tx.QueryRowContext(ctx, `
UPDATE items
SET state = 'delivering', owner = :owner, lease_until = :until,
    attempts = attempts + 1, updated_at = :now,
    -- A lease that ran out means its holder crashed or stalled, maybe
    -- mid-request: what it wrote may not be recorded.
    uncertain = CASE WHEN state = 'delivering' THEN 1 ELSE uncertain END
WHERE id = (
  SELECT i.id FROM items i
  WHERE `+eligible+`
  ORDER BY i.next_attempt_at, i.id
  LIMIT 1)
RETURNING `+itemColumns,
		sql.Named("owner", owner), sql.Named("until", sqlitefile.MS(now.Add(lease))), sql.Named("now", nowMS))
	it, err := scanItem(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, ErrEmpty
	}
	if err != nil {
		return Item{}, err
	}
	if err := addEventTx(ctx, tx, it.ID, nowMS, "claim", owner, it.Attempts, ""); err != nil {
		return Item{}, err
	}
	return it, nil
}

// nextDue returns when the next item becomes claimable, by the same rule as
// Claim; ok is false when there is nothing left to deliver.
func (o *Outbox) nextDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var ms sql.NullInt64
	err = o.db.QueryRowContext(ctx, `
SELECT min(CASE i.state WHEN 'pending' THEN i.next_attempt_at ELSE i.lease_until + 1 END)
FROM items i
WHERE i.state IN ('pending', 'delivering')
  AND (i.contact_id = 0 OR NOT EXISTS (
    SELECT 1 FROM items o
    WHERE o.contact_id = i.contact_id AND o.id < i.id
      AND o.state IN ('pending', 'delivering')))`).Scan(&ms)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next outbox due time: %w", err)
	}
	if !ms.Valid {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(ms.Int64), true, nil
}

// makeDue makes every pending item due now (for a forced drain).
func (o *Outbox) makeDue(ctx context.Context) error {
	now := sqlitefile.MS(o.now())
	_, err := o.db.ExecContext(ctx,
		`UPDATE items SET next_attempt_at = ?, updated_at = ? WHERE state = 'pending' AND next_attempt_at > ?`,
		now, now, now)
	if err != nil {
		return fmt.Errorf("make outbox items due: %w", err)
	}
	return nil
}

// leased runs an update that applies only while owner holds an unexpired
// lease on item id, then records the audit event, and returns the item as
// stored afterwards. The update's WHERE must end with the lease condition,
// taking :id, :owner and :now.
func (o *Outbox) leased(ctx context.Context, id int64, owner, what, update, detail string, args ...any) (Item, error) {
	var it Item
	err := o.inTx(ctx, func(tx *sql.Tx) error {
		now := sqlitefile.MS(o.now())
		args := append([]any{sql.Named("id", id), sql.Named("owner", owner), sql.Named("now", now)}, args...)
		var err error
		it, err = scanItem(tx.QueryRowContext(ctx, update+`
WHERE id = :id AND state = 'delivering' AND owner = :owner AND lease_until >= :now
RETURNING `+itemColumns, args...))
		if errors.Is(err, sql.ErrNoRows) {
			return o.whyNotLeased(ctx, tx, id)
		}
		if err != nil {
			return err
		}
		return addEventTx(ctx, tx, id, now, what, owner, it.Attempts, detail)
	})
	if err != nil {
		return Item{}, err
	}
	return it, nil
}

// whyNotLeased tells a missing item from a lost lease.
func (o *Outbox) whyNotLeased(ctx context.Context, tx *sql.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM items WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return ErrLeaseLost
}

// RecordStep stores delivery progress for a claimed item, so a later attempt
// resumes rather than repeats. Zero ids leave the stored value unchanged.
// It is RecordProgress for the two steps of a call.
func (o *Outbox) RecordStep(ctx context.Context, id int64, owner string, communicationID, activityID int64) error {
	return o.RecordProgress(ctx, id, owner, Progress{CommunicationID: communicationID, ActivityID: activityID})
}

// RecordProgress stores the delivery steps in p for a claimed item, so a
// later attempt resumes rather than repeats. Zero fields leave the stored
// values unchanged; a non-zero p.ContactID becomes the item's ContactID and
// marks it ContactCreated.
func (o *Outbox) RecordProgress(ctx context.Context, id int64, owner string, p Progress) error {
	if err := p.valid(); err != nil {
		return fmt.Errorf("record outbox step for item %d: %w", id, err)
	}
	_, err := o.leased(ctx, id, owner, "step", `
UPDATE items SET
  contact_id = CASE WHEN :contact != 0 THEN :contact ELSE contact_id END,
  contact_created = CASE WHEN :contact != 0 THEN 1 ELSE contact_created END,
  communication_id = CASE WHEN :comm != 0 THEN :comm ELSE communication_id END,
  activity_id = CASE WHEN :act != 0 THEN :act ELSE activity_id END,
  folder_id = CASE WHEN :folder != 0 THEN :folder ELSE folder_id END,
  document_id = CASE WHEN :doc != 0 THEN :doc ELSE document_id END,
  document_uuid = CASE WHEN :uuid != '' THEN :uuid ELSE document_uuid END,
  uploaded = CASE WHEN :uploaded != 0 THEN 1 ELSE uploaded END,
  updated_at = :now`,
		p.String(),
		sql.Named("contact", p.ContactID), sql.Named("comm", p.CommunicationID),
		sql.Named("act", p.ActivityID), sql.Named("folder", p.FolderID),
		sql.Named("doc", p.DocumentID), sql.Named("uuid", p.DocumentUUID),
		sql.Named("uploaded", boolInt(p.Uploaded)))
	if err != nil {
		return fmt.Errorf("record outbox step for item %d: %w", id, err)
	}
	return nil
}

// Ack marks a claimed item delivered.
func (o *Outbox) Ack(ctx context.Context, id int64, owner string) error {
	_, err := o.ack(ctx, id, owner)
	return err
}

// ack is Ack returning the item as stored afterwards.
func (o *Outbox) ack(ctx context.Context, id int64, owner string) (Item, error) {
	it, err := o.leased(ctx, id, owner, "ack", `
UPDATE items SET state = 'delivered', owner = '', lease_until = 0, last_error = '',
  delivered_at = :now, updated_at = :now`, "")
	if err != nil {
		return Item{}, fmt.Errorf("ack outbox item %d: %w", id, err)
	}
	return it, nil
}

// Retry gives a claimed item back, due again after the given delay, noting
// reason as its last error.
func (o *Outbox) Retry(ctx context.Context, id int64, owner string, after time.Duration, reason string) error {
	_, err := o.retry(ctx, id, owner, after, reason, false)
	return err
}

// retry is Retry that can also mark the item Uncertain, returning the item
// as stored afterwards.
func (o *Outbox) retry(ctx context.Context, id int64, owner string, after time.Duration, reason string, uncertain bool) (Item, error) {
	if after < 0 {
		after = 0
	}
	it, err := o.leased(ctx, id, owner, "retry", `
UPDATE items SET state = 'pending', owner = '', lease_until = 0,
  next_attempt_at = :now + :after, last_error = :reason, updated_at = :now,
  uncertain = CASE WHEN :uncertain != 0 THEN 1 ELSE uncertain END`,
		reason, sql.Named("after", after.Milliseconds()), sql.Named("reason", reason),
		sql.Named("uncertain", boolInt(uncertain)))
	if err != nil {
		return Item{}, fmt.Errorf("retry outbox item %d: %w", id, err)
	}
	return it, nil
}

// Park marks a claimed item failed with reason; it stays until Requeue or
// Discard.
func (o *Outbox) Park(ctx context.Context, id int64, owner string, reason string) error {
	_, err := o.park(ctx, id, owner, reason, false)
	return err
}

// park is Park that can also mark the item Uncertain, returning the item as
// stored afterwards.
func (o *Outbox) park(ctx context.Context, id int64, owner string, reason string, uncertain bool) (Item, error) {
	it, err := o.leased(ctx, id, owner, "park", `
UPDATE items SET state = 'failed', owner = '', lease_until = 0,
  last_error = :reason, updated_at = :now,
  uncertain = CASE WHEN :uncertain != 0 THEN 1 ELSE uncertain END`,
		reason, sql.Named("reason", reason), sql.Named("uncertain", boolInt(uncertain)))
	if err != nil {
		return Item{}, fmt.Errorf("park outbox item %d: %w", id, err)
	}
	return it, nil
}

// Requeue makes a failed item pending and due now, clearing its error. Its
// attempt count and recorded progress are kept, so the deliverer still knows
// an earlier attempt may have written something.
func (o *Outbox) Requeue(ctx context.Context, id int64) error {
	err := o.inTx(ctx, func(tx *sql.Tx) error {
		now := sqlitefile.MS(o.now())
		res, err := tx.ExecContext(ctx, `
UPDATE items SET state = 'pending', next_attempt_at = ?, last_error = '', updated_at = ?
WHERE id = ? AND state = 'failed'`, now, now, id)
		if err != nil {
			return err
		}
		if err := o.stateCheck(ctx, tx, res, id); err != nil {
			return err
		}
		return addEventTx(ctx, tx, id, now, "requeue", "", 0, "")
	})
	if err != nil {
		return fmt.Errorf("requeue outbox item %d: %w", id, err)
	}
	o.log.Info("outbox item requeued", "item_id", id)
	return nil
}

// Discard deletes a failed or pending item for good; its audit trail stays.
// A delivering or delivered item cannot be discarded.
func (o *Outbox) Discard(ctx context.Context, id int64) error {
	err := o.inTx(ctx, func(tx *sql.Tx) error {
		var eventID, state string
		err := tx.QueryRowContext(ctx, `
DELETE FROM items WHERE id = ? AND state IN ('failed', 'pending')
RETURNING event_id, state`, id).Scan(&eventID, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return o.stateCheck(ctx, tx, nil, id)
		}
		if err != nil {
			return err
		}
		return addEventTx(ctx, tx, id, sqlitefile.MS(o.now()), "discard", "", 0,
			fmt.Sprintf("event_id=%s state=%s", eventID, state))
	})
	if err != nil {
		return fmt.Errorf("discard outbox item %d: %w", id, err)
	}
	o.log.Info("outbox item discarded", "item_id", id)
	return nil
}

// stateCheck turns "no row changed" into ErrNotFound or ErrWrongState. A
// nil res means no row changed.
func (o *Outbox) stateCheck(ctx context.Context, tx *sql.Tx, res sql.Result, id int64) error {
	if res != nil {
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
	var state string
	err := tx.QueryRowContext(ctx, `SELECT state FROM items WHERE id = ?`, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: %s", ErrWrongState, state)
}
