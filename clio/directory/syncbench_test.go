package directory

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
)

// BenchmarkInitialSync measures a first sync of the emulator's sample firm
// (2,200 contacts, 1,650 matters) through ClioSource and *clio.Client
// under a rate limit of 6 requests per 2-second window, and reports the
// time taken as a ratio to the rate-limit bound: the least time the limit
// allows for the requests the sync made, (ceil(requests/limit)-1) windows
// from a window's start. The limiter runs in front of the emulator with
// windows aligned to whole seconds, as the whole-second X-RateLimit-Reset
// header then is exact. The client keeps no reserve here, so the bound is
// the full limit's. Relationships are not read (the client cannot list them
// all yet).
func BenchmarkInitialSync(b *testing.B) {
	const (
		limit  = 6
		window = 2 * time.Second
	)
	f := fake.SampleFirm()
	var ratio, took, bound float64
	var requests int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := startEmulator(b, f, fake.Options{})
		lim := newAlignedLimiter(limit, window, *e.handler.Load())
		var handler http.Handler = lim
		e.handler.Store(&handler)
		e.client.SetReserve(0)
		d, err := Open(b.Context(), filepath.Join(b.TempDir(), fmt.Sprintf("directory-%d.db", i)), Options{}, nil)
		if err != nil {
			b.Fatalf("Open() = %v", err)
		}
		// Start at a window's start, so the bound is whole windows.
		time.Sleep(time.Until(time.Unix(0, (time.Now().UnixNano()/int64(window)+1)*int64(window))))
		b.StartTimer()
		start := time.Now()
		st, err := d.SyncWith(b.Context(), NewClioSource(e.client, ClioSourceOptions{}), SyncOptions{})
		elapsed := time.Since(start)
		b.StopTimer()
		if err != nil || st.Contacts != len(f.Contacts) || st.Matters != len(f.Matters) {
			b.Fatalf("SyncWith() = %+v, %v, want the whole firm", st, err)
		}
		perWindow, refused, _, _ := lim.stats()
		requests = 0
		for _, n := range perWindow {
			requests += n
		}
		if refused != 0 {
			b.Errorf("429 answers = %d, want none", refused)
		}
		minimum := time.Duration((requests+limit-1)/limit-1) * window
		took, bound = elapsed.Seconds(), minimum.Seconds()
		ratio = took / bound
		if err := d.Close(); err != nil {
			b.Fatalf("Close() = %v", err)
		}
		b.StartTimer()
	}
	b.ReportMetric(ratio, "x-bound")
	b.ReportMetric(bound, "bound-s")
	b.ReportMetric(took, "sync-s")
	b.ReportMetric(float64(requests), "requests")
	b.ReportMetric(float64(len(f.Contacts))/took, "contacts/s")
	if ratio > 1.1 {
		b.Errorf("initial sync took %.2fx the rate-limit bound (%.1fs for %d requests, bound %.1fs), want <= 1.1",
			ratio, took, requests, bound)
	}
}

// BenchmarkDirectorySize stores 10,000 contacts (25,000 numbers, about
// 5,000 matters and 1,000 relationships) through the sync's own store
// path and reports the database size on disk.
func BenchmarkDirectorySize(b *testing.B) {
	const contacts = 10_000
	var size int64
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		path := filepath.Join(dir, "directory.db")
		d, err := Open(b.Context(), path, Options{}, nil)
		if err != nil {
			b.Fatalf("Open() = %v", err)
		}
		p, mid := 0, int64(1)
		statuses := []string{"Open", "Pending", "Closed", "Open", "Closed"}
		updated := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for start := 0; start < contacts; start += 200 {
			page := make([]clio.Contact, 0, 200)
			var matters []clio.Matter
			var rels []Relationship
			for c := start; c < start+200; c++ {
				id := int64(c + 1)
				ct := clio.Contact{ID: id, Name: fmt.Sprintf("Firstname%d Lastname%d", c, c*7), Type: clio.ContactPerson,
					IsClient: c%3 == 0, UpdatedAt: updated.Add(time.Duration(c) * time.Minute)}
				if c%5 == 0 {
					ct.Company = &clio.Ref{ID: id + 1_000_000, Name: fmt.Sprintf("Company %d LLP", c/5)}
				}
				for range 2 + c%2 {
					ct.PhoneNumbers = append(ct.PhoneNumbers, clio.PhoneNumber{Number: genPhone(p).raw, Name: "Work"})
					p++
				}
				page = append(page, ct)
				if c%2 == 0 {
					matters = append(matters, clio.Matter{ID: mid, DisplayNumber: fmt.Sprintf("%05d-Lastname%d", mid, c*7),
						Description: "Lease dispute and related claims", Status: statuses[c%len(statuses)],
						Client: &clio.Ref{ID: id}, ResponsibleAttorney: &clio.Ref{ID: 1, Name: "Alex Morgan"},
						OriginatingAttorney: &clio.Ref{ID: 2, Name: "Priya Shah"}, PracticeArea: &clio.Ref{ID: 3, Name: "Real Estate"},
						LastActivityDate: "2026-01-01", UpdatedAt: updated})
					mid++
				}
				if c%10 == 5 {
					rels = append(rels, Relationship{ID: id, ContactID: id, MatterID: max(1, mid-3), Description: "Opposing Counsel"})
				}
			}
			if err := d.upsertContacts(b.Context(), page, 1); err != nil {
				b.Fatalf("store contacts: %v", err)
			}
			if err := d.upsertMatters(b.Context(), matters, 1); err != nil {
				b.Fatalf("store matters: %v", err)
			}
			if err := inTx(b.Context(), d.db, func(tx *sql.Tx) error { return storeRelationships(b.Context(), tx, rels, 1) }); err != nil {
				b.Fatalf("store relationships: %v", err)
			}
		}
		if _, err := d.db.ExecContext(b.Context(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			b.Fatalf("checkpoint: %v", err)
		}
		if err := d.Close(); err != nil {
			b.Fatalf("Close() = %v", err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatalf("Stat() = %v", err)
		}
		size = fi.Size()
	}
	b.ReportMetric(float64(size), "bytes/10k-contacts")
}
