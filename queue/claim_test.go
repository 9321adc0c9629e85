package queue

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestLeaseExpiry(t *testing.T) {
	o, clk := openTest(t)
	it := mustEnqueue(t, o, call(1))

	a := mustClaim(t, o, "a") // lease 1m
	clk.Add(30 * time.Second)
	if _, err := o.Claim(t.Context(), "b", time.Minute); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Claim(b) during a's lease = %v, want ErrEmpty", err)
	}
	if err := o.RecordStep(t.Context(), a.ID, "b", 5, 0); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("RecordStep(by b, not the owner) = %v, want ErrLeaseLost", err)
	}
	clk.Add(31 * time.Second)
	b := mustClaim(t, o, "b")
	if b.ID != it.ID || b.Attempts != 2 {
		t.Fatalf("Claim(b) after expiry = id %d attempts %d, want id %d attempts 2", b.ID, b.Attempts, it.ID)
	}

	for _, tc := range []struct {
		name string
		fn   func() error
	}{
		{"Ack", func() error { return o.Ack(t.Context(), a.ID, "a") }},
		{"RecordStep", func() error { return o.RecordStep(t.Context(), a.ID, "a", 5, 6) }},
		{"Retry", func() error { return o.Retry(t.Context(), a.ID, "a", time.Second, "x") }},
		{"Park", func() error { return o.Park(t.Context(), a.ID, "a", "x") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.fn(); !errors.Is(err, ErrLeaseLost) {
				t.Errorf("%s(first owner) = %v, want ErrLeaseLost", tc.name, err)
			}
		})
	}
	if err := o.Ack(t.Context(), 999, "b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Ack(missing) = %v, want ErrNotFound", err)
	}
	if err := o.Ack(t.Context(), b.ID, "b"); err != nil {
		t.Fatalf("Ack(second owner) = %v, want nil", err)
	}
	if err := o.Ack(t.Context(), b.ID, "b"); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("Ack(twice) = %v, want ErrLeaseLost", err)
	}
	got := mustGet(t, o, it.ID)
	if got.State != StateDelivered || got.CommunicationID != 0 {
		t.Errorf("item = state %s comm %d, want delivered with no step from the lost owner", got.State, got.CommunicationID)
	}
}

func TestLeaseBoundary(t *testing.T) {
	o, clk := openTest(t)
	mustEnqueue(t, o, call(1))
	a := mustClaim(t, o, "a")
	clk.Add(time.Minute) // exactly at lease_until: still a's, not claimable
	if _, err := o.Claim(t.Context(), "b", time.Minute); !errors.Is(err, ErrEmpty) {
		t.Errorf("Claim(b) at lease end = %v, want ErrEmpty", err)
	}
	if err := o.RecordStep(t.Context(), a.ID, "a", 1, 0); err != nil {
		t.Errorf("RecordStep(a) at lease end = %v, want nil", err)
	}
	clk.Add(time.Millisecond)
	if err := o.RecordStep(t.Context(), a.ID, "a", 1, 0); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("RecordStep(a) after lease end = %v, want ErrLeaseLost", err)
	}
}

func TestClaimInvalid(t *testing.T) {
	o, _ := openTest(t)
	for _, tc := range []struct {
		owner string
		lease time.Duration
	}{{"", time.Minute}, {"a", 0}, {"a", -time.Second}} {
		if _, err := o.Claim(t.Context(), tc.owner, tc.lease); !errors.Is(err, ErrInvalid) {
			t.Errorf("Claim(%q, %v) = %v, want ErrInvalid", tc.owner, tc.lease, err)
		}
	}
}

