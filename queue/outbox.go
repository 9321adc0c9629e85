package queue

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// Outbox is the durable queue of items waiting for delivery. It is safe for
// concurrent use, also by several processes sharing the same file.
type Outbox struct {
	db  *sql.DB
	log *slog.Logger
	now func() time.Time // tests replace it
}

// Open opens (creating if needed) the outbox database at path and migrates
// its schema. The file is made 0600 and a missing directory 0700. A file
// that held an outbox and is now empty, missing, not a database or fails
// SQLite's quick check is a *sqlitefile.DamagedError and is left as it is;
// OpenRepair sets such a file aside. A full disk is a *sqlitefile.FullError.
func Open(ctx context.Context, path string, logger *slog.Logger) (*Outbox, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if path == "" {
		return nil, fmt.Errorf("open outbox: %w: empty path", ErrInvalid)
	}
	ob, err := sqlitefile.RetryBusy(ctx, func() (*Outbox, error) { return open(ctx, path, logger) })
	if err != nil {
		if de := sqlitefile.Damaged(err, "outbox", path); de != nil {
			return nil, de
		}
		return nil, fmt.Errorf("open outbox: %w", sqlitefile.Full(err, path))
	}
	return ob, nil
}

// OpenRepair is Open for the file's owner, the tray app: a damaged file is
// set aside (PATH.damaged-STAMP, kept, never deleted), a new outbox is
// started and every item still readable is copied into it with its id
// and history. The Repair says what happened; nil if nothing did.
func OpenRepair(ctx context.Context, path string, logger *slog.Logger) (*Outbox, *sqlitefile.Repair, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ob, err := Open(ctx, path, logger)
	var de *sqlitefile.DamagedError
	if !errors.As(err, &de) {
		return ob, nil, err
	}
	rep, err := sqlitefile.SetAside(de, time.Now())
	if err != nil {
		return nil, nil, errors.Join(de, err)
	}
	if ob, err = Open(ctx, path, logger); err != nil {
		return nil, &rep, err
	}
	if rep.SetAside != "" {
		n, err := sqlitefile.Salvage(ctx, rep.SetAside, ob.db)
		if err != nil {
			logger.Warn("recover outbox items", "err", err)
		}
		rep.Recovered, rep.Unit = n["items"], "items"
	}
	logger.Error("damaged outbox set aside", "path", path, "set_aside", rep.SetAside, "reason", rep.Reason,
		"recovered", rep.Recovered)
	return ob, &rep, nil
}

func open(ctx context.Context, path string, logger *slog.Logger) (*Outbox, error) {
	if err := sqlitefile.Precheck("outbox", path); err != nil {
		return nil, err
	}
	if err := sqlitefile.Create(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, err
	}
	// One connection: SQLite has one writer anyway, and this keeps every
	// write of this process in order without SQLITE_BUSY between our own
	// connections. Other processes are handled by busy_timeout.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := sqlitefile.Check(ctx, db, "outbox", path); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := migrate(ctx, db); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := sqlitefile.MarkCreated(path); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return &Outbox{db: db, log: logger, now: time.Now}, nil
}

// dsn is the outbox's data source: WAL, synchronous=FULL.
func dsn(path string) string { return sqlitefile.URI(path, sqlitefile.Durable...) }

// Close closes the database.
func (o *Outbox) Close() error {
	if err := o.db.Close(); err != nil {
		return fmt.Errorf("close outbox: %w", err)
	}
	return nil
}

// inTx runs fn in one transaction, committing if it returns nil.
func (o *Outbox) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return sqlitefile.InTx(ctx, o.db, "outbox", fn)
}

// newEventID returns "cd-" followed by 32 random hex digits.
func newEventID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("event id: %w", err)
	}
	return "cd-" + hex.EncodeToString(b[:]), nil
}

// Enqueue stores it as a new pending item, due now, and returns it as
// stored. An empty EventID gets a fresh one. Enqueueing an EventID that is
// already stored returns the stored item and no error, whatever its state.
// The outbox's own fields (ID, State, Attempts, progress, times) are ignored.
func (o *Outbox) Enqueue(ctx context.Context, it Item) (Item, error) {
	if err := validate(it); err != nil {
		return Item{}, fmt.Errorf("enqueue outbox item: %w", err)
	}
	if it.EventID == "" {
		id, err := newEventID()
		if err != nil {
			return Item{}, fmt.Errorf("enqueue outbox item: %w", err)
		}
		it.EventID = id
	}
	var out Item
	created := false
	err := o.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, created, err = o.enqueueTx(ctx, tx, it)
		return err
	})
	if err != nil {
		return Item{}, fmt.Errorf("enqueue outbox item: %w", err)
	}
	if created {
		o.log.Info("outbox item enqueued", "item_id", out.ID, "kind", out.Kind)
	} else {
		o.log.Debug("outbox item already enqueued", "item_id", out.ID, "kind", out.Kind, "state", out.State)
	}
	return out, nil
}

