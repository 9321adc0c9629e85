package directory

import (
	"context"
	"log/slog"
	"time"
)

// Default Syncer timing.
const (
	DefaultInterval       = 5 * time.Minute
	DefaultReconcileEvery = 24 * time.Hour
)

// Syncer keeps a Directory fresh from a PagedSource: an incremental sync
// every Interval, and a reconcile (deleted or hidden records) once every
// ReconcileEvery. The first sync is full and resumes where an earlier
// process stopped. Set the fields before Run; they are not changed after.
type Syncer struct {
	Dir            *Directory
	Source         PagedSource
	Interval       time.Duration // DefaultInterval when 0
	ReconcileEvery time.Duration // DefaultReconcileEvery when 0
	// Progress, if set, receives every page's progress (see Progress).
	Progress func(Progress)
	// OnDone, if set, is called after every sync Run starts, with its
	// stats and error.
	OnDone func(SyncStats, error)
	Logger *slog.Logger // nil discards
}

// Run syncs at once and then every Interval until ctx ends, returning
// ctx's error. A failed sync is logged and retried at the next tick,
// resuming from its checkpoint.
func (s *Syncer) Run(ctx context.Context) error {
	interval := s.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		st, err := s.tick(ctx)
		if err != nil && ctx.Err() == nil {
			s.logger().Warn("directory sync failed", "err", err)
		}
		if s.OnDone != nil && ctx.Err() == nil {
			s.OnDone(st, err)
		}
		t.Reset(interval)
	}
}

// tick runs one scheduled sync: a reconcile when one is due, else an
// incremental sync.
func (s *Syncer) tick(ctx context.Context) (SyncStats, error) {
	every := s.ReconcileEvery
	if every <= 0 {
		every = DefaultReconcileEvery
	}
	last, err := s.Dir.LastReconcile(ctx)
	if err != nil {
		return SyncStats{}, err
	}
	reconcile := !last.IsZero() && time.Since(last) >= every
	if last.IsZero() {
		// Synced only by an older version or by Sync: reconcile once, if
		// there is anything to reconcile.
		synced, err := s.Dir.LastSync(ctx)
		if err != nil {
			return SyncStats{}, err
		}
		reconcile = !synced.IsZero()
	}
	return s.Dir.SyncWith(ctx, s.Source, SyncOptions{Reconcile: reconcile, Progress: s.Progress})
}

// SyncNow runs one sync at once (for `calldocket sync [--full]` or the
// tray): full reads everything and deletes what Clio no longer returns.
// It waits for a sync in progress to finish first.
func (s *Syncer) SyncNow(ctx context.Context, full bool) (SyncStats, error) {
	return s.Dir.SyncWith(ctx, s.Source, SyncOptions{Full: full, Progress: s.Progress})
}

func (s *Syncer) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}
