package deliver

import (
	"net/http"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// missedCall is a missed call from the sample contact, with a known event
// id for notes to refer to.
func missedCall(eventID string) queue.Item {
	it := sampleCall()
	it.Kind, it.DurationS, it.Note, it.EventID = queue.KindMissed, 0, "", eventID
	return it
}

func note(eventID, ref, text string, contact int64) queue.Item {
	return queue.Item{EventID: eventID, Kind: queue.KindNote, RefEventID: ref, Text: text, ContactID: contact}
}

// patches counts the PATCH requests the emulator saw.
func patches(f *fake.Server) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Method == http.MethodPatch {
			n++
		}
	}
	return n
}

// TestDeliverNote: a note on a missed call already logged updates that
// communication's body; a second note is added after it; the same note
// again changes nothing.
func TestDeliverNote(t *testing.T) {
	f, c := emulator(t)
	ob := testOutbox(t)
	w := New(c, fixed(settings.Default()))
	missed := missedCall("cd-missed-1")
	mustEnqueue(t, ob, missed)
	if res := drainWith(t, ob, w); res.Delivered != 1 {
		t.Fatalf("Drain(missed) = %+v, want 1 delivered", res)
	}
	original := f.Communications()[0].Body

	steps := []struct {
		eventID, text string
		wantBody      string
		wantPatches   int
	}{
		{"n-1", "Wants a call back about the lease", original + "\n\nNote: Wants a call back about the lease", 1},
		{"n-2", "Wants a call", original + "\n\nNote: Wants a call back about the lease\n\nNote: Wants a call", 2},
		{"n-3", "  Wants a call back about the lease ", original + "\n\nNote: Wants a call back about the lease\n\nNote: Wants a call", 2},
	}
	for _, st := range steps {
		n := mustEnqueue(t, ob, note(st.eventID, "cd-missed-1", st.text, missed.ContactID))
		if res := drainWith(t, ob, w); res.Delivered != 1 {
			t.Fatalf("Drain(note %s) = %+v, want 1 delivered", st.eventID, res)
		}
		comms := f.Communications()
		if len(comms) != 1 || comms[0].Body != st.wantBody {
			t.Fatalf("after note %s: communications = %d, body %q; want 1 with body %q", st.eventID, len(comms), comms[0].Body, st.wantBody)
		}
		if got := patches(f); got != st.wantPatches {
			t.Errorf("after note %s: %d PATCH requests, want %d", st.eventID, got, st.wantPatches)
		}
		if got := mustGet(t, ob, n.ID); got.State != queue.StateDelivered || got.CommunicationID != comms[0].ID {
			t.Errorf("note item = %s comm %d, want delivered on communication %d", got.State, got.CommunicationID, comms[0].ID)
		}
	}
}

// TestDeliverNoteWaitsForItsCall: a note whose call is not in Clio yet is
// retried, not parked, and lands once the call is delivered.
func TestDeliverNoteWaitsForItsCall(t *testing.T) {
	f, c := emulator(t)
	ob := testOutbox(t)
	w := New(c, fixed(settings.Default()))
	n := mustEnqueue(t, ob, note("n-early", "cd-missed-2", "call back", 0))
	if res := drainWith(t, ob, w); res.Retrying != 1 {
		t.Fatalf("Drain(note first) = %+v, want a retry", res)
	}
	if got := mustGet(t, ob, n.ID); got.State != queue.StatePending || got.LastError != ErrNoteTargetMissing.Error() {
		t.Errorf("note before its call = %s %q, want pending with %q", got.State, got.LastError, ErrNoteTargetMissing)
	}
	mustEnqueue(t, ob, missedCall("cd-missed-2"))
	for range 3 {
		drainWith(t, ob, w)
	}
	if got := mustGet(t, ob, n.ID); got.State != queue.StateDelivered {
		t.Fatalf("note after its call = %s %q, want delivered", got.State, got.LastError)
	}
	if comms := f.Communications(); len(comms) != 1 || !strings.HasSuffix(comms[0].Body, "\n\nNote: call back") {
		t.Errorf("communications = %+v, want one ending with the note", comms)
	}
}

// TestDeliverNoteAfterLostAnswer: the PATCH reaches Clio but its answer is
// lost. The retry sees the note already in the body and sends nothing.
func TestDeliverNoteAfterLostAnswer(t *testing.T) {
	f, c := emulator(t)
	ob := testOutbox(t)
	w := New(c, fixed(settings.Default()))
	mustEnqueue(t, ob, missedCall("cd-missed-3"))
	drainWith(t, ob, w)
	f.InjectFaults(fake.Fault{Method: http.MethodPatch, PathPrefix: "/api/v4/communications/", Kind: fake.FaultCommitThenDrop, Times: 1})
	n := mustEnqueue(t, ob, note("n-lost", "cd-missed-3", "call back", 0))
	if res := drainWith(t, ob, w); res.Retrying != 1 {
		t.Fatalf("first Drain = %+v, want a retry after the lost answer", res)
	}
	if got := mustGet(t, ob, n.ID); !got.Uncertain {
		t.Errorf("note after a lost PATCH answer: uncertain = false, want true")
	}
	if res := drainWith(t, ob, w); res.Delivered != 1 {
		t.Fatalf("second Drain = %+v, want 1 delivered", res)
	}
	body := f.Communications()[0].Body
	if strings.Count(body, "Note: call back") != 1 {
		t.Errorf("body = %q, want the note exactly once", body)
	}
	if got := patches(f); got != 1 {
		t.Errorf("PATCH requests = %d, want 1 (the retry sends none)", got)
	}
}

func TestHasNote(t *testing.T) {
	tests := []struct {
		body, text string
		want       bool
	}{
		{"Logged by CallDocket\n\nNote: call back", "call back", true},
		{"Logged by CallDocket\n\nNote: call back\n\nNote: urgent", "call back", true},
		{"Logged by CallDocket\n\nNote: call back", "call", false},
		{"Logged by CallDocket\n\nNote: call\n\nNote: call back", "call back", true},
		{"Logged by CallDocket\nNote: call back", "call back", false}, // the item's own note line
		{"Logged by CallDocket", "call back", false},
		{"", "x", false},
		{"a\n\nNote: x\r\n", "x", true},
	}
	for _, tt := range tests {
		if got := hasNote(tt.body, tt.text); got != tt.want {
			t.Errorf("hasNote(%q, %q) = %t, want %t", tt.body, tt.text, got, tt.want)
		}
	}
}
