package directory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// More sync_state keys, for paged syncs.
const (
	keyRun           = "run"            // JSON runState of the sync in progress
	keyLastReconcile = "last_reconcile" // RFC 3339 start of the last full sync or reconcile
	keyEstimate      = "estimate_"      // + phase: records the last full read saw
)

// Run modes, weakest first: a run of a stronger mode also does what a
// weaker one asks for.
const (
	modeIncremental = "incremental"
	modeReconcile   = "reconcile"
	modeFull        = "full"
)

var modeRank = map[string]int{modeIncremental: 0, modeReconcile: 1, modeFull: 2}

var phases = []string{PhaseContacts, PhaseMatters, PhaseRelationships}

// runState is the checkpoint of a paged sync, committed with every page.
type runState struct {
	Mode   string         `json:"mode"`
	Gen    int64          `json:"gen"`   // generation stamped on the rows this run stores
	Since  time.Time      `json:"since"` // updated-since of an incremental run
	Start  time.Time      `json:"start"`
	Phase  string         `json:"phase"`
	Cursor string         `json:"cursor"` // next page of Phase; "" = its first page
	Done   map[string]int `json:"done"`
	NoRels bool           `json:"no_rels,omitempty"` // the source cannot list relationships
}

// minBackoff is the wait after a rate-limit answer without a usable
// Retry-After or reset time.
const minBackoff = time.Second

// SyncWith brings the directory up to date from a paged source, storing
// each page together with a checkpoint of the cursor in one transaction:
// a run cut short (crash, quit, cancelled ctx) resumes at the next page the
// next time SyncWith is called, and no page is read twice. Contacts, then
// matters, then relationships are read. An incremental run asks for
// records updated since the last complete sync started (less a minute); a
// full run reads everything and then deletes what the source did not
// return; a reconcile run does the same from ids alone (see SyncOptions).
// A rate-limit answer (*clio.RateLimitError) pauses the run for its
// Retry-After (or until the reset) and the same page is asked for again;
// other errors end the run, which resumes from its checkpoint next time.
// Lookups keep working while a sync runs.
func (d *Directory) SyncWith(ctx context.Context, src PagedSource, opts SyncOptions) (stats SyncStats, err error) {
	d.syncMu.Lock()
	defer d.syncMu.Unlock()
	begin := time.Now()
	defer func() { stats.Duration = time.Since(begin) }()

	run, err := d.startRun(ctx, src, opts)
	if err != nil {
		return stats, fmt.Errorf("sync directory: %w", err)
	}
	stats.Since, stats.Full = run.Since, run.Mode != modeIncremental
	stats.Reconcile, stats.Resumed = run.Mode == modeReconcile, run.Phase != PhaseContacts || run.Cursor != ""

	ids, _ := src.(IDSource)
	for i := phaseIndex(run.Phase); i < len(phases); i++ {
		phase := phases[i]
		if phase != run.Phase {
			run.Phase, run.Cursor = phase, ""
			if err := d.saveRun(ctx, run); err != nil {
				return stats, fmt.Errorf("sync directory: %w", err)
			}
		}
		if phase == PhaseRelationships && run.NoRels {
			continue
		}
		estimate := 0
		if run.Mode != modeIncremental {
			estimate = d.estimate(ctx, phase)
		}
		report := func() {
			if opts.Progress != nil {
				opts.Progress(Progress{Phase: phase, Done: run.Done[phase], Estimate: estimate, Full: run.Mode != modeIncremental})
			}
		}
		report()
		for {
			n, next, err := d.syncPage(ctx, src, ids, run)
			if errors.Is(err, ErrNotSupported) && phase == PhaseRelationships {
				d.log.Info("source cannot list relationships; related-party matters not synced")
				run.NoRels = true
				if err := d.saveRun(ctx, run); err != nil {
					return stats, fmt.Errorf("sync directory: %w", err)
				}
				break
			}
			if err != nil {
				return stats, fmt.Errorf("sync %s: %w", phase, err)
			}
			switch phase {
			case PhaseContacts:
				stats.Contacts += n
			case PhaseMatters:
				stats.Matters += n
			default:
				stats.Relationships += n
			}
			report()
			if next == "" {
				break
			}
		}
	}
	deleted, err := d.finishRun(ctx, run)
	if err != nil {
		return stats, fmt.Errorf("sync directory: %w", err)
	}
	stats.Deleted = deleted
	d.log.Info("directory synced", "mode", run.Mode, "resumed", stats.Resumed, "contacts", stats.Contacts,
		"matters", stats.Matters, "relationships", stats.Relationships, "deleted", deleted,
		"took", time.Since(begin).Round(time.Millisecond))
	return stats, nil
}

