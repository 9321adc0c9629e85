package queue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	const minB, maxB = 5 * time.Second, 30 * time.Minute
	for _, tc := range []struct {
		attempts int
		ceiling  time.Duration
	}{
		{0, 5 * time.Second},
		{1, 5 * time.Second},
		{2, 10 * time.Second},
		{3, 20 * time.Second},
		{4, 40 * time.Second},
		{9, 1280 * time.Second},
		{10, 30 * time.Minute},
		{1000, 30 * time.Minute},
	} {
		t.Run(fmt.Sprint(tc.attempts), func(t *testing.T) {
			if got := backoffCeiling(tc.attempts, minB, maxB); got != tc.ceiling {
				t.Errorf("backoffCeiling(%d) = %v, want %v", tc.attempts, got, tc.ceiling)
			}
			top := func(n int64) int64 { return n }
			if got := backoff(tc.attempts, minB, maxB, top); got != tc.ceiling {
				t.Errorf("backoff(%d, highest jitter) = %v, want %v", tc.attempts, got, tc.ceiling)
			}
			bottom := func(int64) int64 { return 0 }
			if got := backoff(tc.attempts, minB, maxB, bottom); got != minB {
				t.Errorf("backoff(%d, lowest jitter) = %v, want %v", tc.attempts, got, minB)
			}
			for range 100 {
				if got := backoff(tc.attempts, minB, maxB, nil); got < minB || got > tc.ceiling {
					t.Fatalf("backoff(%d) = %v, want in [%v, %v]", tc.attempts, got, minB, tc.ceiling)
				}
			}
		})
	}
}

// newTestFlusher returns a flusher on o that always jitters to the ceiling.
func newTestFlusher(o *Outbox, d Deliverer, opts FlusherOptions) *Flusher {
	if opts.Owner == "" {
		opts.Owner = "test"
	}
	f := NewFlusher(o, d, opts)
	f.jitter = func(n int64) int64 { return n }
	return f
}

func TestDrainOutcomes(t *testing.T) {
	o, clk := openTest(t)
	byNote := map[string]func(ctx context.Context) error{
		"ok":    func(context.Context) error { return nil },
		"perm":  func(context.Context) error { return &PermanentError{Err: errors.New("matter requires UTBMS codes")} },
		"retry": func(context.Context) error { return &RetryError{After: time.Hour, Err: errors.New("429")} },
		"short": func(context.Context) error { return &RetryError{After: time.Second, Err: errors.New("429")} },
		"flaky": func(context.Context) error { return errFlaky },
		"panic": func(context.Context) error { panic("nil map") },
		"deadline": func(ctx context.Context) error {
			dl, ok := ctx.Deadline()
			if !ok || dl.After(time.Now().Add(2*time.Minute)) {
				return &PermanentError{Err: errors.New("no deadline within the lease")}
			}
			return nil
		},
	}
	d := &deliverFunc{fn: func(ctx context.Context, it Item, _ Recorder) error { return byNote[it.Note](ctx) }}
	ids := map[string]int64{}
	for _, note := range []string{"ok", "perm", "retry", "short", "flaky", "panic", "deadline"} {
		it := call(0)
		it.Note = note
		ids[note] = mustEnqueue(t, o, it).ID
	}
	var changes atomic.Int32
	f := newTestFlusher(o, d, FlusherOptions{OnChange: func() { changes.Add(1) }})
	res, err := f.Drain(t.Context(), false)
	if err != nil {
		t.Fatalf("Drain() = %v, want nil", err)
	}
	if want := (DrainResult{Delivered: 2, Retrying: 4, Failed: 1, Remaining: 4}); res != want {
		t.Errorf("Drain() = %+v, want %+v", res, want)
	}
	if changes.Load() < 14 {
		t.Errorf("OnChange calls = %d, want >= 14 (claim and outcome of 7 items)", changes.Load())
	}
	now := clk.Now()
	for _, tc := range []struct {
		note      string
		state     State
		next      time.Time
		lastError string
	}{
		{"ok", StateDelivered, now, ""},
		{"deadline", StateDelivered, now, ""},
		{"perm", StateFailed, now, "matter requires UTBMS codes"},
		{"retry", StatePending, now.Add(time.Hour), "retry after 1h0m0s: 429"},
		{"short", StatePending, now.Add(5 * time.Second), "retry after 1s: 429"},
		{"flaky", StatePending, now.Add(5 * time.Second), "connection reset"},
		{"panic", StatePending, now.Add(5 * time.Second), "deliverer panic: nil map"},
	} {
		t.Run(tc.note, func(t *testing.T) {
			got := mustGet(t, o, ids[tc.note])
			if got.State != tc.state || got.LastError != tc.lastError || !got.NextAttemptAt.Equal(tc.next) {
				t.Errorf("item %s = %s %q next %v, want %s %q next %v", tc.note,
					got.State, got.LastError, got.NextAttemptAt.Sub(now), tc.state, tc.lastError, tc.next.Sub(now))
			}
		})
	}

	// The panicking item is retried like any other: it is delivered later.
	d.set(func(context.Context, Item, Recorder) error { return nil })
	clk.Add(5 * time.Second)
	res, err = f.Drain(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	if want := (DrainResult{Delivered: 3, Remaining: 1}); res != want {
		t.Errorf("second Drain() = %+v, want %+v", res, want)
	}
}

func TestDrainBackoffGrowsAndCaps(t *testing.T) {
	o, clk := openTest(t)
	d := &deliverFunc{fn: func(context.Context, Item, Recorder) error { return errFlaky }}
	f := newTestFlusher(o, d, FlusherOptions{MinBackoff: 5 * time.Second, MaxBackoff: time.Minute})
	it := mustEnqueue(t, o, call(0))

	var got []time.Duration
	for range 6 {
		res, err := f.Drain(t.Context(), false)
		if err != nil || res.Retrying != 1 {
			t.Fatalf("Drain() = %+v, %v, want one retry", res, err)
		}
		next := mustGet(t, o, it.ID).NextAttemptAt
		got = append(got, next.Sub(clk.Now()))
		clk.Set(next)
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute, time.Minute}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("retry delays = %v, want %v", got, want)
	}
}

