package deliver

import (
	"net/http"
	"testing"

	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// commitThenDrop makes the first POST under path reach Clio and be stored
// while its answer never arrives.
func commitThenDrop(path string) fake.Fault {
	return fake.Fault{Method: http.MethodPost, PathPrefix: path, Kind: fake.FaultCommitThenDrop, Times: 1}
}

// TestDeliverAdoptsCommunicationAfterLostAnswer: the first attempt creates
// the communication but its answer is lost, so nothing is recorded. The
// retry must find it by its event id and adopt it, not post again; the
// time entry is then created once and linked to it.
func TestDeliverAdoptsCommunicationAfterLostAnswer(t *testing.T) {
	f, c := emulator(t, commitThenDrop("/api/v4/communications"))
	ob := testOutbox(t)
	stored := mustEnqueue(t, ob, sampleCall())
	w := New(c, fixed(settings.Default()))

	if res := drainWith(t, ob, w); res.Retrying != 1 {
		t.Fatalf("first Drain = %+v, want a retry after the lost answer", res)
	}
	first := mustGet(t, ob, stored.ID)
	if !first.Uncertain || first.CommunicationID != 0 || len(f.Communications()) != 1 {
		t.Fatalf("after the lost answer: item uncertain %t comm %d, Clio has %d communications; want uncertain, nothing recorded, 1 stored",
			first.Uncertain, first.CommunicationID, len(f.Communications()))
	}
	if res := drainWith(t, ob, w); res.Delivered != 1 {
		t.Fatalf("second Drain = %+v, want 1 delivered", res)
	}
	comms, acts := f.Communications(), f.Activities()
	if len(comms) != 1 {
		t.Fatalf("communications = %d, want exactly 1: the earlier one adopted", len(comms))
	}
	got := mustGet(t, ob, stored.ID)
	if got.State != queue.StateDelivered || got.CommunicationID != comms[0].ID {
		t.Errorf("item = %s comm %d, want delivered with the adopted communication %d", got.State, got.CommunicationID, comms[0].ID)
	}
	if len(acts) != 1 || acts[0].Communication == nil || acts[0].Communication.ID != comms[0].ID {
		t.Errorf("time entries = %+v, want one linked to communication %d", acts, comms[0].ID)
	}
}

// TestDeliverAdoptsTimeEntryAfterLostAnswer: the communication is created
// and recorded, then the time entry is created but its answer is lost. The
// retry must find the entry by its communication and adopt it: Clio holds
// exactly one time entry and the item records it.
func TestDeliverAdoptsTimeEntryAfterLostAnswer(t *testing.T) {
	f, c := emulator(t, commitThenDrop("/api/v4/activities"))
	ob := testOutbox(t)
	stored := mustEnqueue(t, ob, sampleCall())
	w := New(c, fixed(settings.Default()))

	if res := drainWith(t, ob, w); res.Retrying != 1 {
		t.Fatalf("first Drain = %+v, want a retry after the lost answer", res)
	}
	first := mustGet(t, ob, stored.ID)
	if !first.Uncertain || first.CommunicationID == 0 || first.ActivityID != 0 || len(f.Activities()) != 1 {
		t.Fatalf("after the lost answer: item uncertain %t comm %d act %d, Clio has %d time entries; want uncertain, the communication recorded, 1 entry stored",
			first.Uncertain, first.CommunicationID, first.ActivityID, len(f.Activities()))
	}
	if res := drainWith(t, ob, w); res.Delivered != 1 {
		t.Fatalf("second Drain = %+v, want 1 delivered", res)
	}
	acts := f.Activities()
	if len(acts) != 1 {
		t.Fatalf("time entries = %d, want exactly 1: the earlier one adopted", len(acts))
	}
	got := mustGet(t, ob, stored.ID)
	if got.State != queue.StateDelivered || got.ActivityID != acts[0].ID {
		t.Errorf("item = %s act %d, want delivered with the adopted time entry %d", got.State, got.ActivityID, acts[0].ID)
	}
	if n := len(f.Communications()); n != 1 {
		t.Errorf("communications = %d, want 1", n)
	}
}
