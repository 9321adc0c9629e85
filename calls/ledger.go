package calls

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

//go:embed schema.sql
var schemaSQL string

// migrations[i] takes the file from user_version i to i+1. Append only.
var migrations = []string{schemaSQL}

// Ledger is the durable record of every call. It is safe for concurrent
// use, also by several processes sharing the file (the tray app and the
// command line).
type Ledger struct {
	db  *sql.DB // one connection: every write, in order
	rdb *sql.DB // readers: WAL lets them run beside the writer, so a count never delays a call's commit
	log *slog.Logger
	now func() time.Time
}

// OpenLedger opens (creating if needed) the ledger at path. The file is
// made 0600 and a missing directory 0700. A file that held calls and is
// now empty, missing, not a database or fails SQLite's quick check is a
// *sqlitefile.DamagedError and is left as it is; OpenLedgerRepair sets such
// a file aside. A full disk is a *sqlitefile.FullError.
func OpenLedger(ctx context.Context, path string, logger *slog.Logger) (*Ledger, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if path == "" {
		return nil, fmt.Errorf("open call ledger: %w: empty path", ErrInvalid)
	}
	l, err := sqlitefile.RetryBusy(ctx, func() (*Ledger, error) { return openLedger(ctx, path, logger) })
	if err != nil {
		if de := sqlitefile.Damaged(err, "call ledger", path); de != nil {
			return nil, de
		}
		return nil, fmt.Errorf("open call ledger: %w", sqlitefile.Full(err, path))
	}
	return l, nil
}

// OpenLedgerRepair is OpenLedger for the file's owner, the tray app: a
// damaged file is set aside (PATH.damaged-STAMP, kept, never deleted), a
// new ledger is started and every call still readable is copied into it
// with its history. The Repair says what happened; nil if nothing did.
func OpenLedgerRepair(ctx context.Context, path string, logger *slog.Logger) (*Ledger, *sqlitefile.Repair, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	l, err := OpenLedger(ctx, path, logger)
	var de *sqlitefile.DamagedError
	if !errors.As(err, &de) {
		return l, nil, err
	}
	rep, err := sqlitefile.SetAside(de, time.Now())
	if err != nil {
		return nil, nil, errors.Join(de, err)
	}
	if l, err = OpenLedger(ctx, path, logger); err != nil {
		return nil, &rep, err
	}
	if rep.SetAside != "" {
		n, err := sqlitefile.Salvage(ctx, rep.SetAside, l.db)
		if err != nil {
			logger.Warn("recover calls", "err", err)
		}
		rep.Recovered, rep.Unit = n["calls"], "calls"
	}
	logger.Error("damaged call ledger set aside", "path", path, "set_aside", rep.SetAside, "reason", rep.Reason,
		"recovered", rep.Recovered)
	return l, &rep, nil
}

func openLedger(ctx context.Context, path string, logger *slog.Logger) (*Ledger, error) {
	if err := sqlitefile.Precheck("call ledger", path); err != nil {
		return nil, err
	}
	if err := sqlitefile.Create(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	l := &Ledger{db: db, log: logger, now: time.Now}
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := sqlitefile.Check(ctx, db, "call ledger", path); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := l.migrate(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := sqlitefile.MarkCreated(path); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	rdb, err := sql.Open("sqlite", readDSN(path))
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	rdb.SetMaxOpenConns(4)
	l.rdb = rdb
	return l, nil
}

// dsn: the outbox's durability, and immediate transactions so two
// processes never deadlock upgrading a read to a write.
func dsn(path string) string {
	return sqlitefile.URI(path, append(sqlitefile.Durable, "_txlock=immediate")...)
}

// readDSN is dsn for the readers: no write transactions, never a write.
func readDSN(path string) string {
	return sqlitefile.URI(path, append(sqlitefile.Durable, "_pragma=query_only(1)")...)
}

func (l *Ledger) migrate(ctx context.Context) error {
	return l.inTx(ctx, func(tx *sql.Tx) error {
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return fmt.Errorf("call ledger version: %w", err)
		}
		if v > len(migrations) {
			return fmt.Errorf("call ledger version %d is newer than this CallDocket (%d): update CallDocket", v, len(migrations))
		}
		for i := v; i < len(migrations); i++ {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return fmt.Errorf("call ledger migration %d: %w", i+1, err)
			}
		}
		if v < len(migrations) {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
				return fmt.Errorf("set call ledger version: %w", err)
			}
		}
		return nil
	})
}

