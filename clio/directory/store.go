package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/phone"
)

// sync_state keys.
const (
	keyLastSync = "last_sync_start" // RFC 3339 start time of the last complete sync
	keyGen      = "sync_gen"        // generation of the last complete full sync
	keyRegion   = "region"          // DefaultRegion the phone keys were computed with
)

const (
	upsertContactSQL = `INSERT INTO contacts (id, name, company, type, is_client, updated_at, sync_gen)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, company = excluded.company, type = excluded.type,
	is_client = excluded.is_client, updated_at = excluded.updated_at, sync_gen = excluded.sync_gen`
	deletePhonesSQL = `DELETE FROM phones WHERE contact_id = ?1`
	insertPhoneSQL  = `INSERT INTO phones (contact_id, pos, raw, e164, national, rdigits, label)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`
	upsertMatterSQL = `INSERT INTO matters (id, client_id, display_number, description, status,
	responsible_attorney, originating_attorney, practice_area, updated_at, last_activity_date, sync_gen,
	responsible_attorney_id, originating_attorney_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id, display_number = excluded.display_number,
	description = excluded.description, status = excluded.status,
	responsible_attorney = excluded.responsible_attorney, originating_attorney = excluded.originating_attorney,
	practice_area = excluded.practice_area, updated_at = excluded.updated_at,
	last_activity_date = excluded.last_activity_date, sync_gen = excluded.sync_gen,
	responsible_attorney_id = excluded.responsible_attorney_id, originating_attorney_id = excluded.originating_attorney_id`
	upsertRelationshipSQL = `INSERT INTO relationships (id, contact_id, matter_id, description, updated_at, sync_gen)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (id) DO UPDATE SET contact_id = excluded.contact_id, matter_id = excluded.matter_id,
	description = excluded.description, updated_at = excluded.updated_at, sync_gen = excluded.sync_gen`
)

// phoneRow is the stored form of one number.
type phoneRow struct {
	e164, national, rdigits string
}

func phoneRowFor(raw, region string) phoneRow {
	k := phone.Analyze(raw, region)
	return phoneRow{e164: k.E164, national: k.National, rdigits: reverse(k.Digits)}
}

// reverse reverses an ASCII digit string.
func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// upsertContacts stores one page of contacts in one transaction, replacing
// each contact's phones.
func (d *Directory) upsertContacts(ctx context.Context, page []clio.Contact, gen int64) error {
	return inTx(ctx, d.db, func(tx *sql.Tx) error { return d.storeContacts(ctx, tx, page, gen) })
}

// storeContacts upserts contacts in tx, replacing each contact's phones.
func (d *Directory) storeContacts(ctx context.Context, tx *sql.Tx, page []clio.Contact, gen int64) error {
	upsert, err := tx.PrepareContext(ctx, upsertContactSQL)
	if err != nil {
		return err
	}
	defer upsert.Close()
	del, err := tx.PrepareContext(ctx, deletePhonesSQL)
	if err != nil {
		return err
	}
	defer del.Close()
	ins, err := tx.PrepareContext(ctx, insertPhoneSQL)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, c := range page {
		company := ""
		if c.Company != nil {
			company = c.Company.Name
		}
		if _, err := upsert.ExecContext(ctx, c.ID, contactName(c), company, c.Type, c.IsClient, millis(c.UpdatedAt), gen); err != nil {
			return fmt.Errorf("upsert contact %d: %w", c.ID, err)
		}
		if _, err := del.ExecContext(ctx, c.ID); err != nil {
			return fmt.Errorf("replace phones of contact %d: %w", c.ID, err)
		}
		for i, p := range c.PhoneNumbers {
			r := phoneRowFor(p.Number, d.region)
			if _, err := ins.ExecContext(ctx, c.ID, i, p.Number, r.e164, r.national, r.rdigits, p.Name); err != nil {
				return fmt.Errorf("insert phone of contact %d: %w", c.ID, err)
			}
		}
	}
	return nil
}

// upsertMatters stores one page of matters in one transaction.
func (d *Directory) upsertMatters(ctx context.Context, page []clio.Matter, gen int64) error {
	return inTx(ctx, d.db, func(tx *sql.Tx) error { return storeMatters(ctx, tx, page, gen) })
}

// storeMatters upserts matters in tx.
func storeMatters(ctx context.Context, tx *sql.Tx, page []clio.Matter, gen int64) error {
	upsert, err := tx.PrepareContext(ctx, upsertMatterSQL)
	if err != nil {
		return err
	}
	defer upsert.Close()
	for _, m := range page {
		var client sql.NullInt64
		if m.Client != nil && m.Client.ID != 0 {
			client = sql.NullInt64{Int64: m.Client.ID, Valid: true}
		}
		if _, err := upsert.ExecContext(ctx, m.ID, client, m.DisplayNumber, m.Description,
			canonicalStatus(m.Status), refName(m.ResponsibleAttorney), refName(m.OriginatingAttorney),
			refName(m.PracticeArea), millis(m.UpdatedAt), m.LastActivityDate, gen,
			refID(m.ResponsibleAttorney), refID(m.OriginatingAttorney)); err != nil {
			return fmt.Errorf("upsert matter %d: %w", m.ID, err)
		}
	}
	return nil
}