func phaseIndex(p string) int {
	for i, q := range phases {
		if q == p {
			return i
		}
	}
	return 0
}

// startRun resumes the checkpointed run when it does at least what opts
// asks, and otherwise starts a new one.
func (d *Directory) startRun(ctx context.Context, src PagedSource, opts SyncOptions) (*runState, error) {
	want := modeIncremental
	switch {
	case opts.Full:
		want = modeFull
	case opts.Reconcile:
		want = modeReconcile
		if _, ok := src.(IDSource); !ok {
			want = modeFull
		}
	}
	last, hasLast, err := getState(ctx, d.db, keyLastSync)
	if err != nil {
		return nil, err
	}
	var since time.Time
	if want == modeIncremental {
		t, err := time.Parse(time.RFC3339Nano, last)
		if !hasLast || err != nil {
			want = modeFull
		} else {
			since = t.Add(-syncOverlap)
		}
	}

	if text, ok, err := getState(ctx, d.db, keyRun); err != nil {
		return nil, err
	} else if ok {
		var run runState
		if err := json.Unmarshal([]byte(text), &run); err != nil {
			d.log.Warn("discarding damaged sync checkpoint", "err", err)
		} else if r, known := modeRank[run.Mode]; known && r >= modeRank[want] {
			if run.Done == nil {
				run.Done = map[string]int{}
			}
			d.log.Info("resuming directory sync", "mode", run.Mode, "phase", run.Phase)
			return &run, nil
		}
	}

	genText, _, err := getState(ctx, d.db, keyGen)
	if err != nil {
		return nil, err
	}
	gen, _ := strconv.ParseInt(genText, 10, 64) // absent or damaged: generation 0
	run := &runState{Mode: want, Gen: gen, Since: since, Start: time.Now().UTC(), Phase: PhaseContacts, Done: map[string]int{}}
	if want != modeIncremental {
		run.Gen = gen + 1
	}
	return run, d.saveRun(ctx, run)
}

func (d *Directory) saveRun(ctx context.Context, run *runState) error {
	return inTx(ctx, d.db, func(tx *sql.Tx) error { return putRun(ctx, tx, run) })
}

func putRun(ctx context.Context, tx *sql.Tx, run *runState) error {
	b, err := json.Marshal(run)
	if err != nil {
		return fmt.Errorf("encode sync checkpoint: %w", err)
	}
	return setState(ctx, tx, keyRun, string(b))
}

// syncPage reads and stores the page at run's cursor, advancing the
// checkpoint in the same transaction. It returns the records stored.
func (d *Directory) syncPage(ctx context.Context, src PagedSource, ids IDSource, run *runState) (int, string, error) {
	since := run.Since
	byID := run.Mode == modeReconcile && ids != nil
	var (
		n     int
		next  string
		store func(ctx context.Context, tx *sql.Tx) error
		err   error
	)
	switch {
	case run.Phase == PhaseContacts && byID:
		var page []int64
		page, next, err = withBackoff(ctx, d, func() ([]int64, string, error) { return ids.ContactIDsPage(ctx, run.Cursor) })
		n, store = len(page), func(ctx context.Context, tx *sql.Tx) error { return markIDs(ctx, tx, "contacts", page, run.Gen) }
	case run.Phase == PhaseMatters && byID:
		var page []int64
		page, next, err = withBackoff(ctx, d, func() ([]int64, string, error) { return ids.MatterIDsPage(ctx, run.Cursor) })
		n, store = len(page), func(ctx context.Context, tx *sql.Tx) error { return markIDs(ctx, tx, "matters", page, run.Gen) }
	case run.Phase == PhaseContacts:
		var page []clio.Contact
		page, next, err = withBackoff(ctx, d, func() ([]clio.Contact, string, error) { return src.ContactsPage(ctx, since, run.Cursor) })
		n, store = len(page), func(ctx context.Context, tx *sql.Tx) error { return d.storeContacts(ctx, tx, page, run.Gen) }
	case run.Phase == PhaseMatters:
		var page []clio.Matter
		page, next, err = withBackoff(ctx, d, func() ([]clio.Matter, string, error) { return src.MattersPage(ctx, since, run.Cursor) })
		n, store = len(page), func(ctx context.Context, tx *sql.Tx) error { return storeMatters(ctx, tx, page, run.Gen) }
	default:
		var page []Relationship
		page, next, err = withBackoff(ctx, d, func() ([]Relationship, string, error) {
			return src.RelationshipsPage(ctx, since, run.Cursor)
		})
		n, store = len(page), func(ctx context.Context, tx *sql.Tx) error { return storeRelationships(ctx, tx, page, run.Gen) }
	}
	if err != nil {
		return 0, "", err
	}
	if next != "" && next == run.Cursor {
		return 0, "", fmt.Errorf("read %s page: %w", run.Phase, errCursorLoop)
	}
	// A page read is always stored, even when ctx ends meanwhile, so that
	// a resumed run never reads it again.
	sctx := context.WithoutCancel(ctx)
	err = inTx(sctx, d.db, func(tx *sql.Tx) error {
		if err := store(sctx, tx); err != nil {
			return err
		}
		saved := *run
		saved.Cursor = next
		saved.Done = map[string]int{}
		for k, v := range run.Done {
			saved.Done[k] = v
		}
		saved.Done[run.Phase] += n
		return putRun(sctx, tx, &saved)
	})
	if err != nil {
		return 0, "", err
	}
	run.Cursor = next
	run.Done[run.Phase] += n
	return n, next, nil
}

