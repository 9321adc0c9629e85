package directory

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// Source pages through the user's Clio contacts and matters updated at or
// after since (all of them for the zero time). The app adapts *clio.Client.
type Source interface {
	EachContact(ctx context.Context, since time.Time, fn func([]clio.Contact) error) error
	EachMatter(ctx context.Context, since time.Time, fn func([]clio.Matter) error) error
}

// SyncStats describes one Sync or SyncWith.
type SyncStats struct {
	Contacts      int           // contacts stored (ids seen, for a reconcile) by this call
	Matters       int           // matters stored (ids seen, for a reconcile) by this call
	Relationships int           // relationships stored by this call
	Deleted       int           // contacts and matters deleted as gone from the source
	Duration      time.Duration // wall time
	Since         time.Time     // the updated-since asked of the source; zero for a full sync
	Full          bool          // everything was read (full sync or reconcile)
	Reconcile     bool          // ids only were read
	Resumed       bool          // the run continued one cut short earlier
}

// syncOverlap is subtracted from the last sync's start time so that a
// record Clio stamped while our clock was slightly ahead is not missed.
// Upserts are idempotent, so the overlap only costs a few repeats.
const syncOverlap = time.Minute

// Sync brings the directory up to date from src. A full sync (full, or no
// complete sync yet) reads everything and then deletes contacts and
// matters the source no longer has; otherwise only records updated since
// the last complete sync's start time (less a minute) are read. Each page
// is stored in its own transaction and a contact's phones are replaced.
// Lookups keep working while a sync runs.
//
// A src that is also a PagedSource is synced with SyncWith instead, which
// checkpoints and resumes.
func (d *Directory) Sync(ctx context.Context, src Source, full bool) (stats SyncStats, err error) {
	if ps, ok := src.(PagedSource); ok {
		return d.SyncWith(ctx, ps, SyncOptions{Full: full})
	}
	d.syncMu.Lock()
	defer d.syncMu.Unlock()
	start := time.Now()
	defer func() { stats.Duration = time.Since(start) }()

	last, ok, err := getState(ctx, d.db, keyLastSync)
	if err != nil {
		return SyncStats{}, fmt.Errorf("sync directory: %w", err)
	}
	genText, _, err := getState(ctx, d.db, keyGen)
	if err != nil {
		return SyncStats{}, fmt.Errorf("sync directory: %w", err)
	}
	gen, _ := strconv.ParseInt(genText, 10, 64) // absent or damaged: generation 0

	if !full && ok {
		t, err := time.Parse(time.RFC3339Nano, last)
		if err != nil {
			full = true
		} else {
			stats.Since = t.Add(-syncOverlap)
		}
	} else {
		full = true
	}
	if full {
		gen++
	}
	stats.Full = full

	err = src.EachContact(ctx, stats.Since, func(page []clio.Contact) error {
		if err := d.upsertContacts(ctx, page, gen); err != nil {
			return err
		}
		stats.Contacts += len(page)
		return nil
	})
	if err != nil {
		return stats, fmt.Errorf("sync contacts: %w", err)
	}
	err = src.EachMatter(ctx, stats.Since, func(page []clio.Matter) error {
		if err := d.upsertMatters(ctx, page, gen); err != nil {
			return err
		}
		stats.Matters += len(page)
		return nil
	})
	if err != nil {
		return stats, fmt.Errorf("sync matters: %w", err)
	}
	if err := d.finishSync(ctx, start, gen, full); err != nil {
		return stats, fmt.Errorf("sync directory: %w", err)
	}
	d.log.Info("directory synced", "full", full, "contacts", stats.Contacts, "matters", stats.Matters,
		"took", time.Since(start).Round(time.Millisecond))
	return stats, nil
}
