package queue

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestUpdate(t *testing.T) {
	tests := []struct {
		name    string
		state   State // state to bring the item into first
		edit    func(*Item)
		wantErr error
		check   func(t *testing.T, it Item)
	}{
		{"pending: contact and matter", StatePending, func(it *Item) { it.ContactID, it.MatterID, it.Name = 99, 100, "New Name" }, nil,
			func(t *testing.T, it Item) {
				if it.ContactID != 99 || it.MatterID != 100 || it.Name != "New Name" || it.State != StatePending {
					t.Errorf("after Update: %+v, want contact 99, matter 100, pending", it)
				}
			}},
		{"failed: billable and note stay parked", StateFailed, func(it *Item) { it.Billable, it.Note = false, "fixed" }, nil,
			func(t *testing.T, it Item) {
				if it.Billable || it.Note != "fixed" || it.State != StateFailed || it.LastError == "" {
					t.Errorf("after Update: %+v, want non-billable, note fixed, still failed with its reason", it)
				}
			}},
		{"no change", StatePending, func(it *Item) {}, nil, nil},
		{"not editable: number", StatePending, func(it *Item) { it.Number = "+1999" }, ErrInvalid, nil},
		{"not editable: progress", StateFailed, func(it *Item) { it.CommunicationID = 5 }, ErrInvalid, nil},
		{"not editable: state", StateFailed, func(it *Item) { it.State = StatePending }, ErrInvalid, nil},
		{"invalid value", StatePending, func(it *Item) { it.MatterID = -1 }, ErrInvalid, nil},
		{"delivering", StateDelivering, func(it *Item) { it.Note = "x" }, ErrWrongState, nil},
		{"delivered", StateDelivered, func(it *Item) { it.Note = "x" }, ErrWrongState, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _ := openTest(t)
			it := mustEnqueue(t, o, call(1))
			if tt.state != StatePending {
				c := mustClaim(t, o, "a")
				switch tt.state {
				case StateFailed:
					if err := o.Park(t.Context(), c.ID, "a", "This matter requires UTBMS codes"); err != nil {
						t.Fatal(err)
					}
				case StateDelivered:
					if err := o.Ack(t.Context(), c.ID, "a"); err != nil {
						t.Fatal(err)
					}
				}
			}
			before := mustGet(t, o, it.ID)
			err := o.Update(t.Context(), it.ID, tt.edit)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Update(%s) = %v, want %v", tt.name, err, tt.wantErr)
			}
			after := mustGet(t, o, it.ID)
			if tt.wantErr != nil || tt.check == nil {
				if after != before {
					t.Errorf("Update(%s) changed the item: %+v, want %+v", tt.name, after, before)
				}
				return
			}
			tt.check(t, after)
			if ev := eventsOf(t, o, it.ID); ev[len(ev)-1] != "update" {
				t.Errorf("events = %v, want a final update", ev)
			}
		})
	}
}

func TestUpdateNotFoundAndNil(t *testing.T) {
	o, _ := openTest(t)
	if err := o.Update(t.Context(), 42, func(*Item) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Update(42) = %v, want ErrNotFound", err)
	}
	it := mustEnqueue(t, o, call(1))
	if err := o.Update(t.Context(), it.ID, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("Update(nil fn) = %v, want ErrInvalid", err)
	}
}

// TestEditAndRetry is the review list's flow: a parked item is edited,
// requeued, and the next delivery sees the new values.
func TestEditAndRetry(t *testing.T) {
	o, _ := openTest(t)
	it := mustEnqueue(t, o, call(0))
	d := &deliverFunc{}
	d.set(func(_ context.Context, it Item, _ Recorder) error {
		if it.ContactID == 0 {
			return &PermanentError{Err: errors.New("not logged: no matching contact")}
		}
		return nil
	})
	f := NewFlusher(o, d, FlusherOptions{MinBackoff: time.Millisecond})
	if res, err := f.Drain(t.Context(), true); err != nil || res.Failed != 1 {
		t.Fatalf("first Drain = %+v, %v; want 1 failed", res, err)
	}
	if err := o.Update(t.Context(), it.ID, func(x *Item) { x.ContactID = 31 }); err != nil {
		t.Fatal(err)
	}
	if err := o.Requeue(t.Context(), it.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := f.Drain(t.Context(), true); err != nil || res.Delivered != 1 {
		t.Fatalf("Drain after edit = %+v, %v; want 1 delivered", res, err)
	}
	if calls := d.Calls(); len(calls) != 2 || calls[1].ContactID != 31 {
		t.Errorf("deliveries = %+v, want the second with contact 31", calls)
	}
}
