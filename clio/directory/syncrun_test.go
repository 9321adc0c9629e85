package directory

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
)

func countRows(t *testing.T, d *Directory, table string) int {
	t.Helper()
	var n int
	if err := d.db.QueryRowContext(t.Context(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestSyncWithResumesAfterCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "directory.db")
	src := newPagedFake(4, bigFirm(31)) // 40 contacts: 10 pages
	ctx, cancel := context.WithCancel(t.Context())
	src.afterHit = func(call int) {
		if call == 3 {
			cancel() // the process dies after the third page arrived
		}
	}
	d, err := Open(t.Context(), path, firmOptions, nil)
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	var first []Progress
	_, err = d.SyncWith(ctx, src, SyncOptions{Progress: func(p Progress) { first = append(first, p) }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("SyncWith(cancelled) = %v, want %v", err, context.Canceled)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if got := first[len(first)-1]; got.Phase != PhaseContacts || got.Done != 12 {
		t.Errorf("last progress before crash = %+v, want contacts 12 done", got)
	}

	src.afterHit = nil
	d, err = Open(t.Context(), path, firmOptions, nil)
	if err != nil {
		t.Fatalf("Open(again) = %v", err)
	}
	defer d.Close()
	var second []Progress
	st, err := d.SyncWith(t.Context(), src, SyncOptions{Progress: func(p Progress) { second = append(second, p) }})
	if err != nil {
		t.Fatalf("SyncWith(resume) = %v", err)
	}
	if !st.Resumed || !st.Full || st.Contacts != 28 {
		t.Errorf("SyncWith(resume) = %+v, want a resumed full run storing the 28 remaining contacts", st)
	}
	if got := second[0]; got.Phase != PhaseContacts || got.Done != 12 {
		t.Errorf("first progress after restart = %+v, want contacts 12 done", got)
	}
	for id, n := range src.served {
		if n != 1 {
			t.Errorf("contact %d served %d times, want once", id, n)
		}
	}
	if len(src.served) != 40 || countRows(t, d, "contacts") != 40 {
		t.Errorf("served %d contacts, stored %d, want 40 and 40", len(src.served), countRows(t, d, "contacts"))
	}
	if ids := lookupIDs(t, d, "+1 415 555 1030"); !slices.Equal(ids, []int64{1031}) {
		t.Errorf("Lookup() = %v, want [1031]", ids)
	}
}

func TestSyncWithProgressAndEstimate(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := newPagedFake(4, firmSource())
	src.rels = []Relationship{{ID: 1, ContactID: 8, MatterID: 101, Description: "Witness"}}
	var got []Progress
	progress := func(p Progress) { got = append(got, p) }
	if _, err := d.SyncWith(t.Context(), src, SyncOptions{Progress: progress}); err != nil {
		t.Fatalf("SyncWith() = %v", err)
	}
	want := []Progress{
		{PhaseContacts, 0, 0, true}, {PhaseContacts, 4, 0, true}, {PhaseContacts, 8, 0, true}, {PhaseContacts, 9, 0, true},
		{PhaseMatters, 0, 0, true}, {PhaseMatters, 4, 0, true}, {PhaseMatters, 8, 0, true},
		{PhaseRelationships, 0, 0, true}, {PhaseRelationships, 1, 0, true},
	}
	if !slices.Equal(got, want) {
		t.Errorf("progress = %v, want %v", got, want)
	}
	got = nil
	if _, err := d.SyncWith(t.Context(), src, SyncOptions{Full: true, Progress: progress}); err != nil {
		t.Fatalf("SyncWith(full) = %v", err)
	}
	if len(got) == 0 || got[3] != (Progress{PhaseContacts, 9, 9, true}) {
		t.Errorf("progress of second full sync = %v, want estimates from the first (contacts 9 / ~9)", got)
	}
	got = nil
	if _, err := d.SyncWith(t.Context(), src, SyncOptions{Progress: progress}); err != nil {
		t.Fatalf("SyncWith(incremental) = %v", err)
	}
	if len(got) == 0 || got[0].Full || got[0].Estimate != 0 {
		t.Errorf("progress of incremental sync = %v, want not full and no estimate", got)
	}
}

func TestSyncWithIncremental(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := newPagedFake(3, firmSource())
	if _, err := d.SyncWith(t.Context(), src, SyncOptions{}); err != nil {
		t.Fatalf("SyncWith(first) = %v", err)
	}
	later := time.Now().Add(time.Hour)
	src.contacts[3] = contact(4, "Dan Past", later, "+1 917 555 0142")
	src.matters[0].Status, src.matters[0].UpdatedAt = "Closed", later
	src.sinces = nil
	st, err := d.SyncWith(t.Context(), src, SyncOptions{})
	if err != nil {
		t.Fatalf("SyncWith(second) = %v", err)
	}
	if st.Full || st.Since.IsZero() || st.Contacts != 1 || st.Matters != 1 {
		t.Errorf("SyncWith(second) = %+v, want incremental with 1 contact and 1 matter", st)
	}
	if len(src.sinces) == 0 || !src.sinces[0].Equal(st.Since) {
		t.Errorf("source since = %v, want %v", src.sinces, st.Since)
	}
	if ids := lookupIDs(t, d, "+1 917 555 0142"); !slices.Equal(ids, []int64{4}) {
		t.Errorf("Lookup(new number) = %v, want [4]", ids)
	}
	if ids := lookupIDs(t, d, "+1 646 555 0199"); len(ids) != 0 {
		t.Errorf("Lookup(old number) = %v, want none", ids)
	}
}

func TestSyncWithReconcileDeletes(t *testing.T) {
	for _, tt := range []struct {
		name string
		src  func(*pagedFake) PagedSource
	}{
		{"ids only", func(f *pagedFake) PagedSource { return f }},
		{"full records", func(f *pagedFake) PagedSource { return pagedOnly{f} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := openTest(t, firmOptions)
			f := newPagedFake(4, firmSource())
			f.rels = []Relationship{{ID: 1, ContactID: 8, MatterID: 101}, {ID: 2, ContactID: 8, MatterID: 102}}
			src := tt.src(f)
			if _, err := d.SyncWith(t.Context(), src, SyncOptions{}); err != nil {
				t.Fatalf("SyncWith() = %v", err)
			}
			if err := d.RecordLogged(t.Context(), "+12125550123", 1, 101, time.Now()); err != nil {
				t.Fatalf("RecordLogged() = %v", err)
			}
			f.contacts = slices.Delete(f.contacts, 0, 1) // Alice deleted or hidden in Clio
			f.matters = slices.Delete(f.matters, 1, 2)   // matter 102 deleted
			f.rels = f.rels[:1]
			st, err := d.SyncWith(t.Context(), src, SyncOptions{Reconcile: true})
			if err != nil {
				t.Fatalf("SyncWith(reconcile) = %v", err)
			}
			if st.Deleted != 2 || !st.Full {
				t.Errorf("SyncWith(reconcile) = %+v, want 2 deleted", st)
			}
			if _, isIDs := src.(IDSource); st.Reconcile != isIDs {
				t.Errorf("SyncWith(reconcile).Reconcile = %v, want %v", st.Reconcile, isIDs)
			}
			if ids := lookupIDs(t, d, "(212) 555-0123"); slices.Contains(ids, 1) {
				t.Errorf("Lookup() = %v, want the deleted Alice gone", ids)
			}
			if n := countRows(t, d, "matters"); n != 7 {
				t.Errorf("matters = %d, want 7", n)
			}
			if n := countRows(t, d, "relationships"); n != 1 {
				t.Errorf("relationships = %d, want 1", n)
			}
			if n := countRows(t, d, "logged_numbers"); n != 1 {
				t.Errorf("logged_numbers = %d, want the user's history kept", n)
			}
			last, err := d.LastReconcile(t.Context())
			if err != nil || time.Since(last) > time.Minute {
				t.Errorf("LastReconcile() = %v, %v, want just now", last, err)
			}
		})
	}
}

func TestSyncWithRateLimitBackoff(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := newPagedFake(4, firmSource())
	limited := 0
	src.hook = func(call int) error {
		if call == 2 || call == 3 {
			limited++
			if call == 2 {
				return fmt.Errorf("list contacts: %w", &clio.RateLimitError{RetryAfter: 30 * time.Millisecond})
			}
			return &clio.RateLimitError{Reset: time.Now().Add(30 * time.Millisecond)}
		}
		return nil
	}
	start := time.Now()
	st, err := d.SyncWith(t.Context(), src, SyncOptions{})
	if err != nil {
		t.Fatalf("SyncWith() = %v, want the sync to wait and continue", err)
	}
	if limited != 2 || st.Contacts != 9 || st.Matters != 8 {
		t.Errorf("SyncWith() = %+v after %d rate limits, want all 9 contacts and 8 matters", st, limited)
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("SyncWith() took %v, want it to wait out the rate limits", took)
	}
	for id, n := range src.served {
		if n != 1 {
			t.Errorf("contact %d served %d times, want once", id, n)
		}
	}
}

func TestSyncWithErrorResumesNextTime(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := newPagedFake(4, firmSource())
	src.hook = func(call int) error {
		if call == 4 { // first matters page
			return errSource
		}
		return nil
	}
	if _, err := d.SyncWith(t.Context(), src, SyncOptions{}); !errors.Is(err, errSource) {
		t.Fatalf("SyncWith() = %v, want %v", err, errSource)
	}
	src.hook = nil
	st, err := d.SyncWith(t.Context(), src, SyncOptions{})
	if err != nil || !st.Resumed || st.Contacts != 0 || st.Matters != 8 {
		t.Errorf("SyncWith(again) = %+v, %v, want the run resumed at matters", st, err)
	}
	// A full sync asked for while an incremental run is checkpointed starts over.
	if _, err := d.SyncWith(t.Context(), src, SyncOptions{}); err != nil {
		t.Fatalf("SyncWith(incremental) = %v", err)
	}
	st, err = d.SyncWith(t.Context(), src, SyncOptions{Full: true})
	if err != nil || st.Resumed || st.Contacts != 9 {
		t.Errorf("SyncWith(full) = %+v, %v, want a fresh full run", st, err)
	}
}

func TestSyncWithRelationshipsNotSupported(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := newPagedFake(4, firmSource())
	src.noRels = true
	st, err := d.SyncWith(t.Context(), src, SyncOptions{})
	if err != nil || st.Contacts != 9 || st.Relationships != 0 {
		t.Errorf("SyncWith() = %+v, %v, want contacts and matters without relationships", st, err)
	}
}

func TestSyncDelegatesToPaged(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := &pagedSourceAndSource{pagedFake: newPagedFake(4, firmSource())}
	st, err := d.Sync(t.Context(), src, false)
	if err != nil || st.Contacts != 9 || countRows(t, d, "sync_state") == 0 {
		t.Errorf("Sync(paged source) = %+v, %v, want a paged sync", st, err)
	}
	if src.each {
		t.Errorf("Sync(paged source) used EachContact, want ContactsPage")
	}
}

type pagedSourceAndSource struct {
	*pagedFake
	each bool
}

func (s *pagedSourceAndSource) EachContact(context.Context, time.Time, func([]clio.Contact) error) error {
	s.each = true
	return nil
}

func (s *pagedSourceAndSource) EachMatter(context.Context, time.Time, func([]clio.Matter) error) error {
	s.each = true
	return nil
}
