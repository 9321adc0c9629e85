package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ReviewItem is one outbox entry as the review window lists it.
type ReviewItem struct {
	ID       int64
	Kind     string // queue kind: "call", "missed", "sms", "fax"
	State    string // queue state: "pending", "delivering", "delivered", "failed"
	Who      string // contact name, "" when unknown
	Number   string // formatted for display
	When     time.Time
	Duration time.Duration
	Billable bool
	Error    string // the last delivery error, as stored
}

// Review is the "Review calls" window content: what is waiting to reach
// Clio, what failed and why, with a Retry button for failed entries.
type Review struct {
	onRetry func(id int64)
	items   []ReviewItem
	list    *fyne.Container
	count   *widget.Label
	root    *fyne.Container
	retry   map[int64]*widget.Button
}

// emptyReview is the message shown when the outbox has nothing to show.
const emptyReview = "Nothing waiting — every call is logged"

// NewReview builds an empty review; onRetry (may be nil) gets the ID of a
// failed entry whose Retry button was tapped.
func NewReview(onRetry func(id int64)) *Review {
	r := &Review{onRetry: onRetry, list: container.NewVBox(), count: widget.NewLabel("")}
	title := widget.NewLabelWithStyle("Review calls", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.root = container.NewBorder(container.NewVBox(title, r.count, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(r.list))
	r.SetItems(nil)
	return r
}

// Content is the review's canvas object.
func (r *Review) Content() fyne.CanvasObject { return r.root }

// SetItems replaces the listed entries, keeping their order.
func (r *Review) SetItems(items []ReviewItem) {
	r.items = append([]ReviewItem(nil), items...)
	r.retry = map[int64]*widget.Button{}

	waiting, failed := 0, 0
	for _, it := range r.items {
		switch it.State {
		case "failed":
			failed++
		case "delivered":
		default:
			waiting++
		}
	}
	r.count.SetText(reviewCount(waiting, failed))
	if len(r.items) == 0 {
		r.count.Hide() // the empty message says it all
	} else {
		r.count.Show()
	}

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

func (r *Review) row(it ReviewItem) fyne.CanvasObject {
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
	case it.Kind == "missed":
		billable = "" // nothing to bill
	case it.Billable:
		billable = "Billable"
	}
	stateText, stateColor := stateLabel(it.State)

	segs := []widget.RichTextSegment{
		&widget.TextSegment{Text: joinNonEmpty(who, it.Number), Style: paragraph(theme.ColorNameForeground, true)},
		&widget.TextSegment{Text: joinNonEmpty(kindLabel(it.Kind), when, dur, billable), Style: paragraph(theme.ColorNameForeground, false)},
		&widget.TextSegment{Text: stateText, Style: paragraph(stateColor, true)},
	}
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
	text := widget.NewRichText(segs...)
	text.Wrapping = fyne.TextWrapWord

	if it.State != "failed" {
		return text
	}
	id := it.ID
	b := widget.NewButton("Retry", func() {
		if r.onRetry != nil {
			r.onRetry(id)
		}
	})
	r.retry[id] = b
	return container.NewVBox(text, container.NewHBox(b))
}

// paragraph is a RichText style for a line of its own.
func paragraph(color fyne.ThemeColorName, bold bool) widget.RichTextStyle {
	return widget.RichTextStyle{
		ColorName: color,
		SizeName:  theme.SizeNameText,
		TextStyle: fyne.TextStyle{Bold: bold},
	}
}

func reviewCount(waiting, failed int) string {
	text := PendingLabel(waiting)
	switch {
	case failed == 1:
		text += " · 1 failed"
	case failed > 1:
		text += " · " + strconv.Itoa(failed) + " failed"
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

// stateLabel is the queue state in words, with a colour that only repeats it.
func stateLabel(state string) (string, fyne.ThemeColorName) {
	switch state {
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
