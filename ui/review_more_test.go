package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func kindItems() []ReviewItem {
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	lee := knownCall().Callers
	return []ReviewItem{
		{ID: 11, Kind: "call", State: StateLater, Who: "Jordan Lee", Number: "(212) 555-0123", When: at,
			Duration: 4*time.Minute + 12*time.Second, ContactID: 7, MatterID: 42, Matter: "00042-Lee · Lease dispute", Callers: lee,
			Reason: "Esc on the pop"},
		{ID: 12, Kind: "missed", State: StateMissed, Number: "+44 20 7946 0958", When: at.Add(time.Hour),
			Reason: "missed-call logging is off"},
		{ID: 13, Kind: "sms", State: StateQueued, Who: "Jordan Lee", Number: "(212) 555-0123", When: at.Add(2 * time.Hour), Note: "Running late"},
		{ID: 14, Kind: "fax", State: StateDelivered, Who: "Lee Bakery LLC", Number: "(212) 555-0150", When: at.Add(3 * time.Hour)},
		{ID: 15, Kind: "call", State: StateFailed, Who: "Jordan Lee", Number: "(212) 555-0123", When: at.Add(4 * time.Hour),
			Duration: time.Minute, Billable: true, ContactID: 7, MatterID: 41, Callers: lee,
			Error: "clio: 422 Unprocessable Entity: matter is closed", Reason: "the matter is closed"},
		{ID: 16, Kind: "call", State: StateAwaitingDecision, Who: "Priya Shah", Number: "(212) 555-0177", When: at.Add(5 * time.Hour),
			DurationUnknown: true, Reason: "CallDocket was closed during the call"},
		{ID: 17, Kind: "call", State: StateDiscarded, Who: "Sam Lee", Number: "(212) 555-0199", When: at.Add(6 * time.Hour),
			Duration: 30 * time.Second, Reason: "Discarded Tue 24 Nov 16:00 — a wrong number"},
	}
}

type reviewCalls struct {
	confirmed map[int64]ReviewEdit
	retried   []int64
	discarded []int64
	undone    []int64
	marked    [][]int64
}

func newTestReview(t *testing.T) (*Review, fyne.Window, *reviewCalls) {
	t.Helper()
	test.NewTempApp(t)
	rc := &reviewCalls{confirmed: map[int64]ReviewEdit{}}
	r := NewReviewList(ReviewActions{
		Confirm:         func(id int64, e ReviewEdit) { rc.confirmed[id] = e },
		Retry:           func(id int64) { rc.retried = append(rc.retried, id) },
		Discard:         func(id int64) { rc.discarded = append(rc.discarded, id) },
		Undo:            func(id int64) { rc.undone = append(rc.undone, id) },
		MarkNonBillable: func(ids []int64) { rc.marked = append(rc.marked, ids) },
		Contacts:        directory(),
		Matters:         directory(),
	})
	r.SetItems(kindItems())
	w := test.NewTempWindow(t, r.Content())
	w.Resize(fyne.NewSize(560, 1200))
	return r, w, rc
}

func TestReviewKinds(t *testing.T) {
	r, w, rc := newTestReview(t)
	test.AssertRendersToMarkup(t, "review_kinds.xml", w.Canvas())
	if want := "2 waiting for your decision · 1 waiting to reach Clio · 1 refused by Clio · 1 missed call not logged"; r.count.Text != want {
		t.Errorf("count = %q, want %q", r.count.Text, want)
	}
	// Buttons per kind and state.
	for _, tt := range []struct {
		id                                int64
		edit, confirm, retry, discd, undo bool
	}{
		{11, true, true, false, true, false},
		{12, false, false, false, false, false},
		{13, false, false, false, false, false},
		{14, false, false, false, false, false},
		{15, true, false, true, true, false},
		{16, true, true, false, true, false},
		{17, false, false, false, false, true},
	} {
		if (r.edit[tt.id] != nil) != tt.edit || (r.confirm[tt.id] != nil) != tt.confirm ||
			(r.retry[tt.id] != nil) != tt.retry || (r.discard[tt.id] != nil) != tt.discd || (r.undo[tt.id] != nil) != tt.undo {
			t.Errorf("item %d buttons edit/confirm/retry/discard/undo = %v/%v/%v/%v/%v, want %v/%v/%v/%v/%v", tt.id,
				r.edit[tt.id] != nil, r.confirm[tt.id] != nil, r.retry[tt.id] != nil, r.discard[tt.id] != nil, r.undo[tt.id] != nil,
				tt.edit, tt.confirm, tt.retry, tt.discd, tt.undo)
		}
	}
	test.Tap(r.confirm[11])
	if e := rc.confirmed[11]; e != (ReviewEdit{ContactID: 7, MatterID: 42, Duration: 4*time.Minute + 12*time.Second}) {
		t.Errorf("Confirm(11) = %+v, want contact 7 matter 42 non-billable 4:12", e)
	}
	test.Tap(r.retry[15])
	test.Tap(r.discard[11])
	test.Tap(r.undo[17])
	if len(rc.retried) != 1 || rc.retried[0] != 15 || len(rc.discarded) != 1 || rc.discarded[0] != 11 ||
		len(rc.undone) != 1 || rc.undone[0] != 17 {
		t.Errorf("retried %v discarded %v undone %v, want [15] [11] [17]", rc.retried, rc.discarded, rc.undone)
	}
}