func (o *Outbox) enqueueTx(ctx context.Context, tx *sql.Tx, it Item) (Item, bool, error) {
	now := sqlitefile.MS(o.now())
	row := tx.QueryRowContext(ctx, `
INSERT INTO items (event_id, kind, state, number, name, contact_id, matter_id, user_id,
  direction, started_at, duration_s, billable, note, source, text, file_path, ref_event_id,
  next_attempt_at, created_at, updated_at)
VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (event_id) DO NOTHING
RETURNING `+itemColumns,
		it.EventID, string(it.Kind), it.Number, it.Name, it.ContactID, it.MatterID, it.UserID,
		it.Direction, sqlitefile.MS(it.StartedAt), it.DurationS, boolInt(it.Billable), it.Note, it.Source,
		it.Text, it.FilePath, it.RefEventID, now, now, now)
	out, err := scanItem(row)
	if errors.Is(err, sql.ErrNoRows) {
		existing, err := getByEventIDTx(ctx, tx, it.EventID)
		return existing, false, err
	}
	if err != nil {
		return Item{}, false, err
	}
	if err := addEventTx(ctx, tx, out.ID, now, "enqueue", "", 0, ""); err != nil {
		return Item{}, false, err
	}
	return out, true, nil
}

// Get returns the item with the given id, or ErrNotFound.
func (o *Outbox) Get(ctx context.Context, id int64) (Item, error) {
	it, err := scanItem(o.db.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM items WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, fmt.Errorf("get outbox item %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Item{}, fmt.Errorf("get outbox item %d: %w", id, err)
	}
	return it, nil
}

func getByEventIDTx(ctx context.Context, tx *sql.Tx, eventID string) (Item, error) {
	it, err := scanItem(tx.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM items WHERE event_id = ?`, eventID))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, ErrNotFound
	}
	return it, err
}

// List returns items, newest first, filtered by opts.
func (o *Outbox) List(ctx context.Context, opts ListOptions) ([]Item, error) {
	var (
		where []string
		args  []any
	)
	if len(opts.States) > 0 {
		marks := make([]string, len(opts.States))
		for i, s := range opts.States {
			if _, err := ParseState(string(s)); err != nil {
				return nil, fmt.Errorf("list outbox items: %w", err)
			}
			marks[i] = "?"
			args = append(args, string(s))
		}
		where = append(where, "state IN ("+strings.Join(marks, ", ")+")")
	}
	q := `SELECT ` + itemColumns + ` FROM items`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC"
	if opts.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, opts.Limit)
	}
	rows, err := o.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox items: %w", err)
	}
	defer rows.Close()
	var items []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("list outbox items: %w", err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list outbox items: %w", err)
	}
	return items, nil
}

// Counts returns how many items are in each state; every State is present.
func (o *Outbox) Counts(ctx context.Context) (map[State]int, error) {
	counts := make(map[State]int, len(states))
	for _, s := range states {
		counts[s] = 0
	}
	rows, err := o.db.QueryContext(ctx, `SELECT state, count(*) FROM items GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count outbox items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			s string
			n int
		)
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("count outbox items: %w", err)
		}
		counts[State(s)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count outbox items: %w", err)
	}
	return counts, nil
}

// addEventTx appends one row to the audit trail.
func addEventTx(ctx context.Context, tx *sql.Tx, itemID, at int64, what, owner string, attempt int, detail string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO events (item_id, at, what, owner, attempt, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		itemID, at, what, owner, attempt, detail)
	if err != nil {
		return fmt.Errorf("record outbox event: %w", err)
	}
	return nil
}

// itemColumns is the column list every SELECT and RETURNING of an item uses,
// in scanItem's order.
const itemColumns = `id, event_id, kind, state, number, name, contact_id, matter_id, user_id,
  direction, started_at, duration_s, billable, note, source, text, file_path, ref_event_id,
  attempts, next_attempt_at, last_error, uncertain,
  contact_created, communication_id, activity_id, folder_id, document_id, document_uuid, uploaded,
  created_at, updated_at, delivered_at`

type scanner interface{ Scan(dest ...any) error }

func scanItem(s scanner) (Item, error) {
	var (
		it                                                         Item
		kind, state                                                string
		started, next, created, updated, delivered, billable, atts int64
		uncertain, contactCreated, uploaded                        int64
	)
	err := s.Scan(&it.ID, &it.EventID, &kind, &state, &it.Number, &it.Name,
		&it.ContactID, &it.MatterID, &it.UserID, &it.Direction, &started, &it.DurationS,
		&billable, &it.Note, &it.Source, &it.Text, &it.FilePath, &it.RefEventID,
		&atts, &next, &it.LastError, &uncertain,
		&contactCreated, &it.CommunicationID, &it.ActivityID, &it.FolderID, &it.DocumentID,
		&it.DocumentUUID, &uploaded,
		&created, &updated, &delivered)
	if err != nil {
		return Item{}, err
	}
	it.Uncertain, it.ContactCreated, it.Uploaded = uncertain != 0, contactCreated != 0, uploaded != 0
	it.Kind, it.State = Kind(kind), State(state)
	it.StartedAt, it.NextAttemptAt = sqlitefile.Time(started), sqlitefile.Time(next)
	it.CreatedAt, it.UpdatedAt, it.DeliveredAt = sqlitefile.Time(created), sqlitefile.Time(updated), sqlitefile.Time(delivered)
	it.Billable = billable != 0
	it.Attempts = int(atts)
	return it, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
