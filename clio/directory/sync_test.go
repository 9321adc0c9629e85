package directory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
)

func lookupIDs(t *testing.T, d *Directory, number string) []int64 {
	t.Helper()
	res, err := d.Lookup(t.Context(), number)
	if err != nil {
		t.Fatalf("Lookup(%q) = %v", number, err)
	}
	var ids []int64
	for _, m := range res.Matches {
		ids = append(ids, m.ContactID)
	}
	return ids
}

func TestSyncIncremental(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := firmSource()
	before := time.Now()
	st, err := d.Sync(t.Context(), src, false)
	if err != nil {
		t.Fatalf("Sync(first) = %v", err)
	}
	after := time.Now()
	if !st.Since.IsZero() || st.Contacts != 9 || st.Matters != 8 {
		t.Errorf("Sync(first) = %+v, want since zero, 9 contacts, 8 matters", st)
	}

	// Dan changes his number; Alice's matter 101 closes.
	later := after.Add(time.Hour)
	src.contacts[3] = contact(4, "Dan Past", later, "+1 917 555 0142")
	src.matters[0].Status, src.matters[0].UpdatedAt = "Closed", later
	st, err = d.Sync(t.Context(), src, false)
	if err != nil {
		t.Fatalf("Sync(second) = %v", err)
	}
	lo, hi := before.Add(-syncOverlap), after.Add(-syncOverlap)
	if st.Since.Before(lo) || st.Since.After(hi) {
		t.Errorf("Sync(second).Since = %v, want the first sync's start less %v (%v…%v)", st.Since, syncOverlap, lo, hi)
	}
	if got := src.sinces[1]; !got.Equal(st.Since) {
		t.Errorf("source since = %v, want %v", got, st.Since)
	}
	if st.Contacts != 1 || st.Matters != 1 {
		t.Errorf("Sync(second) = %+v, want 1 contact and 1 matter", st)
	}
	if ids := lookupIDs(t, d, "+1 646 555 0199"); len(ids) != 0 {
		t.Errorf("Lookup(old number) = %v, want no match after the phones were replaced", ids)
	}
	if ids := lookupIDs(t, d, "+1 917 555 0142"); len(ids) != 1 || ids[0] != 4 {
		t.Errorf("Lookup(new number) = %v, want [4]", ids)
	}
	res, err := d.Lookup(t.Context(), "(212) 555-0123")
	if err != nil || len(res.Matches) == 0 || len(res.Matches[0].Matters) != 2 {
		t.Errorf("Lookup(Alice) = %+v, %v, want 2 open/pending matters after 101 closed", res.Matches, err)
	}
}

func TestSyncFullDeletesStale(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := firmSource()
	if _, err := d.Sync(t.Context(), src, false); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	src.contacts = src.contacts[1:] // Alice deleted in Clio
	src.matters = src.matters[4:]   // and her matters
	// An incremental sync cannot see deletions.
	if _, err := d.Sync(t.Context(), src, false); err != nil {
		t.Fatalf("Sync(incremental) = %v", err)
	}
	st, err := d.Sync(t.Context(), src, true)
	if err != nil {
		t.Fatalf("Sync(full) = %v", err)
	}
	if !st.Since.IsZero() || st.Contacts != 8 {
		t.Errorf("Sync(full) = %+v, want since zero and 8 contacts", st)
	}
	if ids := lookupIDs(t, d, "(212) 555-0123"); len(ids) != 2 || ids[0] == 1 || ids[1] == 1 {
		t.Errorf("Lookup() = %v, want Ivy and Bob without the deleted Alice", ids)
	}
	var n int
	if err := d.db.QueryRowContext(t.Context(), `SELECT count(*) FROM phones WHERE contact_id = 1`).Scan(&n); err != nil || n != 0 {
		t.Errorf("phones of deleted contact = %d, %v, want 0", n, err)
	}
}

type failingSource struct{ fakeSource }

var errSource = errors.New("source down")

func (f *failingSource) EachMatter(context.Context, time.Time, func([]clio.Matter) error) error {
	return errSource
}

func TestSyncErrorKeepsSince(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := &failingSource{*firmSource()}
	if _, err := d.Sync(t.Context(), src, false); !errors.Is(err, errSource) {
		t.Fatalf("Sync() = %v, want %v", err, errSource)
	}
	// Contacts of the failed sync are stored, but the next sync is full again.
	if ids := lookupIDs(t, d, "+1 646 555 0199"); len(ids) != 1 {
		t.Errorf("Lookup() = %v, want the contact stored by the failed sync", ids)
	}
	st, err := d.Sync(t.Context(), firmSource(), false)
	if err != nil || !st.Since.IsZero() {
		t.Errorf("Sync(after failure) = %+v, %v, want a full sync", st, err)
	}
}

