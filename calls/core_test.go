package calls

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
)

// fakeDir is a directory with one contact per number.
type fakeDir struct{ byNumber map[string]directory.Match }

func (d fakeDir) LookupWith(_ context.Context, n string, _ directory.LookupOptions) (directory.Result, error) {
	res := directory.Result{Number: n, Display: n}
	if m, ok := d.byNumber[n]; ok {
		res.Matches = []directory.Match{m}
	}
	return res, nil
}

func (fakeDir) RecordLogged(context.Context, string, int64, int64, time.Time) error { return nil }

type rig struct {
	t       testing.TB
	dir     string
	clock   time.Time
	cfg     settings.Settings
	ledger  *Ledger
	outbox  *queue.Outbox
	core    *Core
	mu      sync.Mutex
	updates []Update
}

const (
	ann   = "+12125550123" // exact match, one open matter
	weak  = "+13125550100" // only the last digits agree
	firm  = "+12025557112" // the firm's own number
	other = "+14155550199" // nobody
)

func newRig(t testing.TB) *rig {
	t.Helper()
	r := &rig{t: t, dir: t.TempDir(), clock: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC), cfg: settings.Default()}
	r.cfg.FirmNumbers = []string{firm}
	r.open()
	return r
}

func (r *rig) now() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.clock
}

func (r *rig) advance(d time.Duration) {
	r.mu.Lock()
	r.clock = r.clock.Add(d)
	r.mu.Unlock()
}

func (r *rig) settings() settings.Settings {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg.Clone()
}

func (r *rig) set(f func(*settings.Settings)) {
	r.mu.Lock()
	f(&r.cfg)
	r.mu.Unlock()
}

// open (re)opens the files and a new core on them, as a restart does.
func (r *rig) open() {
	ctx := r.t.Context()
	if r.ledger != nil {
		r.ledger.Close()
		r.outbox.Close()
	}
	var err error
	if r.ledger, err = OpenLedger(ctx, filepath.Join(r.dir, "calls.db"), nil); err != nil {
		r.t.Fatal(err)
	}
	r.ledger.now = r.now
	if r.outbox, err = queue.Open(ctx, filepath.Join(r.dir, "outbox.db"), nil); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { r.ledger.Close(); r.outbox.Close() })
	dir := fakeDir{byNumber: map[string]directory.Match{
		ann: {ContactID: 7, Name: "Ann Lee", Strength: directory.StrengthExact, Matters: []directory.Matter{
			{ID: 70, DisplayNumber: "00070-Lee", Status: "Open"}, {ID: 71, Status: "Pending"}}},
		weak: {ContactID: 8, Name: "Bo Weak", Strength: directory.StrengthWeak, Matters: []directory.Matter{{ID: 80, Status: "Open"}}},
		firm: {ContactID: 9, Name: "Front Desk", Strength: directory.StrengthExact},
	}}
	r.core = New(Options{Ledger: r.ledger, Outbox: r.outbox, Directory: dir, Settings: r.settings, Now: r.now,
		OnChange:  func(u Update) { r.mu.Lock(); r.updates = append(r.updates, u); r.mu.Unlock() },
		Normalize: func(raw, _ string) (string, error) { return raw, nil }})
	if err := r.core.Start(ctx); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) event(id, number string, st tapi.State) Record {
	r.t.Helper()
	rec, _, err := r.core.HandleEvent(r.t.Context(), tapi.Event{Source: "hook", CallID: id, State: st,
		Remote: number, RemoteE164: number, At: r.now()})
	if err != nil {
		r.t.Fatal(err)
	}
	return rec
}

func (r *rig) get(callID string) Record {
	r.t.Helper()
	rec, err := r.ledger.ByCallID(r.t.Context(), callID)
	if err != nil {
		r.t.Fatal(err)
	}
	return rec
}

func (r *rig) lastUpdate() Update {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.updates[len(r.updates)-1]
}

func (r *rig) items() []queue.Item {
	r.t.Helper()
	its, err := r.outbox.List(r.t.Context(), queue.ListOptions{Limit: 100})
	if err != nil {
		r.t.Fatal(err)
	}
	return its
}

