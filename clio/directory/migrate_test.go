package directory

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// TestMigrateFromV1 opens a directory written by the first version: the
// contacts it holds become searchable and the next sync is full, so that
// matters gain their attorney ids.
func TestMigrateFromV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "directory.db")
	if err := sqlitefile.Create(path); err != nil {
		t.Fatalf("sqlitefile.Create() = %v", err)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatalf("sql.Open() = %v", err)
	}
	for _, q := range []string{
		schemaV1,
		"PRAGMA user_version = 1",
		`INSERT INTO contacts (id, name, company) VALUES (1, 'Alice Active', 'Acme')`,
		`INSERT INTO sync_state (key, value) VALUES ('last_sync_start', '2026-01-01T00:00:00Z'), ('sync_gen', '1')`,
	} {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("exec %q: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	d, err := Open(t.Context(), path, firmOptions, nil)
	if err != nil {
		t.Fatalf("Open(v1 file) = %v", err)
	}
	defer d.Close()
	got, err := d.Search(t.Context(), "acme", 5)
	if err != nil || len(got) != 1 || got[0].ContactID != 1 {
		t.Errorf("Search(%q) after migration = %+v, %v, want contact 1", "acme", got, err)
	}
	if last, err := d.LastSync(t.Context()); err != nil || !last.IsZero() {
		t.Errorf("LastSync() after migration = %v, %v, want zero (next sync full)", last, err)
	}
	st, err := d.SyncWith(t.Context(), newPagedFake(4, firmSource()), SyncOptions{})
	if err != nil || !st.Full || st.Deleted != 0 {
		t.Errorf("SyncWith() after migration = %+v, %v, want a full sync", st, err)
	}
}

// TestOpenConcurrently: the tray app and a command opening a new directory
// file at the same moment both succeed (one migrates, the other waits).
func TestOpenConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "directory.db")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			d, err := Open(t.Context(), path, Options{}, nil)
			if err == nil {
				err = d.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent Open: %v", err)
		}
	}
}