func TestDrainResumesFromRecordedStep(t *testing.T) {
	o, clk := openTest(t)
	d := &deliverFunc{fn: func(ctx context.Context, it Item, rec Recorder) error {
		if it.CommunicationID == 0 {
			if err := rec.Record(ctx, 501, 0); err != nil {
				return err
			}
			return errFlaky // the time entry failed
		}
		if it.Attempts != 2 {
			return &PermanentError{Err: fmt.Errorf("attempts = %d, want 2", it.Attempts)}
		}
		return rec.Record(ctx, 0, 601)
	}}
	f := newTestFlusher(o, d, FlusherOptions{})
	it := mustEnqueue(t, o, call(1))
	if res, err := f.Drain(t.Context(), false); err != nil || res.Retrying != 1 {
		t.Fatalf("first Drain() = %+v, %v, want one retry", res, err)
	}
	clk.Add(time.Hour)
	if res, err := f.Drain(t.Context(), false); err != nil || res.Delivered != 1 {
		t.Fatalf("second Drain() = %+v, %v, want one delivered", res, err)
	}
	got := mustGet(t, o, it.ID)
	if got.CommunicationID != 501 || got.ActivityID != 601 {
		t.Errorf("item = comm %d act %d, want 501 601", got.CommunicationID, got.ActivityID)
	}
	if n := len(d.Calls()); n != 2 {
		t.Errorf("Deliver calls = %d, want 2", n)
	}
}

func TestDrainForce(t *testing.T) {
	o, _ := openTest(t)
	var fail atomic.Bool
	fail.Store(true)
	d := &deliverFunc{fn: func(context.Context, Item, Recorder) error {
		if fail.Load() {
			return errFlaky
		}
		return nil
	}}
	f := newTestFlusher(o, d, FlusherOptions{})
	mustEnqueue(t, o, call(1))
	mustEnqueue(t, o, call(1))

	for _, tc := range []struct {
		name  string
		fail  bool
		force bool
		want  DrainResult
	}{
		{"first try fails", true, false, DrainResult{Retrying: 1, Remaining: 2}},
		{"in backoff", false, false, DrainResult{Remaining: 2}},
		{"forced", false, true, DrainResult{Delivered: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fail.Store(tc.fail)
			res, err := f.Drain(t.Context(), tc.force)
			if err != nil || res != tc.want {
				t.Errorf("Drain(%v) = %+v, %v, want %+v", tc.force, res, err, tc.want)
			}
		})
	}
}

func TestDrainAuthPauses(t *testing.T) {
	o, clk := openTest(t)
	d := &deliverFunc{fn: func(context.Context, Item, Recorder) error {
		return fmt.Errorf("%w: token expired", ErrAuth)
	}}
	var changes atomic.Int32
	f := newTestFlusher(o, d, FlusherOptions{OnChange: func() { changes.Add(1) }})
	first := mustEnqueue(t, o, call(1))
	mustEnqueue(t, o, call(2))
	mustEnqueue(t, o, call(3))

	res, err := f.Drain(t.Context(), false)
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("Drain() = %v, want ErrAuth", err)
	}
	if want := (DrainResult{Retrying: 1, Remaining: 3}); res != want {
		t.Errorf("Drain() = %+v, want %+v", res, want)
	}
	if n := len(d.Calls()); n != 1 {
		t.Errorf("Deliver calls = %d, want 1 (stop after ErrAuth)", n)
	}
	if !f.Paused() {
		t.Errorf("Paused() = false, want true")
	}
	got := mustGet(t, o, first.ID)
	if got.State != StatePending || !got.NextAttemptAt.Equal(clk.Now()) {
		t.Errorf("item after ErrAuth = %s next %v, want pending due now", got.State, got.NextAttemptAt)
	}
	if changes.Load() == 0 {
		t.Errorf("OnChange not called")
	}
}

