package deliver

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

func TestDeliverCallWritesCommunicationAndTimeEntry(t *testing.T) {
	f, c := emulator(t)
	ob := testOutbox(t)
	mustEnqueue(t, ob, sampleCall())
	if res := drainWith(t, ob, New(c, nil)); res.Delivered != 1 {
		t.Fatalf("Drain = %+v; want 1 delivered", res)
	}
	comms, acts := f.Communications(), f.Activities()
	if len(comms) != 1 || len(acts) != 1 {
		t.Fatalf("got %d communications, %d activities; want 1, 1", len(comms), len(acts))
	}
	cm, a := comms[0], acts[0]
	if cm.Type != clio.CommunicationPhone || cm.Subject != "Inbound call from Ann Lee (+12125550142)" {
		t.Errorf("communication = %+v", cm)
	}
	if len(cm.Senders) != 1 || cm.Senders[0].ID == 0 || len(cm.Receivers) != 1 || cm.Receivers[0].Type != clio.ParticipantUser {
		t.Errorf("senders %+v receivers %+v, want contact → user", cm.Senders, cm.Receivers)
	}
	if a.Quantity != 252 || a.NonBillable || a.Communication == nil || a.Communication.ID != cm.ID {
		t.Errorf("time entry = %+v, want 252 s billable linked to %d", a, cm.ID)
	}
	if len(cm.ExternalProperties) != 1 || cm.ExternalProperties[0].Name != EventIDProperty {
		t.Errorf("communication external properties = %+v, want the event id", cm.ExternalProperties)
	}
}

func TestDeliverKinds(t *testing.T) {
	defaults := settings.Default()
	noMatter := defaults
	noMatter.MatterAssociation = false
	minDur := defaults
	minDur.MinDurationS = 300
	tests := []struct {
		name        string
		opts        settings.Settings
		edit        func(*queue.Item)
		wantSubject string
		wantBody    string
		wantEntries int
		wantMatter  bool
	}{
		{"call", defaults, func(*queue.Item) {}, "Inbound call from Ann Lee (+12125550142)", "Duration: 4:12", 1, true},
		{"outbound call", defaults, func(it *queue.Item) { it.Direction = "out" }, "Outbound call to Ann Lee (+12125550142)", "Direction: outbound", 1, true},
		{"missed call", defaults, func(it *queue.Item) { it.Kind, it.DurationS = queue.KindMissed, 0 }, "Missed call from Ann Lee (+12125550142)", "Direction: inbound", 0, true},
		{"rejected call", defaults, func(it *queue.Item) { it.Kind, it.DurationS = queue.KindRejected, 0 }, "Declined call from Ann Lee (+12125550142)", "The call was declined at the phone", 0, true},
		{"sms", defaults, func(it *queue.Item) { it.Kind, it.Text = queue.KindSMS, "Running 10 minutes late" }, "SMS from Ann Lee (+12125550142)", "Running 10 minutes late", 0, true},
		{"short call under the minimum", minDur, func(*queue.Item) {}, "Inbound call from Ann Lee (+12125550142)", "Duration: 4:12", 0, true},
		{"matter association off", noMatter, func(*queue.Item) {}, "Inbound call from Ann Lee (+12125550142)", "Billable: yes", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := emulator(t)
			ob := testOutbox(t)
			it := sampleCall()
			tt.edit(&it)
			mustEnqueue(t, ob, it)
			if res := drainAll(t, ob, c, tt.opts); res.Delivered != 1 {
				t.Fatalf("Drain = %+v, want 1 delivered", res)
			}
			comms, acts := f.Communications(), f.Activities()
			if len(comms) != 1 {
				t.Fatalf("communications = %d, want 1", len(comms))
			}
			cm := comms[0]
			if cm.Subject != tt.wantSubject || !strings.Contains(cm.Body, tt.wantBody) {
				t.Errorf("communication = %q / %q, want %q with %q in the body", cm.Subject, cm.Body, tt.wantSubject, tt.wantBody)
			}
			if got := cm.Matter != nil && cm.Matter.ID == it.MatterID; got != tt.wantMatter {
				t.Errorf("communication matter = %+v, want matter sent %t", cm.Matter, tt.wantMatter)
			}
			if len(acts) != tt.wantEntries {
				t.Fatalf("time entries = %d, want %d", len(acts), tt.wantEntries)
			}
			if tt.wantEntries == 1 && (acts[0].Matter != nil) != tt.wantMatter {
				t.Errorf("time entry matter = %+v, want matter sent %t", acts[0].Matter, tt.wantMatter)
			}
		})
	}
}