var errCursorLoop = errors.New("next page cursor repeats the current one")

// withBackoff calls fetch until it answers with anything other than a
// *clio.RateLimitError, waiting out each rate-limit answer: its
// RetryAfter, else until its Reset, else a second.
func withBackoff[T any](ctx context.Context, d *Directory, fetch func() (T, string, error)) (T, string, error) {
	for {
		v, next, err := fetch()
		var rl *clio.RateLimitError
		if !errors.As(err, &rl) {
			return v, next, err
		}
		wait := rl.RetryAfter
		if wait <= 0 && !rl.Reset.IsZero() {
			wait = time.Until(rl.Reset)
		}
		if wait <= 0 {
			wait = minBackoff
		}
		d.log.Info("directory sync waiting for the rate limit", "wait", wait.Round(time.Millisecond))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			var zero T
			return zero, "", ctx.Err()
		case <-t.C:
		}
	}
}

// finishRun ends a run: a full or reconcile run deletes the rows it did
// not see; every run records its start for the next incremental sync
// (except a reconcile, which reads no changes) and drops the checkpoint.
func (d *Directory) finishRun(ctx context.Context, run *runState) (int, error) {
	deleted := 0
	err := inTx(ctx, d.db, func(tx *sql.Tx) error {
		if run.Mode != modeIncremental {
			tables := []string{"contacts", "matters"}
			if !run.NoRels {
				tables = append(tables, "relationships")
			}
			for _, table := range tables {
				res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE sync_gen < ?1`, run.Gen)
				if err != nil {
					return fmt.Errorf("delete stale %s: %w", table, err)
				}
				if n, err := res.RowsAffected(); err == nil && table != "relationships" {
					deleted += int(n)
				}
			}
			if err := setState(ctx, tx, keyGen, strconv.FormatInt(run.Gen, 10)); err != nil {
				return err
			}
			if err := setState(ctx, tx, keyLastReconcile, run.Start.Format(time.RFC3339Nano)); err != nil {
				return err
			}
			for _, p := range phases {
				if p == PhaseRelationships && run.NoRels {
					continue
				}
				if err := setState(ctx, tx, keyEstimate+p, strconv.Itoa(run.Done[p])); err != nil {
					return err
				}
			}
		}
		if run.Mode != modeReconcile {
			if err := setState(ctx, tx, keyLastSync, run.Start.Format(time.RFC3339Nano)); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sync_state WHERE key = ?1`, keyRun)
		return err
	})
	return deleted, err
}

// estimate is the number of records of phase the last full read saw.
func (d *Directory) estimate(ctx context.Context, phase string) int {
	v, _, err := getState(ctx, d.db, keyEstimate+phase)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(v)
	return n
}

// LastReconcile returns when the last full sync or reconcile that
// completed started; the zero time if none has.
func (d *Directory) LastReconcile(ctx context.Context) (time.Time, error) {
	return d.stateTime(ctx, keyLastReconcile)
}

// LastSync returns when the last complete sync (not a reconcile) started;
// the zero time if none has.
func (d *Directory) LastSync(ctx context.Context) (time.Time, error) {
	return d.stateTime(ctx, keyLastSync)
}

func (d *Directory) stateTime(ctx context.Context, key string) (time.Time, error) {
	v, ok, err := getState(ctx, d.db, key)
	if err != nil || !ok {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, nil // damaged: as if never
	}
	return t, nil
}
