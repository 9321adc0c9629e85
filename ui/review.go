package ui

import (
	"sort"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Call ledger states, as ReviewItem.State carries them. ui knows them by
// name only: the app turns ledger records into ReviewItems.
const (
	StateRinging          = "ringing"
	StateAnswered         = "answered"
	StateAwaitingDecision = "awaiting_decision" // ended, the pop asks billable or not
	StateMissed           = "missed"            // a missed call that is not logged
	StateRejected         = "rejected"          // a call declined at the phone, not logged
	StateLater            = "later"             // Esc on the pop, or not decided in time
	StateQueued           = "queued"            // decided, waiting to reach Clio
	StateDelivered        = "delivered"
	StateFailed           = "failed" // Clio refused it
	StateDiscarded        = "discarded"
)

// Record kinds, as ReviewItem.Kind carries them.
const (
	KindCall     = "call"
	KindMissed   = "missed"
	KindRejected = "rejected" // a call declined at the phone
	KindSMS      = "sms"
	KindFax      = "fax"
)

// ReviewItem is one entry of the review list: a call waiting for a
// decision, a missed call, an SMS or a fax, waiting to reach Clio,
// refused by Clio, delivered or discarded.
type ReviewItem struct {
	ID       int64
	Kind     string // Kind*: "call", "missed", "rejected", "sms", "fax"
	State    string // a ledger state, State*
	Who      string // contact name, "" when unknown
	Number   string // formatted for display
	When     time.Time
	Duration time.Duration
	// DurationUnknown: the call's end was never seen (CallDocket was
	// closed during the call). The row says so, and the editor asks for
	// the duration before Confirm.
	DurationUnknown bool
	Billable        bool
	Error           string // the last delivery error, as stored
	// Reason says why the entry is here: "Esc on the pop", "not confirmed
	// within 10 min", "pop-ups paused", "CallDocket was closed during the
	// call", Clio's refusal, or, for a discarded entry, when and why.
	Reason string

	// What the editor starts from and offers.
	ContactID int64
	MatterID  int64
	Matter    string   // the matter's label, "" when none
	Note      string   //
	Callers   []Caller // contacts matching the number, with their matters
}

// ReviewEdit is what the editor hands back with Confirm.
type ReviewEdit struct {
	ContactID int64
	MatterID  int64
	Billable  bool
	Note      string
	// Duration is the talk time: the one the attorney entered for an
	// entry whose duration was unknown, else the entry's own.
	Duration time.Duration
}

// ReviewActions are the review list's callbacks; a nil one hides its
// buttons. Contacts and Matters (may be nil) power the editor's searches.
type ReviewActions struct {
	Confirm         func(id int64, e ReviewEdit) // decide an undecided entry, or save a failed one's edits and retry
	Retry           func(id int64)               // send a failed entry again
	Discard         func(id int64)               // throw an undecided or failed entry away (it stays listed)
	Undo            func(id int64)               // bring a discarded entry back
	MarkNonBillable func(ids []int64)
	Contacts        Searcher
	Matters         MatterSearcher
}

// Review is the "Review calls" window content: what waits for a
// decision, what is waiting to reach Clio, what Clio refused and why, and
// what was discarded (greyed, with Undo). Undecided and refused entries
// can be edited and confirmed, retried or discarded; several can be
// marked non-billable at once. Everything is reachable with Tab, Space
// and Enter.
type Review struct {
	actions ReviewActions
	items   []ReviewItem
	list    *fyne.Container
	count   *widget.Label
	root    *fyne.Container

	selectAll *widget.Check
	bulk      *widget.Button
	selected  map[int64]bool

	retry   map[int64]*widget.Button
	confirm map[int64]*widget.Button
	discard map[int64]*widget.Button
	undo    map[int64]*widget.Button
	edit    map[int64]*widget.Button
	checks  map[int64]*widget.Check
	editors map[int64]*reviewEditor
}

// emptyReview is the message shown when there is nothing to review.
const emptyReview = "Nothing waiting — every call is logged"

// NewReview builds an empty review whose only action is Retry; onRetry
// (may be nil) gets the ID of a failed entry.
func NewReview(onRetry func(id int64)) *Review {
	return NewReviewList(ReviewActions{Retry: onRetry})
}

// NewReviewList builds an empty review with every action of a.
func NewReviewList(a ReviewActions) *Review {
	r := &Review{actions: a, list: container.NewVBox(), count: widget.NewLabel(""), selected: map[int64]bool{}}
	r.count.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle("Review calls", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.selectAll = widget.NewCheck("Select all", r.setAll)
	r.bulk = widget.NewButton("Mark selected non-billable", r.markSelected)
	r.bulk.Disable()
	bar := container.NewHBox(r.selectAll, r.bulk)
	if a.MarkNonBillable == nil {
		bar.Hide()
	}
	r.root = border(container.NewVBox(title, r.count, bar, widget.NewSeparator()), nil, container.NewVScroll(r.list))
	r.SetItems(nil)
	return r
}

// Content is the review's canvas object.
func (r *Review) Content() fyne.CanvasObject { return r.root }

// Selected lists the IDs ticked for the bulk action, in ascending order.
func (r *Review) Selected() []int64 {
	var ids []int64
	for id, on := range r.selected {
		if on {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// SetItems replaces the listed entries, keeping their order. Ticks of
// entries still listed survive.
func (r *Review) SetItems(items []ReviewItem) {
	r.items = append([]ReviewItem(nil), items...)
	r.retry = map[int64]*widget.Button{}
	r.confirm = map[int64]*widget.Button{}
	r.discard = map[int64]*widget.Button{}
	r.undo = map[int64]*widget.Button{}
	r.edit = map[int64]*widget.Button{}
	r.checks = map[int64]*widget.Check{}
	r.editors = map[int64]*reviewEditor{}
	kept := map[int64]bool{}

	var n reviewCounts
	for _, it := range r.items {
		switch {
		case undecided(it):
			n.deciding++
		case it.State == StateQueued:
			n.delivering++
		case it.State == StateFailed:
			n.failed++
		case it.State == StateMissed:
			n.missed++
		case it.State == StateRejected:
			n.declined++
		}
		if r.selected[it.ID] && selectable(it) {
			kept[it.ID] = true
		}
	}
	r.selected = kept
	r.count.SetText(n.String())
	if len(r.items) == 0 {
		r.count.Hide() // the empty message says it all
	} else {
		r.count.Show()
	}
	r.updateBulk()

	if len(r.items) == 0 {
		empty := widget.NewLabel(emptyReview)
		empty.Alignment = fyne.TextAlignCenter
		r.list.Objects = []fyne.CanvasObject{empty}
		r.list.Refresh()
		return
	}
	objs := make([]fyne.CanvasObject, 0, 2*len(r.items))
	for i, it := range r.items {
		if i > 0 {
			objs = append(objs, widget.NewSeparator())
		}
		objs = append(objs, r.row(it))
	}
	r.list.Objects = objs
	r.list.Refresh()
}

// undecided reports whether the entry still waits for billable or not.
func undecided(it ReviewItem) bool {
	return it.State == StateLater || it.State == StateAwaitingDecision
}

// isCall reports whether the entry is a call (not a missed call, SMS or fax).
func isCall(it ReviewItem) bool { return it.Kind == KindCall || it.Kind == "" }

// selectable reports whether an entry can be ticked for "mark non-billable":
// a call not yet in Clio whose duration is known.
func selectable(it ReviewItem) bool {
	if !isCall(it) || it.DurationUnknown {
		return false
	}
	return undecided(it) || it.State == StateQueued || it.State == StateFailed
}

// editable reports whether an entry can be edited and confirmed.
func editable(it ReviewItem) bool { return undecided(it) || it.State == StateFailed }

// discardable reports whether an entry can be discarded: it is undecided
// or Clio refused it.
func discardable(it ReviewItem) bool { return undecided(it) || it.State == StateFailed }

func (r *Review) row(it ReviewItem) fyne.CanvasObject {
	text := widget.NewRichText(reviewSegments(it)...)
	text.Wrapping = fyne.TextWrapWord

	id := it.ID
	var buttons []fyne.CanvasObject
	if editable(it) && r.actions.Confirm != nil {
		ed := newReviewEditor(it, r.actions)
		r.editors[id] = ed
		e := widget.NewButton("Edit…", nil)
		e.OnTapped = func() { r.toggleEditor(id) }
		r.edit[id] = e
		buttons = append(buttons, e)
		if undecided(it) {
			c := widget.NewButton("Confirm", func() { r.confirmEntry(id) })
			c.Importance = widget.HighImportance
			r.confirm[id] = c
			buttons = append(buttons, c)
		}
	}
	if it.State == StateFailed && r.actions.Retry != nil {
		b := widget.NewButton("Retry", func() { r.actions.Retry(id) })
		r.retry[id] = b
		buttons = append(buttons, b)
	}
	if discardable(it) && r.actions.Discard != nil {
		d := widget.NewButton("Discard", func() { r.actions.Discard(id) })
		r.discard[id] = d
		buttons = append(buttons, d)
	}
	if it.State == StateDiscarded && r.actions.Undo != nil {
		u := widget.NewButton("Undo", func() { r.actions.Undo(id) })
		r.undo[id] = u
		buttons = append(buttons, u)
	}

	var body fyne.CanvasObject = text
	if selectable(it) && r.actions.MarkNonBillable != nil {
		ch := widget.NewCheck("", func(on bool) {
			r.selected[id] = on
			r.updateBulk()
		})
		ch.Checked = r.selected[id]
		r.checks[id] = ch
		body = container.NewBorder(nil, nil, container.NewVBox(ch), nil, text)
	}
	if len(buttons) == 0 {
		return body
	}
	objs := []fyne.CanvasObject{body, container.NewHBox(buttons...)}
	if ed := r.editors[id]; ed != nil {
		objs = append(objs, ed.box)
	}
	return container.NewVBox(objs...)
}

func (r *Review) toggleEditor(id int64) {
	ed := r.editors[id]
	if ed == nil {
		return
	}
	if ed.box.Visible() {
		ed.box.Hide()
		r.edit[id].SetText("Edit…")
		r.list.Refresh()
		return
	}
	r.openEditor(id)
	focus(ed.contactFind)
}

func (r *Review) openEditor(id int64) {
	ed := r.editors[id]
	ed.box.Show()
	r.edit[id].SetText("Close editor")
	r.list.Refresh()
}

// confirmEntry is a row's Confirm: it confirms with the editor's values,
// or, when the editor lacks something (the duration of a call whose end
// was never seen), opens it with the problem shown beside its field.
func (r *Review) confirmEntry(id int64) {
	ed := r.editors[id]
	if ed == nil {
		return
	}
	e, ok := ed.check()
	if !ok {
		r.openEditor(id)
		focus(ed.duration)
		return
	}
	r.actions.Confirm(id, e)
}

func (r *Review) setAll(on bool) {
	for _, it := range r.items {
		if !selectable(it) {
			continue
		}
		r.selected[it.ID] = on
		if ch := r.checks[it.ID]; ch != nil {
			ch.SetChecked(on)
		}
	}
	r.updateBulk()
}

func (r *Review) updateBulk() {
	n := len(r.Selected())
	if n == 0 {
		r.bulk.SetText("Mark selected non-billable")
		r.bulk.Disable()
		return
	}
	r.bulk.SetText("Mark " + strconv.Itoa(n) + " non-billable")
	r.bulk.Enable()
}

func (r *Review) markSelected() {
	ids := r.Selected()
	if len(ids) == 0 || r.actions.MarkNonBillable == nil {
		return
	}
	r.actions.MarkNonBillable(ids)
}
