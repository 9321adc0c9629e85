package directory

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/calldocket/calldocket/phone"
)

// RecordLogged remembers that the user logged a call from or to number
// with the contact (and matter, when not 0), at the given time, so that the
// next Lookup of the number ranks that contact first and suggests that
// matter first. The app calls it when the user confirms a call. An older
// record than the one stored is ignored; a withheld or unusable number
// records only the matter. It is not a cache: syncs never delete it.
func (d *Directory) RecordLogged(ctx context.Context, number string, contactID, matterID int64, at time.Time) error {
	if contactID <= 0 {
		return nil
	}
	key := loggedKey(phone.Analyze(number, d.region))
	err := inTx(ctx, d.db, func(tx *sql.Tx) error {
		if key != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO logged_numbers (number, contact_id, at) VALUES (?1, ?2, ?3)
ON CONFLICT (number) DO UPDATE SET contact_id = excluded.contact_id, at = excluded.at
WHERE excluded.at >= logged_numbers.at`, key, contactID, at.UnixMilli()); err != nil {
				return err
			}
		}
		if matterID > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO logged_matters (contact_id, matter_id, at) VALUES (?1, ?2, ?3)
ON CONFLICT (contact_id) DO UPDATE SET matter_id = excluded.matter_id, at = excluded.at
WHERE excluded.at >= logged_matters.at`, contactID, matterID, at.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record logged call: %w", err)
	}
	return nil
}

// loggedKey is the key a number's logging history is kept under: its
// E.164 form, else its national digits; "" for withheld or short input.
func loggedKey(k phone.Keys) string {
	switch {
	case k.E164 != "":
		return k.E164
	case k.Withheld(), len(k.National) < minNational:
		return ""
	}
	return k.National
}