func TestSyncCancelled(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := d.Sync(ctx, firmSource(), false); !errors.Is(err, context.Canceled) {
		t.Errorf("Sync(cancelled) = %v, want %v", err, context.Canceled)
	}
}

func TestOpenFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes")
	}
	d, path := openTest(t, firmOptions)
	if _, err := d.Sync(t.Context(), firmSource(), false); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatalf("Stat(%q) = %v", p, err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("mode of %s = %v, want 0600", filepath.Base(p), got)
		}
	}
	fi, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatalf("Stat(dir) = %v", err)
	}
	if got := fi.Mode().Perm(); got != 0o700 {
		t.Errorf("mode of data dir = %v, want 0700", got)
	}
}

func TestOpenPragmasAndSchema(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	var mode string
	var version, fk int
	db := d.db
	if err := db.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v, want wal", mode, err)
	}
	if err := db.QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v, want 1", fk, err)
	}
	if err := db.QueryRowContext(t.Context(), "PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Errorf("user_version = %d, %v, want %d", version, err, len(migrations))
	}
}

func TestOpenReopenAndTooNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "directory.db")
	d, err := Open(t.Context(), path, firmOptions, nil)
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	if _, err := d.Sync(t.Context(), firmSource(), false); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	d, err = Open(t.Context(), path, firmOptions, nil)
	if err != nil {
		t.Fatalf("Open(again) = %v", err)
	}
	if ids := lookupIDs(t, d, "+1 646 555 0199"); len(ids) != 1 {
		t.Errorf("Lookup() after reopen = %v, want one match", ids)
	}
	if _, err := d.db.ExecContext(t.Context(), "PRAGMA user_version = 99"); err != nil {
		t.Fatalf("set user_version: %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if d, err := Open(t.Context(), path, firmOptions, nil); !errors.Is(err, ErrSchemaTooNew) {
		if d != nil {
			d.Close()
		}
		t.Errorf("Open(newer schema) = %v, want %v", err, ErrSchemaTooNew)
	}
}

func TestOpenUnknownRegion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "directory.db")
	if _, err := Open(t.Context(), path, Options{DefaultRegion: "XX"}, nil); !errors.Is(err, ErrUnknownRegion) {
		t.Errorf("Open(region XX) = %v, want %v", err, ErrUnknownRegion)
	}
}

func TestOpenRegionChangeReindexes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "directory.db")
	d, err := Open(t.Context(), path, Options{DefaultRegion: "US"}, nil)
	if err != nil {
		t.Fatalf("Open(US) = %v", err)
	}
	if _, err := d.Sync(t.Context(), firmSource(), false); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	d, err = Open(t.Context(), path, Options{DefaultRegion: "GB"}, nil)
	if err != nil {
		t.Fatalf("Open(GB) = %v", err)
	}
	defer d.Close()
	// George's "020 7946 0111" reads as a London number now.
	res, err := d.Lookup(t.Context(), "+44 20 7946 0111")
	if err != nil || len(res.Matches) != 1 || res.Matches[0].Strength != StrengthExact {
		t.Errorf("Lookup() after region change = %+v, %v, want one exact match", res.Matches, err)
	}
}

func TestLookupDuringSync(t *testing.T) {
	d := syncedFirm(t)
	done := make(chan error, 1)
	go func() {
		_, err := d.Sync(t.Context(), firmSource(), true)
		done <- err
	}()
	for range 50 {
		if _, err := d.Lookup(t.Context(), "(212) 555-0123"); err != nil {
			t.Fatalf("Lookup() during sync = %v", err)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("Sync() = %v", err)
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("'?' is not allowed in Windows file names")
	}
	path := filepath.Join(t.TempDir(), "odd ?#% dir", "directory.db")
	d, err := Open(t.Context(), path, Options{}, nil)
	if err != nil {
		t.Fatalf("Open(%q) = %v", path, err)
	}
	if _, err := d.Sync(t.Context(), firmSource(), false); err != nil {
		t.Errorf("Sync() = %v", err)
	}
	if err := d.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Errorf("Stat(%q) = %v, want the database at exactly that path", path, err)
	}
}

func TestDSN(t *testing.T) {
	got := dsn("/data/a?b#c%d.db")
	want := "file:/data/a%3Fb%23c%25d.db?"
	if len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("dsn(%q) = %q, want prefix %q", "/data/a?b#c%d.db", got, want)
	}
}