// Two claimers, each with its own connection to the same file (as two
// processes would be), share 200 items: each is claimed exactly once.
func TestConcurrentClaimers(t *testing.T) {
	const n = 200
	path := filepath.Join(t.TempDir(), "outbox.db")
	o1 := openAt(t, path, nil)
	o2 := openAt(t, path, nil)
	for i := range n {
		it := call(0)
		it.EventID = fmt.Sprintf("ev-%03d", i)
		mustEnqueue(t, o1, it)
	}

	var (
		mu     sync.Mutex
		seen   = map[int64]string{}
		dupes  []int64
		errs   []error
		wg     sync.WaitGroup
		counts = map[string]int{}
	)
	for _, c := range []struct {
		owner string
		o     *Outbox
	}{{"one", o1}, {"two", o2}} {
		wg.Go(func() {
			for {
				it, err := c.o.Claim(t.Context(), c.owner, time.Minute)
				if errors.Is(err, ErrEmpty) {
					return
				}
				if err == nil {
					err = c.o.Ack(t.Context(), it.ID, c.owner)
				}
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				if _, ok := seen[it.ID]; ok {
					dupes = append(dupes, it.ID)
				}
				seen[it.ID] = c.owner
				counts[c.owner]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("claimers failed: %v", errs)
	}
	if len(dupes) > 0 {
		t.Errorf("items claimed twice: %v", dupes)
	}
	if len(seen) != n {
		t.Errorf("claimed %d distinct items, want %d", len(seen), n)
	}
	got, err := o1.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got[StateDelivered] != n {
		t.Errorf("Counts()[delivered] = %d, want %d", got[StateDelivered], n)
	}
	t.Logf("claims per owner: %v", counts)
}

// A crash after the communication was created but before the ack: the next
// claim, by another process after the lease runs out, resumes from the
// recorded step.
func TestStepSurvivesCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	clk := newClock()
	o1, err := Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	o1.now = clk.Now
	it := mustEnqueue(t, o1, call(1))
	a := mustClaim(t, o1, "a")
	if err := o1.RecordStep(t.Context(), a.ID, "a", 777, 0); err != nil {
		t.Fatalf("RecordStep() = %v", err)
	}
	if err := o1.Close(); err != nil { // no ack: the process died
		t.Fatal(err)
	}

	o2 := openAt(t, path, clk)
	if _, err := o2.Claim(t.Context(), "b", time.Minute); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Claim() before lease expiry = %v, want ErrEmpty", err)
	}
	clk.Add(2 * time.Minute)
	b := mustClaim(t, o2, "b")
	if b.ID != it.ID || b.CommunicationID != 777 || b.ActivityID != 0 || b.Attempts != 2 {
		t.Fatalf("Claim() after crash = id %d comm %d act %d attempts %d, want id %d comm 777 act 0 attempts 2",
			b.ID, b.CommunicationID, b.ActivityID, b.Attempts, it.ID)
	}
	if err := o2.RecordStep(t.Context(), b.ID, "b", 0, 888); err != nil {
		t.Fatal(err)
	}
	if err := o2.Ack(t.Context(), b.ID, "b"); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, o2, it.ID)
	if got.CommunicationID != 777 || got.ActivityID != 888 || got.State != StateDelivered {
		t.Errorf("final item = comm %d act %d state %s, want 777 888 delivered", got.CommunicationID, got.ActivityID, got.State)
	}
	if err := o2.RecordStep(t.Context(), b.ID, "b", -1, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("RecordStep(-1) = %v, want ErrInvalid", err)
	}
}

func TestPerContactOrder(t *testing.T) {
	o, clk := openTest(t)
	a1 := mustEnqueue(t, o, call(1))
	a2 := mustEnqueue(t, o, call(1))
	b1 := mustEnqueue(t, o, call(2))
	n1 := mustEnqueue(t, o, call(0))
	n2 := mustEnqueue(t, o, call(0)) // unknown contacts are never ordered

	claimIDs := func() []int64 {
		var ids []int64
		for {
			it, err := o.Claim(t.Context(), "x", time.Hour)
			if errors.Is(err, ErrEmpty) {
				return ids
			}
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
	}
	if got, want := claimIDs(), []int64{a1.ID, b1.ID, n1.ID, n2.ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("claims while a1 delivering = %v, want %v (a2 waits for a1)", got, want)
	}

	// a1 goes back to pending with a backoff: a2 still waits.
	if err := o.Retry(t.Context(), a1.ID, "x", time.Minute, "timeout"); err != nil {
		t.Fatal(err)
	}
	if got := claimIDs(); len(got) != 0 {
		t.Fatalf("claims while a1 waits to retry = %v, want none", got)
	}
	clk.Add(time.Minute)
	if got, want := claimIDs(), []int64{a1.ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("claims after a1's backoff = %v, want %v", got, want)
	}
	if err := o.Ack(t.Context(), a1.ID, "x"); err != nil {
		t.Fatal(err)
	}
	if got, want := claimIDs(), []int64{a2.ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("claims after a1 delivered = %v, want %v", got, want)
	}
}

func TestParkedDoesNotBlock(t *testing.T) {
	o, _ := openTest(t)
	a1 := mustEnqueue(t, o, call(1))
	a2 := mustEnqueue(t, o, call(1))
	a3 := mustEnqueue(t, o, call(1))

	c := mustClaim(t, o, "x")
	if c.ID != a1.ID {
		t.Fatalf("Claim() = %d, want %d", c.ID, a1.ID)
	}
	if err := o.Park(t.Context(), a1.ID, "x", "matter closed"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []int64{a2.ID, a3.ID} {
		c := mustClaim(t, o, "x")
		if c.ID != want {
			t.Fatalf("Claim() = %d, want %d", c.ID, want)
		}
		if err := o.Ack(t.Context(), c.ID, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if got := mustGet(t, o, a1.ID); got.State != StateFailed || got.LastError != "matter closed" {
		t.Errorf("parked item = %s %q, want failed %q", got.State, got.LastError, "matter closed")
	}
}
