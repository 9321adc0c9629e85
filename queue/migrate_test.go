package queue

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// writeV1 creates an outbox file exactly as version 1 of the program left
// it: schema 1 only, two items (one attempted and pending, one delivered)
// and their audit trail.
func writeV1(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		schemaSQL,
		"PRAGMA user_version = 1",
		`INSERT INTO items (id, event_id, kind, state, number, name, contact_id, matter_id, direction,
		   started_at, duration_s, billable, note, source, attempts, next_attempt_at, last_error,
		   communication_id, created_at, updated_at)
		 VALUES (1, 'cd-old-1', 'call', 'pending', '+15551230000', 'Old Caller', 11, 7, 'in',
		   1779999000000, 312, 1, 'kept', 'sim', 2, 1780000000000, 'connection reset',
		   555, 1779999000000, 1779999000000)`,
		`INSERT INTO items (id, event_id, kind, state, number, started_at, next_attempt_at, attempts,
		   communication_id, activity_id, created_at, updated_at, delivered_at)
		 VALUES (2, 'cd-old-2', 'missed', 'delivered', '+15551230001', 1779999000000, 1779999000000, 1,
		   556, 0, 1779999000000, 1779999000000, 1779999500000)`,
		`INSERT INTO events (item_id, at, what, owner, attempt, detail) VALUES
		   (1, 1779999000000, 'enqueue', '', 0, ''), (1, 1779999000001, 'claim', 'a', 1, ''),
		   (1, 1779999000002, 'step', 'a', 1, 'communication_id=555'), (2, 1779999000003, 'ack', 'a', 1, '')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("build v1 outbox: %v", err)
		}
	}
}

func TestMigrateV1ToV2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	writeV1(t, path)
	o := openAt(t, path, nil)

	var version int
	if err := o.db.QueryRowContext(t.Context(), "PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != len(migrations) {
		t.Errorf("user_version after upgrade = %d, want %d", version, len(migrations))
	}

	old := mustGet(t, o, 1)
	want := Item{
		ID: 1, EventID: "cd-old-1", Kind: KindCall, State: StatePending, Number: "+15551230000",
		Name: "Old Caller", ContactID: 11, MatterID: 7, Direction: "in", DurationS: 312,
		Billable: true, Note: "kept", Source: "sim", Attempts: 2, LastError: "connection reset",
		CommunicationID: 555, Uncertain: true,
	}
	got := old
	got.StartedAt, got.NextAttemptAt, got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if got != want {
		t.Errorf("Get(1) after upgrade = %+v, want %+v", got, want)
	}
	if !old.StartedAt.Equal(time.UnixMilli(1779999000000)) {
		t.Errorf("Get(1).StartedAt = %v, want %v", old.StartedAt, time.UnixMilli(1779999000000))
	}
	if done := mustGet(t, o, 2); done.State != StateDelivered || done.Uncertain || done.Kind != KindMissed {
		t.Errorf("Get(2) after upgrade = %+v, want a delivered, certain missed call", done)
	}
	if got, want := eventsOf(t, o, 1), []string{"enqueue", "claim", "step"}; !equalStrings(got, want) {
		t.Errorf("events of item 1 after upgrade = %v, want %v", got, want)
	}

	// The upgraded file takes version 2 work: an edit, new kinds, progress.
	if err := o.Update(t.Context(), 1, func(it *Item) { it.MatterID = 8 }); err != nil {
		t.Fatalf("Update() on an upgraded file = %v, want nil", err)
	}
	if got, want := eventsOf(t, o, 1), []string{"enqueue", "claim", "step", "update"}; !equalStrings(got, want) {
		t.Errorf("events of item 1 after Update = %v, want %v", got, want)
	}
	sms := call(3)
	sms.Kind, sms.Text = KindSMS, "running late"
	if got := mustEnqueue(t, o, sms); got.Text != "running late" || got.Kind != KindSMS {
		t.Errorf("Enqueue(sms) on an upgraded file = %+v", got)
	}

	// Opening again does not migrate again.
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	o2 := openAt(t, path, nil)
	if it := mustGet(t, o2, 1); it.MatterID != 8 {
		t.Errorf("reopened Get(1).MatterID = %d, want 8", it.MatterID)
	}
}

func TestMigrateFailureLeavesV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	writeV1(t, path)
	// A column that version 2 adds already exists: the migration fails and
	// must roll back entirely.
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("ALTER TABLE items ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(t.Context(), path, nil); err == nil {
		t.Fatal("Open(conflicting v1 file) = nil, want a migration error")
	}
	db, err = sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	var n int
	err = db.QueryRow("SELECT count(*) FROM items WHERE text = ''").Scan(&n)
	if version != 1 || err == nil {
		t.Errorf("after a failed migration: user_version %d, text column err %v; want 1 and no column", version, err)
	}
	if errors.Is(err, sql.ErrNoRows) {
		t.Errorf("unexpected %v", err)
	}
}

// writeV2 creates an outbox file as version 2 of the program left it:
// schemas 1 and 2, one SMS item with progress, and its audit trail.
func writeV2(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		schemaSQL,
		schemaV2SQL,
		"PRAGMA user_version = 2",
		`INSERT INTO items (id, event_id, kind, state, number, contact_id, direction, started_at,
		   next_attempt_at, attempts, text, uncertain, communication_id, created_at, updated_at)
		 VALUES (1, 'cd-v2-1', 'sms', 'pending', '+15551230002', 12, 'in', 1779999000000,
		   1780000000000, 1, 'running late', 1, 557, 1779999000000, 1779999000000)`,
		`INSERT INTO events (item_id, at, what, owner, attempt, detail) VALUES
		   (1, 1779999000000, 'enqueue', '', 0, ''), (1, 1779999000001, 'update', '', 0, 'note')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("build v2 outbox: %v", err)
		}
	}
}