func TestNext(t *testing.T) {
	tests := []struct {
		from, prev State
		a          Action
		want       State
		ok         bool
	}{
		{StateRinging, "", ActAnswer, StateAnswered, true},
		{StateRinging, "", ActMiss, StateMissed, true},
		{StateRinging, "", ActEnd, StateAwaiting, true},
		{StateAnswered, "", ActEnd, StateAwaiting, true},
		{StateAnswered, "", ActLose, StateLater, true},
		{StateAnswered, "", ActDecide, StateAnswered, false},
		{StateAwaiting, "", ActDecide, StateQueued, true},
		{StateAwaiting, "", ActLater, StateLater, true},
		{StateAwaiting, "", ActDiscard, StateDiscarded, true},
		{StateLater, "", ActDecide, StateQueued, true},
		{StateMissed, "", ActQueue, StateQueued, true},
		{StateRinging, "", ActReject, StateRejected, true},
		{StateAnswered, "", ActReject, StateAnswered, false},
		{StateRejected, "", ActQueue, StateQueued, true},
		{StateRejected, "", ActDecide, StateQueued, true},
		{StateRejected, "", ActDiscard, StateDiscarded, true},
		{StateDiscarded, StateRejected, ActUndo, StateRejected, true},
		{StateQueued, "", ActDecide, StateQueued, false},
		{StateQueued, "", ActDeliver, StateDelivered, true},
		{StateQueued, "", ActFail, StateFailed, true},
		{StateFailed, "", ActRetry, StateQueued, true},
		{StateDelivered, "", ActDecide, StateDelivered, false},
		{StateDelivered, "", ActDiscard, StateDelivered, false},
		{StateDiscarded, StateLater, ActUndo, StateLater, true},
		{StateDiscarded, "", ActUndo, StateDiscarded, false},
		{StateLater, "", ActUndo, StateLater, false},
	}
	for _, tt := range tests {
		got, ok := Next(tt.from, tt.prev, tt.a)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("Next(%s, %q, %s) = %s, %v; want %s, %v", tt.from, tt.prev, tt.a, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAnsweredCallIsDecidedOnce(t *testing.T) {
	r := newRig(t)
	ctx := t.Context()
	if rec := r.event("c1", ann, tapi.StateRinging); rec.State != StateRinging || !r.lastUpdate().Pop {
		t.Fatalf("ringing: state %s pop %v", rec.State, r.lastUpdate().Pop)
	}
	r.advance(5 * time.Second)
	r.event("c1", ann, tapi.StateAnswered)
	r.advance(252 * time.Second)
	rec := r.event("c1", ann, tapi.StateEnded)
	if rec.State != StateAwaiting || rec.DurationS != 252 {
		t.Fatalf("ended: %s %ds, want awaiting_decision 252s", rec.State, rec.DurationS)
	}
	rec, err := r.core.Decide(ctx, rec.ID, Decision{Billable: true, ContactID: 7, MatterID: 70, Note: " lease "})
	if err != nil {
		t.Fatal(err)
	}
	if rec.State != StateQueued || rec.OutboxID == 0 || !rec.Billable || rec.Note != "lease" {
		t.Fatalf("decided: %+v", rec)
	}
	if _, err := r.core.Decide(ctx, rec.ID, Decision{}); !errors.Is(err, ErrTransition) {
		t.Fatalf("second decision: err %v, want ErrTransition", err)
	}
	its := r.items()
	if len(its) != 1 || !its[0].Billable || its[0].DurationS != 252 || its[0].MatterID != 70 || its[0].ContactID != 7 {
		t.Fatalf("outbox = %+v, want one billable 252 s item for matter 70", its)
	}
}

func TestRestartRecoversCalls(t *testing.T) {
	r := newRig(t)
	ctx := t.Context()
	r.event("open", ann, tapi.StateRinging)
	r.event("open", ann, tapi.StateAnswered)
	r.event("lost", other, tapi.StateRinging)
	r.event("lost", other, tapi.StateAnswered)
	r.advance(time.Minute)
	r.open() // killed mid-call
	if rec := r.get("open"); !rec.Restored || rec.State != StateAnswered {
		t.Fatalf("after restart: %+v", rec)
	}
	r.advance(DefaultRestartGrace / 2)
	if err := r.core.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	// The source still reports the first call: it ends normally.
	rec := r.event("open", ann, tapi.StateEnded)
	if rec.State != StateAwaiting || !rec.DurationKnown || rec.DurationS != int64((time.Minute+DefaultRestartGrace/2)/time.Second) {
		t.Fatalf("ended after restart: %s known=%v %ds", rec.State, rec.DurationKnown, rec.DurationS)
	}
	r.advance(DefaultRestartGrace)
	if err := r.core.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	lost := r.get("lost")
	if lost.State != StateLater || lost.DurationKnown {
		t.Fatalf("lost call: %s known=%v, want later with duration unknown", lost.State, lost.DurationKnown)
	}
	if _, err := r.core.Decide(ctx, lost.ID, Decision{Billable: true}); !errors.Is(err, ErrDurationUnknown) {
		t.Fatalf("decide without a duration: %v, want ErrDurationUnknown", err)
	}
	d := 7 * time.Minute
	if rec, err := r.core.Decide(ctx, lost.ID, Decision{Billable: true, Duration: &d}); err != nil || rec.DurationS != 420 {
		t.Fatalf("decide with a duration: %+v %v", rec, err)
	}
}

func TestDecidedButNotQueuedIsQueuedOnceAtStart(t *testing.T) {
	r := newRig(t)
	ctx := t.Context()
	r.event("c1", ann, tapi.StateRinging)
	r.event("c1", ann, tapi.StateAnswered)
	rec := r.event("c1", ann, tapi.StateEnded)
	// Killed between the decision and the outbox.
	if _, err := r.ledger.Mutate(ctx, rec.ID, func(x *Record) (Change, error) {
		x.Decided, x.Billable, x.EventID = true, true, eventID(*x)
		return Change{Action: ActDecide}, nil
	}); err != nil {
		t.Fatal(err)
	}
	r.open()
	r.open()
	if its := r.items(); len(its) != 1 || !its[0].Billable {
		t.Fatalf("outbox after two restarts = %d items, want 1 billable", len(its))
	}
	if rec := r.get("c1"); rec.OutboxID == 0 {
		t.Fatal("the record does not know its outbox item")
	}
}

func TestPausedCallsWaitInReview(t *testing.T) {
	r := newRig(t)
	r.set(func(s *settings.Settings) { s.PausePopups = true })
	r.event("p", ann, tapi.StateRinging)
	if r.lastUpdate().Pop {
		t.Fatal("a ringing call popped while paused")
	}
	r.event("p", ann, tapi.StateAnswered)
	r.event("p", ann, tapi.StateEnded)
	if rec := r.get("p"); rec.State != StateLater || rec.Reason != "pop-ups paused" {
		t.Fatalf("paused call: %s %q, want later 'pop-ups paused'", rec.State, rec.Reason)
	}
}

func TestPopOnAnswer(t *testing.T) {
	r := newRig(t)
	r.set(func(s *settings.Settings) { s.PopTiming = settings.PopOnAnswer })
	r.event("a", ann, tapi.StateRinging)
	if r.lastUpdate().Pop {
		t.Fatal("pop on answer: the ringing call popped")
	}
	r.event("a", ann, tapi.StateAnswered)
	if !r.lastUpdate().Pop {
		t.Fatal("pop on answer: the answered call did not pop")
	}
}

func TestUnconfirmedCallsMoveToReview(t *testing.T) {
	r := newRig(t)
	r.set(func(s *settings.Settings) { s.ConfirmWithinMinutes = 3 })
	r.event("u", ann, tapi.StateRinging)
	r.event("u", ann, tapi.StateAnswered)
	r.event("u", ann, tapi.StateEnded)
	r.advance(2 * time.Minute)
	if err := r.core.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rec := r.get("u"); rec.State != StateAwaiting {
		t.Fatalf("after 2 min: %s, want awaiting_decision", rec.State)
	}
	r.advance(time.Minute)
	if err := r.core.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rec := r.get("u"); rec.State != StateLater || rec.Reason != "not confirmed within 3 min" {
		t.Fatalf("after 3 min: %s %q, want later", rec.State, rec.Reason)
	}
}

func TestMissedCallsAreFiledOnlyWhenConfident(t *testing.T) {
	tests := []struct {
		number          string
		contact, matter int64
	}{
		{ann, 7, 70},  // exact match, its only open matter
		{weak, 0, 0},  // a weak match is never filed on its own
		{firm, 0, 0},  // the firm's own number is nobody
		{other, 0, 0}, // unknown
	}
	for _, tt := range tests {
		r := newRig(t)
		r.event("m", tt.number, tapi.StateRinging)
		rec := r.event("m", tt.number, tapi.StateEnded)
		rec = r.get("m")
		if rec.Kind != KindMissed || rec.State != StateQueued || rec.ContactID != tt.contact || rec.MatterID != tt.matter {
			t.Errorf("missed call from %s: %s %s contact %d matter %d; want missed queued %d %d",
				tt.number, rec.Kind, rec.State, rec.ContactID, rec.MatterID, tt.contact, tt.matter)
		}
		if tt.matter != 0 && rec.MatterReason == "" {
			t.Errorf("missed call from %s: no reason stored for the matter", tt.number)
		}
	}
}

func TestMissedCallLoggingIsLive(t *testing.T) {
	r := newRig(t)
	r.set(func(s *settings.Settings) { s.LogMissedCalls = false })
	r.event("m1", ann, tapi.StateRinging)
	r.event("m1", ann, tapi.StateEnded)
	if rec := r.get("m1"); rec.State != StateMissed {
		t.Fatalf("logging off: %s, want missed", rec.State)
	}
	r.set(func(s *settings.Settings) { s.LogMissedCalls = true })
	r.event("m2", ann, tapi.StateRinging)
	r.event("m2", ann, tapi.StateEnded)
	if rec := r.get("m2"); rec.State != StateQueued {
		t.Fatalf("logging on again: %s, want queued", rec.State)
	}
}

func TestDiscardAndUndo(t *testing.T) {
	r := newRig(t)
	ctx := t.Context()
	r.event("d", ann, tapi.StateRinging)
	r.event("d", ann, tapi.StateAnswered)
	rec := r.event("d", ann, tapi.StateEnded)
	if _, err := r.core.Later(ctx, rec.ID, "Esc on the pop"); err != nil {
		t.Fatal(err)
	}
	if rec, _ = r.core.Discard(ctx, rec.ID, ""); rec.State != StateDiscarded || rec.DiscardedAt.IsZero() {
		t.Fatalf("discard: %+v", rec)
	}
	if rec, _ = r.core.Undo(ctx, rec.ID); rec.State != StateLater {
		t.Fatalf("undo: %s, want later", rec.State)
	}
	h, err := r.ledger.History(ctx, rec.ID)
	if err != nil || len(h) < 5 {
		t.Fatalf("history = %v, %v", h, err)
	}
	if len(r.items()) != 0 {
		t.Fatal("a discarded call reached the outbox")
	}
}

func TestOutcomeAndHealth(t *testing.T) {
	r := newRig(t)
	ctx := t.Context()
	r.event("o", ann, tapi.StateRinging)
	r.event("o", ann, tapi.StateAnswered)
	rec := r.event("o", ann, tapi.StateEnded)
	rec, err := r.core.Decide(ctx, rec.ID, Decision{})
	if err != nil {
		t.Fatal(err)
	}
	it, _ := r.outbox.Get(ctx, rec.OutboxID)
	down := errors.New("connection refused")
	r.core.Outcome(ctx, it, down)
	if !r.core.Health.Status().Online {
		t.Fatal("offline after one failure")
	}
	r.advance(OfflineAfter)
	r.core.Outcome(ctx, it, down)
	if r.core.Health.Status().Online {
		t.Fatal("still online after failing for OfflineAfter")
	}
	it.State, it.CommunicationID = queue.StateDelivered, 99
	r.core.Outcome(ctx, it, nil)
	if !r.core.Health.Status().Online {
		t.Fatal("not online after a success")
	}
	if got := r.get("o"); got.State != StateDelivered || got.CommunicationID != 99 {
		t.Fatalf("after delivery: %s comm %d", got.State, got.CommunicationID)
	}
	r.core.Outcome(ctx, it, queue.ErrAuth)
	if !r.core.Health.Status().SignInNeeded {
		t.Fatal("no sign-in needed after ErrAuth")
	}
}

func TestRecordsTheNumberInE164(t *testing.T) {
	r := newRig(t)
	rec, _, err := r.core.HandleEvent(t.Context(), tapi.Event{Source: "hook", State: tapi.StateRinging, Remote: ann, At: r.now()})
	if err != nil {
		t.Fatal(err)
	}
	if rec.E164 != ann || rec.Number != ann {
		t.Fatalf("record number %q e164 %q, want both %q", rec.Number, rec.E164, ann)
	}
}

func TestNoteOnALoggedMissedCall(t *testing.T) {
	r := newRig(t)
	ctx := t.Context()
	r.event("n", ann, tapi.StateRinging)
	rec := r.event("n", ann, tapi.StateEnded)
	rec = r.get("n")
	for range 2 { // the same note twice is one item
		if _, err := r.core.AddNote(ctx, rec.ID, "  call back after 3  "); err != nil {
			t.Fatal(err)
		}
	}
	var notes []queue.Item
	for _, it := range r.items() {
		if it.Kind == queue.KindNote {
			notes = append(notes, it)
		}
	}
	if got := r.get("n").Note; got != "call back after 3" {
		t.Errorf("ledger note = %q, want the note once", got)
	}
	if len(notes) != 1 || notes[0].RefEventID != rec.EventID || notes[0].Text != "call back after 3" {
		t.Fatalf("note items = %+v, want one for %s", notes, rec.EventID)
	}
	if _, err := r.core.AddNote(ctx, rec.ID, " "); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty note: %v, want ErrInvalid", err)
	}
}

func TestMatterAssociationForEveryKind(t *testing.T) {
	for _, on := range []bool{true, false} {
		r := newRig(t)
		r.set(func(s *settings.Settings) { s.MatterAssociation = on })
		ctx := t.Context()
		sms, err := r.core.HandleMessage(ctx, tapi.Message{Source: "hook", ID: "s1", Remote: ann, RemoteE164: ann,
			Text: "running late", At: r.now()})
		if err != nil {
			t.Fatal(err)
		}
		logged, err := r.core.Log(ctx, Entry{Number: ann, Duration: 4 * time.Minute, At: r.now(), Source: "cli"})
		if err != nil {
			t.Fatal(err)
		}
		weakSMS, err := r.core.HandleMessage(ctx, tapi.Message{Source: "hook", ID: "s2", Remote: weak, RemoteE164: weak,
			Text: "hi", At: r.now()})
		if err != nil {
			t.Fatal(err)
		}
		want := int64(0)
		if on {
			want = 70
		}
		for _, rec := range []Record{sms, logged} {
			if rec.ContactID != 7 || rec.MatterID != want || (on && rec.MatterReason == "") {
				t.Errorf("association %v, %s: contact %d matter %d reason %q; want 7, %d and a reason",
					on, rec.Kind, rec.ContactID, rec.MatterID, rec.MatterReason, want)
			}
		}
		if weakSMS.ContactID != 0 || weakSMS.MatterID != 0 {
			t.Errorf("a weak match was filed: %+v", weakSMS)
		}
	}
}

// TestRejectedCalls: a call declined at the phone is recorded as rejected,
// not missed, and follows the missed-call logging rules; a call nobody
// picked up stays missed.
func TestRejectedCalls(t *testing.T) {
	tests := []struct {
		name      string
		logging   bool
		answered  bool
		direction tapi.Direction
		reason    tapi.EndReason
		wantKind  Kind
		wantState State
		wantItem  queue.Kind // "" when nothing is queued
	}{
		{"declined, logging on", true, false, tapi.DirectionIn, tapi.EndRejected, KindRejected, StateQueued, queue.KindRejected},
		{"declined, logging off", false, false, tapi.DirectionIn, tapi.EndRejected, KindRejected, StateRejected, ""},
		{"nobody picked up, logging on", true, false, tapi.DirectionIn, "", KindMissed, StateQueued, queue.KindMissed},
		{"nobody picked up, logging off", false, false, tapi.DirectionIn, "", KindMissed, StateMissed, ""},
		{"answered, then the end says rejected", true, true, tapi.DirectionIn, tapi.EndRejected, KindCall, StateAwaiting, ""},
		{"outbound, declined by the far end", true, false, tapi.DirectionOut, tapi.EndRejected, KindCall, StateAwaiting, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.set(func(s *settings.Settings) { s.LogMissedCalls = tt.logging })
			ctx := t.Context()
			send := func(st tapi.State, reason tapi.EndReason) {
				t.Helper()
				if _, _, err := r.core.HandleEvent(ctx, tapi.Event{Source: "sip", CallID: "x", State: st, Direction: tt.direction,
					Remote: ann, RemoteE164: ann, At: r.now(), Reason: reason}); err != nil {
					t.Fatal(err)
				}
				r.advance(2 * time.Second)
			}
			send(tapi.StateRinging, "")
			if tt.answered {
				send(tapi.StateAnswered, "")
			}
			send(tapi.StateEnded, tt.reason)
			rec := r.get("x")
			if rec.Kind != tt.wantKind || rec.State != tt.wantState {
				t.Fatalf("record = %s %s, want %s %s", rec.Kind, rec.State, tt.wantKind, tt.wantState)
			}
			if got, want := rec.Rejected(), tt.wantKind == KindRejected; got != want {
				t.Errorf("Rejected() = %v, want %v", got, want)
			}
			its := r.items()
			switch {
			case tt.wantItem == "" && len(its) != 0:
				t.Errorf("outbox = %+v, want nothing queued", its)
			case tt.wantItem != "" && (len(its) != 1 || its[0].Kind != tt.wantItem || rec.OutboxID != its[0].ID):
				t.Errorf("outbox = %+v, want one %s item", its, tt.wantItem)
			}
			if tt.wantItem == queue.KindRejected && (its[0].EventID != "rejected-x-20261207T100000" || its[0].ContactID != 7) {
				t.Errorf("item event id %q contact %d, want rejected-x-20261207T100000 filed under contact 7", its[0].EventID, its[0].ContactID)
			}
			counts, err := r.ledger.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if counts[tt.wantState] != 1 {
				t.Errorf("Counts() = %v, want %s: 1", counts, tt.wantState)
			}
			if !r.core.ShouldPop(rec) {
				t.Errorf("ShouldPop(%s %s) = false, want true (the pop shows it)", rec.Kind, rec.State)
			}
			// A restart keeps what it was, and a repeated end changes nothing.
			r.open()
			send(tapi.StateEnded, "")
			if again := r.get("x"); again.Kind != tt.wantKind || again.State != tt.wantState {
				t.Errorf("after a restart and a repeated end: %s %s, want %s %s", again.Kind, again.State, tt.wantKind, tt.wantState)
			}
		})
	}
}

// TestRejectedCallDecidedInReview: with logging off, a declined call waits
// in Review as rejected and is queued as a rejected item when decided.
func TestRejectedCallDecidedInReview(t *testing.T) {
	r := newRig(t)
	r.set(func(s *settings.Settings) { s.LogMissedCalls = false })
	ctx := t.Context()
	for _, st := range []tapi.State{tapi.StateRinging, tapi.StateEnded} {
		ev := tapi.Event{Source: "hook", CallID: "d", State: st, Remote: other, RemoteE164: other, At: r.now()}
		if st == tapi.StateEnded {
			ev.Reason = tapi.EndRejected
		}
		if _, _, err := r.core.HandleEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	rec := r.get("d")
	if rec.State != StateRejected {
		t.Fatalf("state = %s, want rejected", rec.State)
	}
	rec, err := r.core.Decide(ctx, rec.ID, Decision{Note: "call back tomorrow"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.State != StateQueued || rec.Kind != KindRejected {
		t.Fatalf("decided: %s %s, want queued rejected", rec.State, rec.Kind)
	}
	if its := r.items(); len(its) != 1 || its[0].Kind != queue.KindRejected || its[0].Note != "call back tomorrow" {
		t.Fatalf("outbox = %+v, want one rejected item with the note", its)
	}
}
