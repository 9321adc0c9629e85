package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// DigestPrefix starts the event id of every digest item.
const DigestPrefix = "digest-"

// maxDigestParts bounds the continuation items of one digest.
const maxDigestParts = 100

// AppendDigest adds it.Text to the open digest item identified by key (e.g.
// one SMS digest per contact per day), creating that item, due at due, if
// there is none. A digest already claimed or delivered (say by a forced
// flush) is never changed: the text starts a continuation item instead
// (key-2, key-3, …), so no message is lost or sent twice. It returns the item
// holding the text.
func (o *Outbox) AppendDigest(ctx context.Context, key string, it Item, due time.Time) (Item, error) {
	if key == "" || it.Text == "" {
		return Item{}, fmt.Errorf("append to digest: %w: key and text are required", ErrInvalid)
	}
	if err := validate(it); err != nil {
		return Item{}, fmt.Errorf("append to digest: %w", err)
	}
	var out Item
	err := o.inTx(ctx, func(tx *sql.Tx) error {
		for part := 1; part <= maxDigestParts; part++ {
			eid := DigestPrefix + key
			if part > 1 {
				eid = fmt.Sprintf("%s-%d", eid, part)
			}
			cur, err := getByEventIDTx(ctx, tx, eid)
			switch {
			case errors.Is(err, ErrNotFound) || errors.Is(err, sql.ErrNoRows):
				it.EventID = eid
				created, _, err := o.enqueueTx(ctx, tx, it)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE items SET next_attempt_at = ? WHERE id = ?`,
					sqlitefile.MS(due), created.ID); err != nil {
					return err
				}
				created.NextAttemptAt = time.UnixMilli(sqlitefile.MS(due))
				out = created
				return nil
			case err != nil:
				return err
			case (cur.State == StatePending || cur.State == StateFailed) && cur.CommunicationID == 0 && !cur.Uncertain:
				// Not written to Clio yet, not even possibly: safe to extend.
				text := strings.TrimRight(cur.Text, "\n") + "\n" + it.Text
				now := sqlitefile.MS(o.now())
				if _, err := tx.ExecContext(ctx, `UPDATE items SET text = ?, updated_at = ? WHERE id = ?`,
					text, now, cur.ID); err != nil {
					return err
				}
				if err := addEventTx(ctx, tx, cur.ID, now, "update", "", 0, "text"); err != nil {
					return err
				}
				cur.Text = text
				out = cur
				return nil
			}
			// Claimed or delivered: continue in the next part.
		}
		return fmt.Errorf("%w: digest %q has too many parts", ErrInvalid, key)
	})
	if err != nil {
		return Item{}, fmt.Errorf("append to digest: %w", err)
	}
	return out, nil
}