func TestMigrateV2ToV3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	writeV2(t, path)
	o := openAt(t, path, nil)

	var version int
	if err := o.db.QueryRowContext(t.Context(), "PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != 3 || len(migrations) != 3 {
		t.Errorf("user_version after upgrade = %d (known %d), want 3", version, len(migrations))
	}
	old := mustGet(t, o, 1)
	if old.Kind != KindSMS || old.Text != "running late" || !old.Uncertain || old.CommunicationID != 557 ||
		old.ContactID != 12 || old.RefEventID != "" {
		t.Errorf("Get(1) after upgrade = %+v, want the v2 SMS unchanged with no ref event id", old)
	}
	if got, want := eventsOf(t, o, 1), []string{"enqueue", "update"}; !equalStrings(got, want) {
		t.Errorf("events of item 1 after upgrade = %v, want %v", got, want)
	}

	// The upgraded file takes a note referring to the old item.
	note := mustEnqueue(t, o, Item{Kind: KindNote, Text: "call back", RefEventID: "cd-v2-1", ContactID: 12})
	if note.RefEventID != "cd-v2-1" {
		t.Errorf("Enqueue(note) on an upgraded file = %+v, want ref cd-v2-1", note)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	o2 := openAt(t, path, nil)
	if it := mustGet(t, o2, note.ID); it.RefEventID != "cd-v2-1" || it.Kind != KindNote {
		t.Errorf("reopened Get(note) = %+v, want the note kept", it)
	}
}

func TestMigrateV3FailureLeavesV2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	writeV2(t, path)
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	// The column version 3 adds already exists: the migration fails and
	// rolls back.
	if _, err := db.Exec("ALTER TABLE items ADD COLUMN ref_event_id INTEGER NOT NULL DEFAULT 0"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(t.Context(), path, nil); err == nil {
		t.Fatal("Open(conflicting v2 file) = nil, want a migration error")
	}
	db, err = sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != 2 {
		t.Errorf("user_version after a failed migration = %d, want 2", version)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
