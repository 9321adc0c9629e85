package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// Update edits a pending or failed item: fn receives a copy of the stored
// item and may change its Name, ContactID, MatterID, Billable and Note (the
// review list's edit). Changing any other field is refused with ErrInvalid;
// a delivering or delivered item gives ErrWrongState. The item keeps its
// state, so a failed item stays parked until Requeue. What an earlier
// attempt already wrote to Clio (see the progress fields) is not changed:
// only the steps still to come use the new values.
func (o *Outbox) Update(ctx context.Context, id int64, fn func(*Item)) error {
	if fn == nil {
		return fmt.Errorf("update outbox item %d: %w: nil edit function", id, ErrInvalid)
	}
	var changed []string
	err := o.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanItem(tx.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM items WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if before.State != StatePending && before.State != StateFailed {
			return fmt.Errorf("%w: %s", ErrWrongState, before.State)
		}
		after := before
		fn(&after)
		if err := editableOnly(before, after); err != nil {
			return err
		}
		if err := validate(after); err != nil {
			return err
		}
		changed = editedFields(before, after)
		if len(changed) == 0 {
			return nil
		}
		now := sqlitefile.MS(o.now())
		_, err = tx.ExecContext(ctx, `
UPDATE items SET name = :name, contact_id = :contact, matter_id = :matter, billable = :billable,
  note = :note, updated_at = :now,
  contact_created = CASE WHEN contact_id != :contact THEN 0 ELSE contact_created END
WHERE id = :id`, sql.Named("name", after.Name), sql.Named("contact", after.ContactID),
			sql.Named("matter", after.MatterID), sql.Named("billable", boolInt(after.Billable)),
			sql.Named("note", after.Note), sql.Named("now", now), sql.Named("id", id))
		if err != nil {
			return err
		}
		// The detail names the fields, never their values (names, notes).
		return addEventTx(ctx, tx, id, now, "update", "", 0, strings.Join(changed, ","))
	})
	if err != nil {
		return fmt.Errorf("update outbox item %d: %w", id, err)
	}
	if len(changed) > 0 {
		o.log.Info("outbox item edited", "item_id", id, "fields", strings.Join(changed, ","))
	}
	return nil
}

// editableOnly refuses an edit that touched anything but the editable
// fields.
func editableOnly(before, after Item) error {
	after.Name, after.ContactID, after.MatterID, after.Billable, after.Note =
		before.Name, before.ContactID, before.MatterID, before.Billable, before.Note
	if after != before {
		return fmt.Errorf("%w: only the name, contact, matter, billable flag and note can be edited", ErrInvalid)
	}
	return nil
}

// editedFields names the editable fields that differ.
func editedFields(before, after Item) []string {
	var out []string
	if before.Name != after.Name {
		out = append(out, "name")
	}
	if before.ContactID != after.ContactID {
		out = append(out, "contact_id")
	}
	if before.MatterID != after.MatterID {
		out = append(out, "matter_id")
	}
	if before.Billable != after.Billable {
		out = append(out, "billable")
	}
	if before.Note != after.Note {
		out = append(out, "note")
	}
	return out
}