// Run pauses on ErrAuth, ignores the poll while paused, and resumes on Kick.
func TestRunPausesUntilKick(t *testing.T) {
	o := openAt(t, filepath.Join(t.TempDir(), "outbox.db"), nil)
	var authFails atomic.Bool
	authFails.Store(true)
	d := &deliverFunc{fn: func(context.Context, Item, Recorder) error {
		if authFails.Load() {
			return ErrAuth
		}
		return nil
	}}
	f := newTestFlusher(o, d, FlusherOptions{Poll: 20 * time.Millisecond})
	for i := range 3 {
		mustEnqueue(t, o, call(int64(i+1)))
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	eventually(t, "pause", f.Paused)
	time.Sleep(100 * time.Millisecond) // five polls' worth
	if n := len(d.Calls()); n != 1 {
		t.Errorf("Deliver calls while paused = %d, want 1", n)
	}

	authFails.Store(false)
	f.Kick()
	eventually(t, "delivery after Kick", func() bool {
		c, err := o.Counts(t.Context())
		return err == nil && c[StateDelivered] == 3
	})
	if f.Paused() {
		t.Errorf("Paused() after Kick = true, want false")
	}

	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run() = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// Run wakes at an item's due time without waiting for the poll.
func TestRunWakesWhenDue(t *testing.T) {
	o := openAt(t, filepath.Join(t.TempDir(), "outbox.db"), nil)
	var calls atomic.Int32
	d := &deliverFunc{fn: func(context.Context, Item, Recorder) error {
		if calls.Add(1) == 1 {
			return &RetryError{After: 50 * time.Millisecond}
		}
		return nil
	}}
	f := newTestFlusher(o, d, FlusherOptions{Poll: time.Hour, MinBackoff: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	mustEnqueue(t, o, call(0))
	f.Kick()
	eventually(t, "delivery on retry", func() bool {
		c, err := o.Counts(t.Context())
		return err == nil && c[StateDelivered] == 1
	})
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v, want context.Canceled", err)
	}
}

// Cancelling mid-delivery hands the item back at once instead of leaving it
// leased.
func TestDrainCancelledMidDelivery(t *testing.T) {
	o, clk := openTest(t)
	ctx, cancel := context.WithCancel(t.Context())
	d := &deliverFunc{fn: func(ctx context.Context, _ Item, _ Recorder) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}}
	f := newTestFlusher(o, d, FlusherOptions{})
	it := mustEnqueue(t, o, call(0))
	if _, err := f.Drain(ctx, false); !errors.Is(err, context.Canceled) {
		t.Fatalf("Drain() = %v, want context.Canceled", err)
	}
	got := mustGet(t, o, it.ID)
	if got.State != StatePending || !got.NextAttemptAt.Equal(clk.Now()) {
		t.Errorf("item after cancel = %s next %v, want pending due now", got.State, got.NextAttemptAt)
	}
}

func TestFlusherLogsNoPersonalData(t *testing.T) {
	o, clk := openTest(t)
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	o.log = logger
	errs := []error{errFlaky, &PermanentError{Err: errors.New("bad")}, ErrAuth, nil}
	var i atomic.Int32
	d := &deliverFunc{fn: func(context.Context, Item, Recorder) error {
		n := int(i.Add(1)) - 1
		if n == 2 {
			panic("boom")
		}
		return errs[n%len(errs)]
	}}
	f := newTestFlusher(o, d, FlusherOptions{Logger: logger})
	for range 4 {
		it := call(0)
		it.Name, it.Number = "Ann Lee", "+15557654321"
		mustEnqueue(t, o, it)
	}
	for range 4 {
		_, _ = f.Drain(t.Context(), true)
		clk.Add(time.Hour)
	}
	out := buf.String()
	for _, secret := range []string{"Ann", "Lee", "7654321"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"item_id=", "kind=call", "attempt="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestFlusherDefaults(t *testing.T) {
	f := NewFlusher(nil, nil, FlusherOptions{MinBackoff: time.Hour, MaxBackoff: time.Minute})
	if f.opts.Lease != DefaultLease || f.opts.Poll != DefaultPoll || f.opts.MaxBackoff != time.Hour || f.opts.Owner == "" {
		t.Errorf("NewFlusher() opts = %+v, want defaults and MaxBackoff raised to MinBackoff", f.opts)
	}
	if _, err := f.Drain(t.Context(), false); !errors.Is(err, ErrInvalid) {
		t.Errorf("Drain(no outbox) = %v, want ErrInvalid", err)
	}
	if err := f.Run(t.Context()); !errors.Is(err, ErrInvalid) {
		t.Errorf("Run(no outbox) = %v, want ErrInvalid", err)
	}
	g := NewFlusher(nil, nil, FlusherOptions{})
	if f.opts.Owner == g.opts.Owner {
		t.Errorf("two default owners are both %q, want distinct", f.opts.Owner)
	}
}