// Close closes the file.
func (l *Ledger) Close() error {
	if err := errors.Join(l.rdb.Close(), l.db.Close()); err != nil {
		return fmt.Errorf("close call ledger: %w", err)
	}
	return nil
}

func (l *Ledger) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return sqlitefile.InTx(ctx, l.db, "call ledger", fn)
}

const columns = `id, call_id, kind, state, prev_state, source, source_call_id, direction, number, e164,
  caller_name, started_at, answered_at, ended_at, duration_s, duration_known, contact_id, contact_name,
  not_client, matter_id, matter_reason, decided, billable, note, text, file_path, reason, restored,
  outbox_id, event_id, communication_id, created_at, updated_at, changed_at, discarded_at`

type scanner interface{ Scan(dest ...any) error }

func scanRecord(s scanner) (Record, error) {
	var r Record
	var kind, state, prev string
	var started, answered, ended, created, updated, changed, discarded int64
	var known, notClient, decided, billable, restored int64
	err := s.Scan(&r.ID, &r.CallID, &kind, &state, &prev, &r.Source, &r.SourceCallID, &r.Direction,
		&r.Number, &r.E164, &r.CallerName, &started, &answered, &ended, &r.DurationS, &known,
		&r.ContactID, &r.ContactName, &notClient, &r.MatterID, &r.MatterReason, &decided, &billable,
		&r.Note, &r.Text, &r.FilePath, &r.Reason, &restored, &r.OutboxID, &r.EventID,
		&r.CommunicationID, &created, &updated, &changed, &discarded)
	if err != nil {
		return Record{}, err
	}
	r.Kind, r.State, r.PrevState = Kind(kind), State(state), State(prev)
	r.StartedAt, r.AnsweredAt, r.EndedAt = sqlitefile.Time(started), sqlitefile.Time(answered), sqlitefile.Time(ended)
	r.CreatedAt, r.UpdatedAt, r.ChangedAt, r.DiscardedAt = sqlitefile.Time(created), sqlitefile.Time(updated), sqlitefile.Time(changed), sqlitefile.Time(discarded)
	r.DurationKnown, r.NotAClient, r.Decided, r.Billable, r.Restored = known != 0, notClient != 0, decided != 0, billable != 0, restored != 0
	return r, nil
}

func (l *Ledger) args(r Record) []any {
	return []any{r.CallID, string(r.Kind), string(r.State), string(r.PrevState), r.Source, r.SourceCallID,
		r.Direction, r.Number, r.E164, r.CallerName, sqlitefile.MS(r.StartedAt), sqlitefile.MS(r.AnsweredAt), sqlitefile.MS(r.EndedAt),
		r.DurationS, b2i(r.DurationKnown), r.ContactID, r.ContactName, b2i(r.NotAClient), r.MatterID,
		r.MatterReason, b2i(r.Decided), b2i(r.Billable), r.Note, r.Text, r.FilePath, r.Reason,
		b2i(r.Restored), r.OutboxID, r.EventID, r.CommunicationID, sqlitefile.MS(r.CreatedAt), sqlitefile.MS(r.UpdatedAt),
		sqlitefile.MS(r.ChangedAt), sqlitefile.MS(r.DiscardedAt)}
}

// Get returns the record with the given id, or an error wrapping ErrNotFound.
func (l *Ledger) Get(ctx context.Context, id int64) (Record, error) {
	r, err := scanRecord(l.rdb.QueryRowContext(ctx, "SELECT "+columns+" FROM calls WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	if err != nil {
		return Record{}, fmt.Errorf("read call %d: %w", id, err)
	}
	return r, nil
}

// ByCallID returns the record of a call id, or an error wrapping ErrNotFound.
func (l *Ledger) ByCallID(ctx context.Context, callID string) (Record, error) {
	r, err := scanRecord(l.rdb.QueryRowContext(ctx, "SELECT "+columns+" FROM calls WHERE call_id = ?", callID))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, fmt.Errorf("%w: %q", ErrNotFound, callID)
	}
	if err != nil {
		return Record{}, fmt.Errorf("read call: %w", err)
	}
	return r, nil
}

