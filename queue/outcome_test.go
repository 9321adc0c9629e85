package queue

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// outcomeCall is one OnOutcome call.
type outcomeCall struct {
	it  Item
	err error
}

// outcomes collects OnOutcome calls; safe for concurrent use.
type outcomes struct {
	mu    sync.Mutex
	calls []outcomeCall
}

func (o *outcomes) add(it Item, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, outcomeCall{it, err})
}

func (o *outcomes) all() []outcomeCall {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]outcomeCall(nil), o.calls...)
}

func TestOnOutcome(t *testing.T) {
	o, _ := openTest(t)
	errPerm := &PermanentError{Err: errors.New("matter is closed")}
	byNote := map[string]error{
		"ok":        nil,
		"perm":      errPerm,
		"flaky":     errFlaky,
		"uncertain": fmt.Errorf("create communication (%w): %w", ErrUncertain, errFlaky),
		"auth":      fmt.Errorf("%w: token expired", ErrAuth),
	}
	d := &deliverFunc{fn: func(_ context.Context, it Item, _ Recorder) error { return byNote[it.Note] }}
	var got outcomes
	f := newTestFlusher(o, d, FlusherOptions{OnOutcome: got.add})
	ids := map[int64]string{}
	for i, note := range []string{"ok", "perm", "flaky", "uncertain", "auth"} {
		it := call(int64(i + 1))
		it.Note = note
		ids[mustEnqueue(t, o, it).ID] = note
	}
	if _, err := f.Drain(t.Context(), false); !errors.Is(err, ErrAuth) {
		t.Fatalf("Drain() = %v, want ErrAuth (the last item)", err)
	}
	calls := got.all()
	if len(calls) != 5 {
		t.Fatalf("OnOutcome calls = %d, want 5 (one per attempt)", len(calls))
	}
	tests := map[string]struct {
		state     State
		uncertain bool
	}{
		"ok":        {StateDelivered, false},
		"perm":      {StateFailed, false},
		"flaky":     {StatePending, false},
		"uncertain": {StatePending, true},
		"auth":      {StatePending, false},
	}
	for _, c := range calls {
		note := ids[c.it.ID]
		t.Run(note, func(t *testing.T) {
			want := tests[note]
			if c.it.State != want.state || c.it.Uncertain != want.uncertain || c.it.Attempts != 1 {
				t.Errorf("OnOutcome item = %s uncertain %t attempts %d, want %s uncertain %t attempts 1",
					c.it.State, c.it.Uncertain, c.it.Attempts, want.state, want.uncertain)
			}
			if !errors.Is(c.err, byNote[note]) || (c.err == nil) != (byNote[note] == nil) {
				t.Errorf("OnOutcome err = %v, want %v", c.err, byNote[note])
			}
			stored := mustGet(t, o, c.it.ID)
			if stored != c.it {
				t.Errorf("OnOutcome item = %+v, want as stored %+v", c.it, stored)
			}
			if want.state != StateDelivered && c.it.LastError == "" {
				t.Errorf("OnOutcome item has no LastError, want the reason")
			}
		})
	}
}

// A lost lease leaves the item to its next owner: the attempt that lost it
// reports no outcome, the next one does.
func TestOnOutcomeNotCalledWhenLeaseLost(t *testing.T) {
	o, clk := openTest(t)
	d := &deliverFunc{fn: func(_ context.Context, it Item, _ Recorder) error {
		if it.Attempts == 1 {
			clk.Add(time.Hour) // the lease runs out while delivering
		}
		return nil
	}}
	var got outcomes
	f := newTestFlusher(o, d, FlusherOptions{Lease: time.Minute, OnOutcome: got.add})
	mustEnqueue(t, o, call(1))
	if _, err := f.Drain(t.Context(), false); err != nil {
		t.Fatalf("Drain() = %v, want nil", err)
	}
	calls := got.all()
	if len(calls) != 1 || calls[0].it.Attempts != 2 || calls[0].it.State != StateDelivered || !calls[0].it.Uncertain {
		t.Errorf("OnOutcome calls = %+v, want one: the second, uncertain attempt, delivered", calls)
	}
}

// Run reports outcomes from its own goroutine while the test reads them
// (run with -race): a retry, then the delivery, for each item.
func TestOnOutcomeFromRun(t *testing.T) {
	o := openAt(t, filepath.Join(t.TempDir(), "outbox.db"), nil)
	var mu sync.Mutex
	tried := map[int64]bool{}
	d := &deliverFunc{fn: func(_ context.Context, it Item, _ Recorder) error {
		mu.Lock()
		defer mu.Unlock()
		if !tried[it.ID] {
			tried[it.ID] = true
			return errFlaky
		}
		return nil
	}}
	var got outcomes
	f := newTestFlusher(o, d, FlusherOptions{Poll: 20 * time.Millisecond, MinBackoff: time.Millisecond,
		MaxBackoff: 5 * time.Millisecond, OnOutcome: got.add})
	const n = 4
	for i := range n {
		mustEnqueue(t, o, call(int64(i+1)))
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	eventually(t, "every item delivered", func() bool {
		delivered := 0
		for _, c := range got.all() {
			if c.it.State == StateDelivered {
				delivered++
			}
		}
		return delivered == n
	})
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v, want context.Canceled", err)
	}
	per := map[int64][]State{}
	for _, c := range got.all() {
		per[c.it.ID] = append(per[c.it.ID], c.it.State)
		if (c.err == nil) != (c.it.State == StateDelivered) {
			t.Errorf("outcome %s with err %v, want an error exactly when not delivered", c.it.State, c.err)
		}
	}
	for id, states := range per {
		if fmt.Sprint(states) != fmt.Sprint([]State{StatePending, StateDelivered}) {
			t.Errorf("item %d outcomes = %v, want [pending delivered]", id, states)
		}
	}
	if len(per) != n {
		t.Errorf("outcomes for %d items, want %d", len(per), n)
	}
}
