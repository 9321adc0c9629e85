package deliver

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// emulator serves the Clio emulator over real HTTP, with faults installed
// from the start.
func emulator(t testing.TB, faults ...fake.Fault) (*fake.Server, *clio.Client) {
	t.Helper()
	f, err := fake.NewServer(fake.SampleFirm(), fake.Options{Token: "tok", Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.Handler())
	t.Cleanup(func() { ts.Close(); f.Close() })
	c, err := clio.NewClient(clio.TokenHTTPClient(t.Context(), "tok"), ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

func testOutbox(t testing.TB) *queue.Outbox {
	t.Helper()
	ob, err := queue.Open(t.Context(), filepath.Join(t.TempDir(), "outbox.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ob.Close() })
	return ob
}

func mustEnqueue(t testing.TB, ob *queue.Outbox, it queue.Item) queue.Item {
	t.Helper()
	got, err := ob.Enqueue(t.Context(), it)
	if err != nil {
		t.Fatalf("Enqueue() = %v", err)
	}
	return got
}

func mustGet(t testing.TB, ob *queue.Outbox, id int64) queue.Item {
	t.Helper()
	got, err := ob.Get(t.Context(), id)
	if err != nil {
		t.Fatalf("Get(%d) = %v", id, err)
	}
	return got
}

// sampleCall is a billable inbound call from the client of an open matter
// of the sample firm.
func sampleCall() queue.Item {
	firm := fake.SampleFirm()
	var contact, matter int64
	for _, m := range firm.Matters {
		if m.Status == clio.MatterOpen && m.Client != nil {
			contact, matter = m.Client.ID, m.ID
			break
		}
	}
	return queue.Item{
		Kind: queue.KindCall, Number: "+12125550142", Name: "Ann Lee", ContactID: contact, MatterID: matter,
		Direction: "in", StartedAt: time.Date(2026, 5, 4, 14, 3, 0, 0, time.UTC), DurationS: 252,
		Billable: true, Note: "lease", Source: "test",
	}
}

// fixed returns a settings getter that always answers s.
func fixed(s settings.Settings) func() settings.Settings {
	return func() settings.Settings { return s }
}

// drainAll delivers everything due through a Writer with the given
// settings.
func drainAll(t testing.TB, ob *queue.Outbox, c *clio.Client, s settings.Settings) queue.DrainResult {
	t.Helper()
	return drainWith(t, ob, New(c, fixed(s)))
}

// drainWith makes every pending item due and delivers through w; an item
// retried meanwhile waits for the next drain, so each drain is one attempt
// per item.
func drainWith(t testing.TB, ob *queue.Outbox, w *Writer) queue.DrainResult {
	t.Helper()
	fl := queue.NewFlusher(ob, w, queue.FlusherOptions{MinBackoff: time.Hour})
	res, err := fl.Drain(t.Context(), true)
	if err != nil {
		t.Fatalf("Drain = %v", err)
	}
	return res
}
