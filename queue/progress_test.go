package queue

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestRecordProgress(t *testing.T) {
	o, _ := openTest(t)
	fax := call(0)
	fax.Kind, fax.FilePath = KindFax, "/data/fax/1.pdf"
	it := mustEnqueue(t, o, fax)
	c := mustClaim(t, o, "a")
	steps := []Progress{
		{ContactID: 0, CommunicationID: 555},
		{FolderID: 77},
		{DocumentID: 1234, DocumentUUID: "a51faa2c"},
		{Uploaded: true},
		{}, // zero: changes nothing
	}
	for _, p := range steps {
		if err := o.RecordProgress(t.Context(), c.ID, "a", p); err != nil {
			t.Fatalf("RecordProgress(%+v) = %v, want nil", p, err)
		}
	}
	got := mustGet(t, o, it.ID)
	if got.CommunicationID != 555 || got.FolderID != 77 || got.DocumentID != 1234 ||
		got.DocumentUUID != "a51faa2c" || !got.Uploaded || got.ContactID != 0 || got.ContactCreated {
		t.Errorf("after the fax steps: %+v", got)
	}
	if err := o.RecordProgress(t.Context(), c.ID, "b", Progress{FolderID: 1}); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("RecordProgress(other owner) = %v, want ErrLeaseLost", err)
	}
	if err := o.RecordProgress(t.Context(), c.ID, "a", Progress{DocumentID: -1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("RecordProgress(negative id) = %v, want ErrInvalid", err)
	}
}

func TestRecordProgressCreatedContact(t *testing.T) {
	o, _ := openTest(t)
	it := mustEnqueue(t, o, call(0))
	c := mustClaim(t, o, "a")
	if err := o.RecordProgress(t.Context(), c.ID, "a", Progress{ContactID: 4242}); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, o, it.ID)
	if got.ContactID != 4242 || !got.ContactCreated {
		t.Errorf("after recording a created contact: ContactID %d ContactCreated %t, want 4242 true", got.ContactID, got.ContactCreated)
	}
	// Choosing another contact in the review list forgets the creation.
	if err := o.Park(t.Context(), c.ID, "a", "x"); err != nil {
		t.Fatal(err)
	}
	if err := o.Update(t.Context(), it.ID, func(x *Item) { x.ContactID = 7 }); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, o, it.ID); got.ContactCreated {
		t.Errorf("after choosing another contact: ContactCreated = true, want false")
	}
}

// TestUncertain: an item is marked Uncertain only when an attempt may have
// written without recording: a lease that ran out, or an error wrapping
// ErrUncertain. A failure known to have written nothing leaves it certain,
// so the next attempt posts without looking first.
func TestUncertain(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"refused connection", errors.New("dial tcp: connection refused"), false},
		{"rate limit", &RetryError{After: time.Millisecond, Err: errors.New("429")}, false},
		{"reset after sending", fmt.Errorf("create communication: %w: connection reset", ErrUncertain), true},
		{"5xx as retry error", &RetryError{Err: fmt.Errorf("%w: 503", ErrUncertain)}, true},
		{"permanent", &PermanentError{Err: errors.New("422")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _ := openTest(t)
			it := mustEnqueue(t, o, call(0))
			d := &deliverFunc{}
			d.set(func(context.Context, Item, Recorder) error { return tt.err })
			f := NewFlusher(o, d, FlusherOptions{MinBackoff: time.Millisecond})
			if _, err := f.Drain(t.Context(), true); err != nil {
				t.Fatal(err)
			}
			if got := mustGet(t, o, it.ID); got.Uncertain != tt.want {
				t.Errorf("after %s: Uncertain = %t, want %t", tt.name, got.Uncertain, tt.want)
			}
		})
	}

	t.Run("lease ran out", func(t *testing.T) {
		o, clk := openTest(t)
		it := mustEnqueue(t, o, call(0))
		if c := mustClaim(t, o, "crashed"); c.Uncertain {
			t.Fatalf("first claim: Uncertain = true, want false")
		}
		clk.Add(2 * time.Minute)
		c := mustClaim(t, o, "b")
		if c.ID != it.ID || !c.Uncertain || c.Attempts != 2 {
			t.Errorf("reclaim after an expired lease = %+v, want item %d, attempt 2, Uncertain", c, it.ID)
		}
		// Once uncertain, an item stays so through later retries.
		if err := o.Retry(t.Context(), c.ID, "b", 0, "again"); err != nil {
			t.Fatal(err)
		}
		if got := mustGet(t, o, it.ID); !got.Uncertain {
			t.Errorf("after Retry: Uncertain = false, want true")
		}
	})
}