// storeRelationships upserts relationships in tx.
func storeRelationships(ctx context.Context, tx *sql.Tx, page []Relationship, gen int64) error {
	upsert, err := tx.PrepareContext(ctx, upsertRelationshipSQL)
	if err != nil {
		return err
	}
	defer upsert.Close()
	for _, r := range page {
		if r.ContactID == 0 || r.MatterID == 0 {
			continue // a relationship without both ends links nothing
		}
		if _, err := upsert.ExecContext(ctx, r.ID, r.ContactID, r.MatterID, r.Description, millis(r.UpdatedAt), gen); err != nil {
			return fmt.Errorf("upsert relationship %d: %w", r.ID, err)
		}
	}
	return nil
}

// markIDs stamps the rows of table (contacts or matters) whose ids the
// source still returns with generation gen.
func markIDs(ctx context.Context, tx *sql.Tx, table string, ids []int64, gen int64) error {
	mark, err := tx.PrepareContext(ctx, `UPDATE `+table+` SET sync_gen = ?2 WHERE id = ?1`)
	if err != nil {
		return err
	}
	defer mark.Close()
	for _, id := range ids {
		if _, err := mark.ExecContext(ctx, id, gen); err != nil {
			return fmt.Errorf("mark %s %d: %w", table, id, err)
		}
	}
	return nil
}

// finishSync records a complete sync; after a full sync it first deletes
// what the source no longer has.
func (d *Directory) finishSync(ctx context.Context, start time.Time, gen int64, full bool) error {
	return inTx(ctx, d.db, func(tx *sql.Tx) error {
		if full {
			if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE sync_gen < ?1`, gen); err != nil {
				return fmt.Errorf("delete stale contacts: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM matters WHERE sync_gen < ?1`, gen); err != nil {
				return fmt.Errorf("delete stale matters: %w", err)
			}
			if err := setState(ctx, tx, keyLastReconcile, start.UTC().Format(time.RFC3339Nano)); err != nil {
				return err
			}
		}
		if err := setState(ctx, tx, keyGen, strconv.FormatInt(gen, 10)); err != nil {
			return err
		}
		if err := setState(ctx, tx, keyLastSync, start.UTC().Format(time.RFC3339Nano)); err != nil {
			return err
		}
		// A paged run in progress was superseded by this sync.
		_, err := tx.ExecContext(ctx, `DELETE FROM sync_state WHERE key = ?1`, keyRun)
		return err
	})
}

// reindexIfRegionChanged recomputes every phone's keys when the directory
// was built with another DefaultRegion, since national numbers read
// differently then.
func (d *Directory) reindexIfRegionChanged(ctx context.Context) error {
	old, ok, err := getState(ctx, d.db, keyRegion)
	if err != nil {
		return err
	}
	if ok && old == d.region {
		return nil
	}
	return inTx(ctx, d.db, func(tx *sql.Tx) error {
		if ok {
			if err := d.reindexPhones(ctx, tx); err != nil {
				return fmt.Errorf("reindex phones: %w", err)
			}
			d.log.Info("reindexed directory phones for new region", "from", old, "to", d.region)
		}
		return setState(ctx, tx, keyRegion, d.region)
	})
}

func (d *Directory) reindexPhones(ctx context.Context, tx *sql.Tx) error {
	type key struct {
		contact int64
		pos     int
		raw     string
	}
	rows, err := tx.QueryContext(ctx, `SELECT contact_id, pos, raw FROM phones`)
	if err != nil {
		return err
	}
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.contact, &k.pos, &k.raw); err != nil {
			return errors.Join(err, rows.Close())
		}
		keys = append(keys, k)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE phones SET e164 = ?3, national = ?4, rdigits = ?5 WHERE contact_id = ?1 AND pos = ?2`)
	if err != nil {
		return err
	}
	defer upd.Close()
	for _, k := range keys {
		r := phoneRowFor(k.raw, d.region)
		if _, err := upd.ExecContext(ctx, k.contact, k.pos, r.e164, r.national, r.rdigits); err != nil {
			return err
		}
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getState(ctx context.Context, q querier, key string) (string, bool, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM sync_state WHERE key = ?1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read sync state %s: %w", key, err)
	}
	return v, true, nil
}

func setState(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_state (key, value) VALUES (?1, ?2)
ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write sync state %s: %w", key, err)
	}
	return nil
}

func contactName(c clio.Contact) string {
	if c.Name != "" {
		return c.Name
	}
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

func refID(r *clio.Ref) int64 {
	if r == nil {
		return 0
	}
	return r.ID
}

func refName(r *clio.Ref) string {
	if r == nil {
		return ""
	}
	return r.Name
}

// canonicalStatus maps any casing of a Clio matter status to the form Clio
// returns ("Open", "Pending", "Closed").
func canonicalStatus(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "open":
		return clio.MatterOpen
	case "pending":
		return clio.MatterPending
	case "closed":
		return clio.MatterClosed
	}
	return s
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