// ByOutboxID returns the records whose outbox item is id (several text
// messages share one daily digest).
func (l *Ledger) ByOutboxID(ctx context.Context, id int64) ([]Record, error) {
	rows, err := l.rdb.QueryContext(ctx, "SELECT "+columns+" FROM calls WHERE outbox_id = ? AND outbox_id != 0", id)
	if err != nil {
		return nil, fmt.Errorf("read calls of outbox item %d: %w", id, err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("read calls of outbox item %d: %w", id, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListOptions filter List. The zero value lists everything, newest first.
type ListOptions struct {
	States []State   // only these states; none means all
	Since  time.Time // started at or after
	Limit  int       // 0 means no limit
}

// List returns records, newest first.
func (l *Ledger) List(ctx context.Context, o ListOptions) ([]Record, error) {
	q := "SELECT " + columns + " FROM calls WHERE started_at >= ?"
	args := []any{sqlitefile.MS(o.Since)}
	if len(o.States) > 0 {
		q += " AND state IN (?" + strings.Repeat(",?", len(o.States)-1) + ")"
		for _, s := range o.States {
			args = append(args, string(s))
		}
	}
	q += " ORDER BY started_at DESC, id DESC"
	if o.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", o.Limit)
	}
	rows, err := l.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("list calls: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	return out, nil
}

// Counts returns how many records are in each state.
func (l *Ledger) Counts(ctx context.Context) (map[State]int, error) {
	rows, err := l.rdb.QueryContext(ctx, "SELECT state, count(*) FROM calls WHERE state NOT IN ('delivered', 'discarded') GROUP BY state")
	if err != nil {
		return nil, fmt.Errorf("count calls: %w", err)
	}
	defer rows.Close()
	out := map[State]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("count calls: %w", err)
		}
		out[State(s)] = n
	}
	return out, rows.Err()
}

// Change is what a mutation does to one record: an action (a transition
// of the state machine; "" changes no state) and why. Then is a further
// transition made in the same transaction, so that no crash can leave
// the record between the two (a missed call is logged, a call ended while
// pop-ups are paused goes to Review).
type Change struct {
	Action Action
	Detail string
	Then   *Change
}

// steps lists ch and the changes after it that make a transition.
func (ch Change) steps() []Change {
	var out []Change
	for c := &ch; c != nil; c = c.Then {
		if c.Action != "" {
			out = append(out, *c)
		}
	}
	return out
}

// Insert stores r as a new record (CallID must be unique) and returns it
// as stored; an existing record with that CallID is returned unchanged
// with created false.
func (l *Ledger) Insert(ctx context.Context, r Record, why string) (out Record, created bool, err error) {
	err = l.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, created, err = l.insertTx(ctx, tx, r, why)
		return err
	})
	return out, created, err
}

func (l *Ledger) insertTx(ctx context.Context, tx *sql.Tx, r Record, why string) (Record, bool, error) {
	if r.CallID == "" || r.Kind == "" || r.State == "" {
		return Record{}, false, fmt.Errorf("record call: %w: call id, kind and state are required", ErrInvalid)
	}
	now := l.now()
	r.CreatedAt, r.UpdatedAt, r.ChangedAt = now, now, now
	placeholders := strings.Repeat("?, ", 33) + "?"
	row := tx.QueryRowContext(ctx, `INSERT INTO calls (`+strings.TrimPrefix(columns, "id, ")+`)
VALUES (`+placeholders+`) ON CONFLICT (call_id) DO NOTHING RETURNING `+columns, l.args(r)...)
	out, err := scanRecord(row)
	if errors.Is(err, sql.ErrNoRows) {
		existing, err := scanRecord(tx.QueryRowContext(ctx, "SELECT "+columns+" FROM calls WHERE call_id = ?", r.CallID))
		if err != nil {
			return Record{}, false, fmt.Errorf("record call: %w", err)
		}
		return existing, false, nil
	}
	if err != nil {
		return Record{}, false, fmt.Errorf("record call: %w", err)
	}
	if err := history(ctx, tx, out.ID, now, "record", "", out.State, why); err != nil {
		return Record{}, false, err
	}
	return out, true, nil
}

// errNoChange makes mutate keep the record as it is without an error.
var errNoChange = errors.New("no change")

// Mutate changes the record with the given id in one transaction: fn
// edits it and says which transition it makes. A transition the state
// machine does not allow is a *TransitionError; nothing changes.
func (l *Ledger) Mutate(ctx context.Context, id int64, fn func(r *Record) (Change, error)) (Record, error) {
	return l.mutate(ctx, "id = ?", id, fn)
}

// MutateCall is Mutate by call id.
func (l *Ledger) MutateCall(ctx context.Context, callID string, fn func(r *Record) (Change, error)) (Record, error) {
	return l.mutate(ctx, "call_id = ?", callID, fn)
}