func TestReviewDurationUnknown(t *testing.T) {
	r, w, rc := newTestReview(t)
	ed := r.editors[16]
	if ed == nil || ed.duration == nil || r.editors[11].duration != nil {
		t.Fatalf("duration entry: item 16 %v, item 11 %v; want only for the unknown duration", ed, r.editors[11].duration)
	}
	// Confirm without a duration opens the editor with the problem shown.
	test.Tap(r.confirm[16])
	if _, ok := rc.confirmed[16]; ok {
		t.Fatalf("Confirm without a duration confirmed: %+v", rc.confirmed[16])
	}
	if !ed.box.Visible() || !ed.durationErr.Visible() || w.Canvas().Focused() != ed.duration {
		t.Errorf("editor visible %v, error visible %v, focus %v; want the duration asked for",
			ed.box.Visible(), ed.durationErr.Visible(), w.Canvas().Focused())
	}
	if want := "⚠ " + message(ErrDuration); ed.durationErr.Text != want {
		t.Errorf("error = %q, want %q", ed.durationErr.Text, want)
	}
	test.AssertRendersToMarkup(t, "review_duration.xml", w.Canvas())
	test.Tap(ed.save)
	if _, ok := rc.confirmed[16]; ok {
		t.Fatalf("Save without a duration confirmed")
	}
	test.Type(ed.duration, "4:12")
	if ed.durationErr.Visible() {
		t.Errorf("error still shown after a valid duration")
	}
	test.Tap(ed.save)
	if got := rc.confirmed[16]; got.Duration != 4*time.Minute+12*time.Second {
		t.Errorf("Confirm(16) = %+v, want duration 4:12", got)
	}
	// It cannot be bulk-marked, which would skip the duration.
	if r.checks[16] != nil {
		t.Errorf("item 16 selectable for the bulk action")
	}
}

func TestReviewEdit(t *testing.T) {
	r, w, rc := newTestReview(t)
	test.Tap(r.edit[11])
	ed := r.editors[11]
	if !ed.box.Visible() || w.Canvas().Focused() != ed.contactFind {
		t.Fatalf("editor visible %v focus %v, want visible with the contact search focused", ed.box.Visible(), w.Canvas().Focused())
	}
	if ed.contact.Selected != "Jordan Lee · Lee Bakery LLC" || ed.matter.Selected != "00042-Lee · Lease dispute" {
		t.Errorf("editor starts at %q / %q, want the entry's contact and matter", ed.contact.Selected, ed.matter.Selected)
	}
	test.AssertRendersToMarkup(t, "review_edit.xml", w.Canvas())

	test.Type(ed.contactFind, "priya")
	if ed.contact.Selected != "Priya Shah · Shah Imports" || ed.matter.Selected != "00310-Shah · Customs appeal" {
		t.Errorf("after search: %q / %q, want Priya Shah and her matter", ed.contact.Selected, ed.matter.Selected)
	}
	test.Type(ed.matterFind, "zoning")
	if ed.matter.Selected != "00500-Ortiz · Zoning variance — Ana Ortiz" {
		t.Errorf("matter after search = %q, want the searched matter", ed.matter.Selected)
	}
	test.Tap(ed.billable)
	test.Type(ed.note, "Called back")
	test.Tap(ed.save)
	want := ReviewEdit{ContactID: 31, MatterID: 500, Billable: true, Note: "Called back", Duration: 4*time.Minute + 12*time.Second}
	if got := rc.confirmed[11]; got != want {
		t.Errorf("Confirm(11) = %+v, want %+v", got, want)
	}
	if r.editors[15].save.Text != "Save and retry" {
		t.Errorf("failed entry's save = %q, want %q", r.editors[15].save.Text, "Save and retry")
	}
	test.Tap(r.edit[11])
	if ed.box.Visible() {
		t.Errorf("editor still visible after Close editor")
	}
}

func TestReviewBulk(t *testing.T) {
	r, w, rc := newTestReview(t)
	if !r.bulk.Disabled() {
		t.Errorf("bulk enabled with nothing selected")
	}
	if len(r.checks) != 2 || r.checks[11] == nil || r.checks[15] == nil {
		t.Fatalf("checks = %v, want for calls 11 and 15 only", r.checks)
	}
	// Keyboard: Tab reaches "Select all" first, Space ticks it.
	test.FocusNext(w.Canvas())
	if w.Canvas().Focused() != r.selectAll {
		t.Fatalf("first focus = %v, want Select all", w.Canvas().Focused())
	}
	test.Type(r.selectAll, " ")
	if got := r.Selected(); len(got) != 2 || r.bulk.Text != "Mark 2 non-billable" {
		t.Fatalf("Selected() = %v bulk %q, want 2", got, r.bulk.Text)
	}
	test.Tap(r.checks[15])
	test.Tap(r.bulk)
	if len(rc.marked) != 1 || len(rc.marked[0]) != 1 || rc.marked[0][0] != 11 {
		t.Errorf("marked = %v, want [[11]]", rc.marked)
	}
	r.SetItems(kindItems()[:1])
	if got := r.Selected(); len(got) != 1 || !r.checks[11].Checked {
		t.Errorf("after SetItems Selected() = %v, want [11] kept", got)
	}
}
