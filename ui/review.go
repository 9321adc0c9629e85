package ui

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Review states beyond the outbox's own: a call nobody confirmed in time.
const StateUnconfirmed = "unconfirmed"

// ReviewItem is one entry of the review list: an unconfirmed or missed
// call, an SMS, a fax, or an outbox entry waiting, parked or failed.
type ReviewItem struct {
	ID       int64
	Kind     string // queue kind: "call", "missed", "sms", "fax"
	State    string // "unconfirmed", or queue state: "pending", "delivering", "delivered", "failed"
	Who      string // contact name, "" when unknown
	Number   string // formatted for display
	When     time.Time
	Duration time.Duration
	Billable bool
	Error    string // the last delivery error, as stored

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
}

// ReviewActions are the review list's callbacks; a nil one hides its
// buttons. Contacts and Matters (may be nil) power the editor's searches.
type ReviewActions struct {
	Confirm         func(id int64, e ReviewEdit) // confirm an unconfirmed entry, or save a failed one's edits and retry
	Retry           func(id int64)
	Discard         func(id int64)
	MarkNonBillable func(ids []int64)
	Contacts        Searcher
	Matters         MatterSearcher
}

// Review is the "Review calls" window content: what needs confirming,
// what is waiting to reach Clio, and what failed and why. Every entry can
// be edited and confirmed or retried; several can be marked non-billable
// at once. Everything is reachable with Tab, Space and Enter.
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
	r.edit = map[int64]*widget.Button{}
	r.checks = map[int64]*widget.Check{}
	r.editors = map[int64]*reviewEditor{}
	kept := map[int64]bool{}

	waiting, failed, unconfirmed := 0, 0, 0
	for _, it := range r.items {
		switch it.State {
		case "failed":
			failed++
		case StateUnconfirmed:
			unconfirmed++
		case "delivered":
		default:
			waiting++
		}
		if r.selected[it.ID] && selectable(it) {
			kept[it.ID] = true
		}
	}
	r.selected = kept
	r.count.SetText(reviewCount(waiting, failed, unconfirmed))
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

// selectable reports whether an entry can be ticked for "mark non-billable".
func selectable(it ReviewItem) bool {
	switch it.State {
	case "delivered", "delivering":
		return false
	}
	return it.Kind == "call" || it.Kind == ""
}

// editable reports whether an entry can be edited and confirmed.
func editable(it ReviewItem) bool { return it.State == StateUnconfirmed || it.State == "failed" }

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
		if it.State == StateUnconfirmed {
			c := widget.NewButton("Confirm", func() { r.actions.Confirm(id, ed.value()) })
			c.Importance = widget.HighImportance
			r.confirm[id] = c
			buttons = append(buttons, c)
		}
	}
	if it.State == "failed" && r.actions.Retry != nil {
		b := widget.NewButton("Retry", func() { r.actions.Retry(id) })
		r.retry[id] = b
		buttons = append(buttons, b)
	}
	if it.State != "delivered" && it.State != "delivering" && r.actions.Discard != nil {
		d := widget.NewButton("Discard", func() { r.actions.Discard(id) })
		r.discard[id] = d
		buttons = append(buttons, d)
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
	} else {
		ed.box.Show()
		r.edit[id].SetText("Close editor")
		focus(ed.contactFind)
	}
	r.list.Refresh()
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

// reviewSegments are an entry's lines: who, what, state, and the error in
// plain words with the raw text under it.
func reviewSegments(it ReviewItem) []widget.RichTextSegment {
	who := strings.TrimSpace(it.Who)
	if who == "" {
		who = unknownCaller
	}
	when := ""
	if !it.When.IsZero() {
		when = it.When.Format("Mon 2 Jan 15:04")
	}
	dur := ""
	if it.Duration > 0 {
		dur = duration(it.Duration)
	}
	billable := "Non-billable"
	switch {
	case it.Kind == "missed" || it.Kind == "sms" || it.Kind == "fax":
		billable = "" // nothing to bill
	case it.Billable:
		billable = "Billable"
	}
	stateText, stateColor := stateLabel(it.State)

	segs := []widget.RichTextSegment{
		&widget.TextSegment{Text: joinNonEmpty(who, it.Number), Style: paragraph(theme.ColorNameForeground, true)},
		&widget.TextSegment{Text: joinNonEmpty(kindLabel(it.Kind), when, dur, billable, it.Matter), Style: paragraph(theme.ColorNameForeground, false)},
	}
	if n := strings.TrimSpace(it.Note); n != "" {
		segs = append(segs, &widget.TextSegment{Text: "Note: " + n, Style: paragraph(theme.ColorNameForeground, false)})
	}
	segs = append(segs, &widget.TextSegment{Text: stateText, Style: paragraph(stateColor, true)})
	if it.Error != "" {
		plainColor := theme.ColorNameForeground
		if it.State == "failed" {
			plainColor = theme.ColorNameError
		}
		segs = append(segs,
			&widget.TextSegment{Text: PlainError(it.Error), Style: paragraph(plainColor, false)},
			&widget.TextSegment{Text: "Details: " + it.Error, Style: paragraph(theme.ColorNameDisabled, false)},
		)
	}
	return segs
}

// paragraph is a RichText style for a line of its own.
func paragraph(color fyne.ThemeColorName, bold bool) widget.RichTextStyle {
	return widget.RichTextStyle{
		ColorName: color,
		SizeName:  theme.SizeNameText,
		TextStyle: fyne.TextStyle{Bold: bold},
	}
}

func reviewCount(waiting, failed, unconfirmed int) string {
	text := PendingLabel(waiting)
	switch {
	case failed == 1:
		text += " · 1 failed"
	case failed > 1:
		text += " · " + strconv.Itoa(failed) + " failed"
	}
	if unconfirmed > 0 {
		text = strconv.Itoa(unconfirmed) + " to confirm · " + text
	}
	return text
}

// kindLabel is the queue kind in words.
func kindLabel(kind string) string {
	switch kind {
	case "call", "":
		return "Call"
	case "missed":
		return "Missed call"
	case "sms":
		return "Text message"
	case "fax":
		return "Fax"
	default:
		return kind
	}
}

// stateLabel is the state in words, with a colour that only repeats it.
func stateLabel(state string) (string, fyne.ThemeColorName) {
	switch state {
	case StateUnconfirmed:
		return "Needs your confirmation", theme.ColorNameWarning
	case "pending":
		return "Waiting to sync", theme.ColorNameForeground
	case "delivering":
		return "Syncing now", theme.ColorNamePrimary
	case "delivered":
		return "Logged in Clio", theme.ColorNameSuccess
	case "failed":
		return "Failed — needs attention", theme.ColorNameError
	default:
		return state, theme.ColorNameForeground
	}
}
