package queue

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source for the outbox.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.UnixMilli(1_780_000_000_000)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// openAt opens an outbox at path that reads time from c (nil: real time) and
// closes it when the test ends.
func openAt(t testing.TB, path string, c *clock) *Outbox {
	t.Helper()
	o, err := Open(t.Context(), path, nil)
	if err != nil {
		t.Fatalf("Open(%q) = %v, want nil", path, err)
	}
	if c != nil {
		o.now = c.Now
	}
	t.Cleanup(func() { _ = o.Close() })
	return o
}

// openTest opens a fresh outbox in t.TempDir() on a fake clock.
func openTest(t testing.TB) (*Outbox, *clock) {
	t.Helper()
	c := newClock()
	return openAt(t, filepath.Join(t.TempDir(), "outbox.db"), c), c
}

// call returns a valid call item for contact.
func call(contact int64) Item {
	return Item{
		Kind: KindCall, Number: "+15551230000", Name: "Test Person", ContactID: contact,
		MatterID: 7, Direction: "in", StartedAt: time.UnixMilli(1_779_999_000_000),
		DurationS: 312, Billable: true, Note: "note", Source: "sim",
	}
}

func mustEnqueue(t testing.TB, o *Outbox, it Item) Item {
	t.Helper()
	got, err := o.Enqueue(t.Context(), it)
	if err != nil {
		t.Fatalf("Enqueue() = %v, want nil", err)
	}
	return got
}

func mustGet(t testing.TB, o *Outbox, id int64) Item {
	t.Helper()
	it, err := o.Get(t.Context(), id)
	if err != nil {
		t.Fatalf("Get(%d) = %v, want nil", id, err)
	}
	return it
}

func mustClaim(t testing.TB, o *Outbox, owner string) Item {
	t.Helper()
	it, err := o.Claim(t.Context(), owner, time.Minute)
	if err != nil {
		t.Fatalf("Claim(%q) = %v, want nil", owner, err)
	}
	return it
}

// deliverFunc is the tiny hand-written Deliverer fake: it counts calls and
// runs fn.
type deliverFunc struct {
	mu    sync.Mutex
	calls []Item
	fn    func(ctx context.Context, it Item, rec Recorder) error
}

func (d *deliverFunc) Deliver(ctx context.Context, it Item, rec Recorder) error {
	d.mu.Lock()
	d.calls = append(d.calls, it)
	fn := d.fn
	d.mu.Unlock()
	if fn == nil {
		return nil
	}
	return fn(ctx, it, rec)
}

func (d *deliverFunc) Calls() []Item {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Item(nil), d.calls...)
}

func (d *deliverFunc) set(fn func(ctx context.Context, it Item, rec Recorder) error) {
	d.mu.Lock()
	d.fn = fn
	d.mu.Unlock()
}

var errFlaky = errors.New("connection reset")

// eventsOf returns the audit trail of an item, oldest first.
func eventsOf(t testing.TB, o *Outbox, id int64) []string {
	t.Helper()
	rows, err := o.db.QueryContext(t.Context(), `SELECT what FROM events WHERE item_id = ? ORDER BY id`, id)
	if err != nil {
		t.Fatalf("query events: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			t.Fatalf("scan events: %v", err)
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("events: %v", err)
	}
	return out
}

// eventually polls cond until it holds or a few seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