// Upsert is MutateCall, or, when no record has the call id, Insert of
// fresh() — in one transaction, so a call's first event costs one commit.
func (l *Ledger) Upsert(ctx context.Context, callID string, fresh func() Record, why string, fn func(r *Record) (Change, error)) (out Record, err error) {
	err = l.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = l.mutateTx(ctx, tx, "call_id = ?", callID, fn)
		if errors.Is(err, ErrNotFound) {
			out, _, err = l.insertTx(ctx, tx, fresh(), why)
		}
		return err
	})
	return out, err
}

func (l *Ledger) mutate(ctx context.Context, where string, key any, fn func(r *Record) (Change, error)) (out Record, err error) {
	err = l.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = l.mutateTx(ctx, tx, where, key, fn)
		return err
	})
	return out, err
}

func (l *Ledger) mutateTx(ctx context.Context, tx *sql.Tx, where string, key any, fn func(r *Record) (Change, error)) (Record, error) {
	r, err := scanRecord(tx.QueryRowContext(ctx, "SELECT "+columns+" FROM calls WHERE "+where, key))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, fmt.Errorf("%w: %v", ErrNotFound, key)
	}
	if err != nil {
		return Record{}, fmt.Errorf("read call: %w", err)
	}
	before := r
	ch, err := fn(&r)
	if errors.Is(err, errNoChange) {
		return before, nil
	}
	if err != nil {
		return Record{}, err
	}
	r.ID, r.CallID, r.CreatedAt = before.ID, before.CallID, before.CreatedAt
	now := l.now()
	steps := ch.steps()
	froms := make([]State, len(steps))
	from, prev := before.State, before.PrevState
	for i, st := range steps {
		to, ok := Next(from, prev, st.Action)
		if !ok {
			return Record{}, &TransitionError{ID: before.ID, From: from, Action: st.Action}
		}
		switch st.Action {
		case ActDiscard:
			r.PrevState, r.DiscardedAt = from, now
		case ActUndo:
			r.PrevState, r.DiscardedAt = "", time.Time{}
		}
		froms[i], from, prev = from, to, r.PrevState
	}
	if len(steps) > 0 {
		r.State = from
		if from != before.State {
			r.ChangedAt = now
		}
	}
	r.UpdatedAt = now
	a := l.args(r)
	if _, err := tx.ExecContext(ctx, `UPDATE calls SET call_id = ?, kind = ?, state = ?, prev_state = ?,
  source = ?, source_call_id = ?, direction = ?, number = ?, e164 = ?, caller_name = ?, started_at = ?,
  answered_at = ?, ended_at = ?, duration_s = ?, duration_known = ?, contact_id = ?, contact_name = ?,
  not_client = ?, matter_id = ?, matter_reason = ?, decided = ?, billable = ?, note = ?, text = ?,
  file_path = ?, reason = ?, restored = ?, outbox_id = ?, event_id = ?, communication_id = ?,
  created_at = ?, updated_at = ?, changed_at = ?, discarded_at = ? WHERE id = ?`, append(a, r.ID)...); err != nil {
		return Record{}, fmt.Errorf("update call %d: %w", r.ID, err)
	}
	for i, st := range steps {
		to := r.State
		if i+1 < len(froms) {
			to = froms[i+1]
		}
		if err := history(ctx, tx, r.ID, now, string(st.Action), froms[i], to, st.Detail); err != nil {
			return Record{}, err
		}
	}
	return r, nil
}

func history(ctx context.Context, tx *sql.Tx, row int64, at time.Time, action string, from, to State, detail string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO call_history (call_row, at, action, from_state, to_state, detail)
VALUES (?, ?, ?, ?, ?, ?)`, row, sqlitefile.MS(at), action, string(from), string(to), detail); err != nil {
		return fmt.Errorf("record call history: %w", err)
	}
	return nil
}

// Step is one entry of a record's history.
type Step struct {
	At     time.Time
	Action string
	From   State
	To     State
	Detail string
}

// History returns a record's changes of state, oldest first.
func (l *Ledger) History(ctx context.Context, id int64) ([]Step, error) {
	rows, err := l.rdb.QueryContext(ctx, "SELECT at, action, from_state, to_state, detail FROM call_history WHERE call_row = ? ORDER BY id", id)
	if err != nil {
		return nil, fmt.Errorf("read call history: %w", err)
	}
	defer rows.Close()
	var out []Step
	for rows.Next() {
		var s Step
		var at int64
		var from, to string
		if err := rows.Scan(&at, &s.Action, &from, &to, &s.Detail); err != nil {
			return nil, fmt.Errorf("read call history: %w", err)
		}
		s.At, s.From, s.To = sqlitefile.Time(at), State(from), State(to)
		out = append(out, s)
	}
	return out, rows.Err()
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
