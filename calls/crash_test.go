package calls

import (
	"errors"
	"runtime"
	"testing"

	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
)

// TestCrashAtTheFirstChangeLosesNothing: CallDocket dies the moment the
// view first hears that a call ended (the pop may already show it). After
// the restart the call is where it must be: a missed call is queued for
// Clio, once, filed under its caller; a call ended while pop-ups are paused
// is in Review. Before, each took a second transaction, and a crash
// between left a missed call never logged or a paused call waiting on a
// pop that does not show.
func TestCrashAtTheFirstChangeLosesNothing(t *testing.T) {
	tests := []struct {
		name      string
		paused    bool
		answered  bool
		want      State
		wantItems int
	}{
		{"missed call is logged", false, false, StateQueued, 1},
		{"missed call while paused is logged", true, false, StateQueued, 1},
		{"call ended while paused goes to Review", true, true, StateLater, 0},
		{"call ended waits for its decision", false, true, StateAwaiting, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.set(func(s *settings.Settings) { s.PausePopups = tt.paused })
			r.event("x", ann, tapi.StateRinging)
			if tt.answered {
				r.event("x", ann, tapi.StateAnswered)
			}
			r.core.o.OnChange = func(u Update) {
				if !u.Record.EndedAt.IsZero() {
					runtime.Goexit() // killed: nothing after this runs
				}
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				_, _, _ = r.core.HandleEvent(t.Context(), tapi.Event{Source: "hook", CallID: "x",
					State: tapi.StateEnded, Remote: ann, RemoteE164: ann, At: r.now()})
				t.Error("HandleEvent went on after the crash")
			}()
			<-done
			r.open()
			r.open() // and once more: nothing twice
			rec := r.get("x")
			if rec.State != tt.want {
				t.Fatalf("after the restart: %s (%q), want %s", rec.State, rec.Reason, tt.want)
			}
			its := r.items()
			if len(its) != tt.wantItems {
				t.Fatalf("outbox = %d items, want %d", len(its), tt.wantItems)
			}
			if tt.wantItems > 0 && (rec.OutboxID != its[0].ID || its[0].ContactID != 7 || its[0].MatterID != 70) {
				t.Errorf("record outbox %d, item %+v; want the item, filed under contact 7 and matter 70", rec.OutboxID, its[0])
			}
		})
	}
}

// TestChangeThenIsOneTransaction: a change and its follow-up are made
// together, with a history entry each; if the follow-up is not allowed,
// neither is made.
func TestChangeThenIsOneTransaction(t *testing.T) {
	r := newRig(t)
	ctx := t.Context()
	r.event("c", ann, tapi.StateRinging)
	rec := r.event("c", ann, tapi.StateAnswered)

	_, err := r.ledger.Mutate(ctx, rec.ID, func(x *Record) (Change, error) {
		x.Note = "changed"
		return Change{Action: ActEnd, Then: &Change{Action: ActDeliver}}, nil
	})
	var te *TransitionError
	if !errors.As(err, &te) || te.From != StateAwaiting || te.Action != ActDeliver {
		t.Fatalf("end then deliver: err %v, want a TransitionError from awaiting_decision", err)
	}
	if got := r.get("c"); got.State != StateAnswered || got.Note != "" {
		t.Fatalf("after a refused follow-up: %s note %q, want answered and unchanged", got.State, got.Note)
	}

	got, err := r.ledger.Mutate(ctx, rec.ID, func(x *Record) (Change, error) {
		return Change{Action: ActEnd, Detail: "ended", Then: &Change{Action: ActLater, Detail: "paused"}}, nil
	})
	if err != nil || got.State != StateLater {
		t.Fatalf("end then later: %s, %v; want later", got.State, err)
	}
	h, err := r.ledger.History(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := len(h)
	if n < 2 || h[n-2].Action != "end" || h[n-2].From != StateAnswered || h[n-2].To != StateAwaiting ||
		h[n-1].Action != "later" || h[n-1].From != StateAwaiting || h[n-1].To != StateLater || h[n-1].Detail != "paused" {
		t.Errorf("history = %+v, want end (answered → awaiting) then later (awaiting → later)", h)
	}
}
