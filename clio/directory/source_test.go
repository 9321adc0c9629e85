package directory

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// fakeSource is a hand-written Source: it pages through its slices two
// records at a time, keeping those updated at or after since, and records
// the since of every call.
type fakeSource struct {
	contacts []clio.Contact
	matters  []clio.Matter
	sinces   []time.Time
}

func (f *fakeSource) EachContact(ctx context.Context, since time.Time, fn func([]clio.Contact) error) error {
	f.sinces = append(f.sinces, since)
	return eachPage(f.contacts, func(c clio.Contact) bool { return !c.UpdatedAt.Before(since) }, fn)
}

func (f *fakeSource) EachMatter(ctx context.Context, since time.Time, fn func([]clio.Matter) error) error {
	return eachPage(f.matters, func(m clio.Matter) bool { return !m.UpdatedAt.Before(since) }, fn)
}

func eachPage[T any](items []T, keep func(T) bool, fn func([]T) error) error {
	var page []T
	for _, it := range items {
		if !keep(it) {
			continue
		}
		page = append(page, it)
		if len(page) == 2 {
			if err := fn(page); err != nil {
				return err
			}
			page = nil
		}
	}
	if len(page) > 0 {
		return fn(page)
	}
	return nil
}

var t0 = time.Now().UTC().Add(-30 * 24 * time.Hour).Truncate(time.Second)

func contact(id int64, name string, updated time.Time, numbers ...string) clio.Contact {
	c := clio.Contact{ID: id, Name: name, Type: clio.ContactPerson, UpdatedAt: updated}
	for _, n := range numbers {
		c.PhoneNumbers = append(c.PhoneNumbers, clio.PhoneNumber{Number: n, Name: "Work"})
	}
	return c
}

func matter(id, client int64, status, lastActivity string) clio.Matter {
	return clio.Matter{
		ID: id, DisplayNumber: "M-" + string(rune('0'+id%10)), Description: "Matter",
		Status: status, Client: &clio.Ref{ID: client}, LastActivityDate: lastActivity,
		ResponsibleAttorney: &clio.Ref{ID: 1, Name: "Ann Attorney"}, PracticeArea: &clio.Ref{ID: 2, Name: "Family"},
		UpdatedAt: t0,
	}
}

// firmSource is the fixture the lookup tests run against (region US,
// firm number +1 212 555 0100).
func firmSource() *fakeSource {
	return &fakeSource{
		contacts: []clio.Contact{
			contact(1, "Alice Active", t0, "(212) 555-0123"),
			contact(2, "Bob Shared", t0.Add(time.Hour), "212.555.0123 (Bob's desk)"),
			contact(3, "Carol London", t0, "+44 (0)20 7946 0958"),
			contact(4, "Dan Past", t0, "+1 (646) 555-0199 x12"),
			contact(5, "Erin Local", t0, "555-0177"),
			contact(6, "Front Desk", t0, "+1 212 555 0100"),
			contact(7, "George Abroad", t0, "020 7946 0111"),
			contact(8, "Hal Denver", t0, "Mobile: +1 (303) 555-0166"),
			contact(9, "Ivy Pending", t0.Add(2*time.Hour), "212-555-0123"),
		},
		matters: []clio.Matter{
			matter(101, 1, "Open", "2026-10-01"),
			matter(102, 1, "Open", "2026-11-01"),
			matter(103, 1, "Pending", "2026-11-15"),
			matter(104, 1, "Closed", "2026-11-20"),
			matter(105, 3, "Pending", ""),
			matter(106, 3, "Closed", ""),
			matter(107, 4, "Closed", ""),
			matter(108, 9, "pending", ""),
		},
	}
}

var firmOptions = Options{DefaultRegion: "US", FirmNumbers: []string{"(212) 555-0100", "not a number"}}

// openTest opens a directory in a fresh temp dir and closes it at cleanup.
func openTest(t testing.TB, opts Options) (*Directory, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "directory.db")
	d, err := Open(t.Context(), path, opts, nil)
	if err != nil {
		t.Fatalf("Open(%q) = %v", path, err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
	})
	return d, path
}

// syncedFirm opens a directory synced from firmSource.
func syncedFirm(t testing.TB) *Directory {
	t.Helper()
	d, _ := openTest(t, firmOptions)
	if _, err := d.Sync(t.Context(), firmSource(), false); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	return d
}
