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
		{ID: 11, Kind: "call", State: StateUnconfirmed, Who: "Jordan Lee", Number: "(212) 555-0123", When: at,
			Duration: 4*time.Minute + 12*time.Second, ContactID: 7, MatterID: 42, Matter: "00042-Lee · Lease dispute", Callers: lee},
		{ID: 12, Kind: "missed", State: StateUnconfirmed, Number: "+44 20 7946 0958", When: at.Add(time.Hour)},
		{ID: 13, Kind: "sms", State: "pending", Who: "Jordan Lee", Number: "(212) 555-0123", When: at.Add(2 * time.Hour), Note: "Running late"},
		{ID: 14, Kind: "fax", State: "delivered", Who: "Lee Bakery LLC", Number: "(212) 555-0150", When: at.Add(3 * time.Hour)},
		{ID: 15, Kind: "call", State: "failed", Who: "Jordan Lee", Number: "(212) 555-0123", When: at.Add(4 * time.Hour),
			Duration: time.Minute, Billable: true, ContactID: 7, MatterID: 41, Callers: lee,
			Error: "clio: 422 Unprocessable Entity: matter is closed"},
	}
}

type reviewCalls struct {
	confirmed map[int64]ReviewEdit
	retried   []int64
	discarded []int64
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
		MarkNonBillable: func(ids []int64) { rc.marked = append(rc.marked, ids) },
		Contacts:        directory(),
		Matters:         directory(),
	})
	r.SetItems(kindItems())
	w := test.NewTempWindow(t, r.Content())
	w.Resize(fyne.NewSize(560, 900))
	return r, w, rc
}

func TestReviewKinds(t *testing.T) {
	r, w, rc := newTestReview(t)
	test.AssertRendersToMarkup(t, "review_kinds.xml", w.Canvas())
	if want := "2 to confirm · 1 call waiting · 1 failed"; r.count.Text != want {
		t.Errorf("count = %q, want %q", r.count.Text, want)
	}
	// Buttons per kind and state.
	for _, tt := range []struct {
		id                          int64
		edit, confirm, retry, discd bool
	}{
		{11, true, true, false, true},
		{12, true, true, false, true},
		{13, false, false, false, true},
		{14, false, false, false, false},
		{15, true, false, true, true},
	} {
		if (r.edit[tt.id] != nil) != tt.edit || (r.confirm[tt.id] != nil) != tt.confirm ||
			(r.retry[tt.id] != nil) != tt.retry || (r.discard[tt.id] != nil) != tt.discd {
			t.Errorf("item %d buttons edit/confirm/retry/discard = %v/%v/%v/%v, want %v/%v/%v/%v", tt.id,
				r.edit[tt.id] != nil, r.confirm[tt.id] != nil, r.retry[tt.id] != nil, r.discard[tt.id] != nil,
				tt.edit, tt.confirm, tt.retry, tt.discd)
		}
	}
	test.Tap(r.confirm[11])
	if e := rc.confirmed[11]; e != (ReviewEdit{ContactID: 7, MatterID: 42}) {
		t.Errorf("Confirm(11) = %+v, want contact 7 matter 42 non-billable", e)
	}
	test.Tap(r.retry[15])
	test.Tap(r.discard[13])
	if len(rc.retried) != 1 || rc.retried[0] != 15 || len(rc.discarded) != 1 || rc.discarded[0] != 13 {
		t.Errorf("retried %v discarded %v, want [15] [13]", rc.retried, rc.discarded)
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
	want := ReviewEdit{ContactID: 31, MatterID: 500, Billable: true, Note: "Called back"}
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
