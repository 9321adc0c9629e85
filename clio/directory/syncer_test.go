package directory

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestSyncerRun(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := newPagedFake(4, firmSource())
	var mu sync.Mutex
	var runs []SyncStats
	incremental, reconcile := 0, 0
	done := make(chan struct{})
	s := &Syncer{
		Dir: d, Source: src, Interval: 20 * time.Millisecond, ReconcileEvery: 200 * time.Millisecond,
		OnDone: func(st SyncStats, err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("sync %d = %v", len(runs), err)
			}
			runs = append(runs, st)
			if len(runs) > 1 {
				switch {
				case st.Reconcile:
					reconcile++
				case !st.Full:
					incremental++
				default:
					t.Errorf("sync %d = %+v, want incremental or reconcile after the first", len(runs), st)
				}
			}
			if incremental > 0 && reconcile > 0 && done != nil {
				close(done)
				done = nil
			}
		},
	}
	wait := done
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	select {
	case <-wait:
	case <-time.After(20 * time.Second):
		t.Error("Syncer.Run did not run both an incremental sync and a reconcile in 20 s")
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v, want %v", err, context.Canceled)
	}
	mu.Lock()
	defer mu.Unlock()
	if !runs[0].Full || runs[0].Reconcile || runs[0].Contacts != 9 {
		t.Errorf("first sync = %+v, want full", runs[0])
	}
}

func TestSyncerSyncNow(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	src := newPagedFake(4, firmSource())
	var phases []string
	s := &Syncer{Dir: d, Source: src, Progress: func(p Progress) { phases = append(phases, p.Phase) }}
	if _, err := s.SyncNow(t.Context(), false); err != nil {
		t.Fatalf("SyncNow(false) = %v", err)
	}
	st, err := s.SyncNow(t.Context(), true)
	if err != nil || !st.Full || st.Contacts != 9 {
		t.Errorf("SyncNow(true) = %+v, %v, want a full sync", st, err)
	}
	if len(phases) == 0 || phases[0] != PhaseContacts {
		t.Errorf("progress phases = %v, want contacts first", phases)
	}
}

func TestSyncerReconcilesAfterLegacySync(t *testing.T) {
	d, _ := openTest(t, firmOptions)
	if _, err := d.Sync(t.Context(), firmSource(), false); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	// An older version's sync left no reconcile time.
	if _, err := d.db.ExecContext(t.Context(), `DELETE FROM sync_state WHERE key = ?1`, keyLastReconcile); err != nil {
		t.Fatalf("delete last_reconcile: %v", err)
	}
	s := &Syncer{Dir: d, Source: newPagedFake(4, firmSource())}
	st, err := s.tick(t.Context())
	if err != nil || !st.Reconcile {
		t.Errorf("tick() = %+v, %v, want a reconcile", st, err)
	}
	st, err = s.tick(t.Context())
	if err != nil || st.Full {
		t.Errorf("tick(again) = %+v, %v, want an incremental sync", st, err)
	}
}