// TestDeliverReadsSettingsEachTime: the settings getter is read for every
// item, so a change applies to the next one without a new Writer.
func TestDeliverReadsSettingsEachTime(t *testing.T) {
	f, c := emulator(t)
	ob := testOutbox(t)
	var mu sync.Mutex
	s := settings.Default()
	w := New(c, func() settings.Settings {
		mu.Lock()
		defer mu.Unlock()
		return s
	})
	mustEnqueue(t, ob, sampleCall())
	if res := drainWith(t, ob, w); res.Delivered != 1 {
		t.Fatalf("first Drain = %+v, want 1 delivered", res)
	}
	mu.Lock()
	s.MinDurationS = 600 // the 252 s call is now too short for a time entry
	mu.Unlock()
	second := sampleCall()
	second.StartedAt = second.StartedAt.Add(time.Hour)
	mustEnqueue(t, ob, second)
	if res := drainWith(t, ob, w); res.Delivered != 1 {
		t.Fatalf("second Drain = %+v, want 1 delivered", res)
	}
	if comms, acts := f.Communications(), f.Activities(); len(comms) != 2 || len(acts) != 1 {
		t.Errorf("got %d communications, %d time entries; want 2, 1 (the second under the new minimum)", len(comms), len(acts))
	}
}

// TestDeliverExclusiveContactAssociation: with no contact the item is
// parked with a reason the review list shows; choosing a contact there and
// retrying delivers it.
func TestDeliverExclusiveContactAssociation(t *testing.T) {
	f, c := emulator(t)
	ob := testOutbox(t)
	it := sampleCall()
	contact := it.ContactID
	it.ContactID = 0
	stored := mustEnqueue(t, ob, it)
	opts := settings.Default()
	opts.ExclusiveContactAssociation = true
	if res := drainAll(t, ob, c, opts); res.Failed != 1 {
		t.Fatalf("Drain = %+v, want 1 parked", res)
	}
	got := mustGet(t, ob, stored.ID)
	if want := "not logged: no matching contact (Exclusive Contact Association is on)"; got.LastError != want {
		t.Errorf("reason = %q, want %q", got.LastError, want)
	}
	if n := len(f.Communications()); n != 0 {
		t.Fatalf("communications = %d, want none", n)
	}
	if err := ob.Update(t.Context(), stored.ID, func(x *queue.Item) { x.ContactID = contact }); err != nil {
		t.Fatal(err)
	}
	if err := ob.Requeue(t.Context(), stored.ID); err != nil {
		t.Fatal(err)
	}
	if res := drainAll(t, ob, c, opts); res.Delivered != 1 {
		t.Fatalf("Drain after the edit = %+v, want 1 delivered", res)
	}
	if cm := f.Communications(); len(cm) != 1 || len(cm[0].Senders) != 1 || cm[0].Senders[0].ID != contact {
		t.Errorf("communications = %+v, want one from contact %d", cm, contact)
	}
}

// TestDeliverContactCreation: an unknown caller becomes a Person with the
// caller-ID name and number, recorded as a step; the next item from the
// same number uses that contact instead of making another.
func TestDeliverContactCreation(t *testing.T) {
	f, c := emulator(t)
	ob := testOutbox(t)
	opts := settings.Default()
	opts.ContactCreation = true
	base := queue.Item{Kind: queue.KindCall, Number: "+19075550188", Name: "Dana Whitfield", Direction: "in",
		StartedAt: time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC), DurationS: 90}
	first := mustEnqueue(t, ob, base)
	sms := base
	sms.Kind, sms.Text, sms.DurationS = queue.KindSMS, "thanks", 0
	second := mustEnqueue(t, ob, sms)
	if res := drainAll(t, ob, c, opts); res.Delivered != 2 {
		t.Fatalf("Drain = %+v, want 2 delivered", res)
	}
	a, b := mustGet(t, ob, first.ID), mustGet(t, ob, second.ID)
	if a.ContactID == 0 || !a.ContactCreated || b.ContactID != a.ContactID {
		t.Fatalf("items = %+v / %+v, want one created contact used by both", a, b)
	}
	found, _, err := c.Contacts.List(t.Context(), &clio.ContactListOptions{Query: "+19075550188"})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].ID != a.ContactID || found[0].FirstName != "Dana" || found[0].LastName != "Whitfield" {
		t.Errorf("contacts with the number = %+v, want one Dana Whitfield", found)
	}
	for _, cm := range f.Communications() {
		if len(cm.Senders) != 1 || cm.Senders[0].ID != a.ContactID {
			t.Errorf("communication %q senders = %+v, want contact %d", cm.Subject, cm.Senders, a.ContactID)
		}
	}
}

func TestSplitName(t *testing.T) {
	tests := []struct{ in, first, last string }{
		{"Ann Lee", "Ann", "Lee"},
		{"LEE, ANN", "ANN", "LEE"},
		{"Mary Ann Lee", "Mary Ann", "Lee"},
		{"Lee", "", "Lee"},
		{"  ", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if first, last := SplitName(tt.in); first != tt.first || last != tt.last {
			t.Errorf("SplitName(%q) = %q, %q, want %q, %q", tt.in, first, last, tt.first, tt.last)
		}
	}
}
