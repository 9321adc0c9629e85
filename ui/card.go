package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// matterTitleStyle is a matter row's first line: bold, on its own line.
var matterTitleStyle = widget.RichTextStyle{
	ColorName: theme.ColorNameForeground,
	SizeName:  theme.SizeNameText,
	TextStyle: fyne.TextStyle{Bold: true},
}

// noMatter is the matter choice that logs the call against the contact only.
const noMatter = "No matter"

// Card is the screen pop for one call. While the call rings or is active it
// shows who is calling and their matters; once Update sees EndedAt the same
// content becomes the wrap-up card that asks "billable or not?".
//
// Keys: the app forwards its window canvas's OnTypedKey to TypedKey. Fyne
// calls OnTypedKey only when no widget has focus, so typing B or N into the
// note never decides; TypedKey also checks the note's focus itself.
type Card struct {
	// Wrap-up widgets, nil until the call has ended. Exported for tests.
	Billable    *widget.Button
	NonBillable *widget.Button
	Skip        *widget.Button
	Matter      *widget.Select
	Note        *widget.Entry

	v       CallView
	onDone  func(WrapUp)
	now     func() time.Time
	decided bool

	root   *fyne.Container
	header *fyne.Container
	list   *fyne.Container
	bottom *fyne.Container
	state  *widget.Label

	summary *widget.Label // "Duration 4:12" / "Missed call"
	result  *widget.Label // "Logged — will sync to Clio" / "Skipped"
	choices map[string]choice
}

// choice is what one matter option stands for.
type choice struct{ matterID, contactID int64 }

// CardOption configures a Card.
type CardOption func(*Card)

// WithNow sets the clock used for the live "On call 02:15" line
// (default time.Now). Tests pass a fixed clock.
func WithNow(now func() time.Time) CardOption {
	return func(c *Card) {
		if now != nil {
			c.now = now
		}
	}
}

// NewCard builds the pop for v. onDone is called exactly once, with the
// attorney's decision, after the call has ended; it may be nil.
func NewCard(v CallView, onDone func(WrapUp), opts ...CardOption) *Card {
	c := &Card{onDone: onDone, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	c.header = container.NewVBox()
	c.list = container.NewVBox()
	c.bottom = container.NewVBox()
	c.state = widget.NewLabel("")
	c.root = container.NewBorder(c.header, c.bottom, nil, nil, container.NewVScroll(c.list))
	c.Update(v)
	return c
}

// Content is the card's canvas object; it stays the same across updates.
func (c *Card) Content() fyne.CanvasObject { return c.root }

// Decided reports whether the wrap-up decision has been made.
func (c *Card) Decided() bool { return c.decided }

// Update shows a newer view of the same call: answered, ended, or with
// better caller data. The first update with EndedAt set turns the card into
// the wrap-up card; later updates keep the note and the chosen matter.
func (c *Card) Update(v CallView) {
	c.v = v
	c.buildHeader()
	c.buildList()
	if phaseOf(v) == phaseEnded {
		c.buildWrapUp()
	}
	c.root.Refresh()
}

// Tick refreshes the live state line ("On call 02:15"); the app calls it
// about once a second while the call is active.
func (c *Card) Tick() {
	c.state.SetText(c.stateText())
}

// TypedKey handles the wrap-up shortcuts: B billable, N non-billable,
// Escape skip, Return/Enter the default (non-billable). It reports whether
// the key was used. Keys do nothing before the call ends, after a decision,
// or while the note has focus.
func (c *Card) TypedKey(ev *fyne.KeyEvent) bool {
	if ev == nil || c.Note == nil || c.decided || c.noteFocused() {
		return false
	}
	switch ev.Name {
	case fyne.KeyB:
		c.decide(DecisionBillable)
	case fyne.KeyN, fyne.KeyReturn, fyne.KeyEnter:
		c.decide(DecisionNonBillable)
	case fyne.KeyEscape:
		c.decide(DecisionSkip)
	default:
		return false
	}
	return true
}

func (c *Card) noteFocused() bool {
	a := fyne.CurrentApp()
	if a == nil {
		return false
	}
	cv := a.Driver().CanvasForObject(c.Note)
	return cv != nil && cv.Focused() == c.Note
}

func (c *Card) buildHeader() {
	v := c.v
	var objs []fyne.CanvasObject

	name := unknownCaller
	var first *Caller
	if len(v.Callers) > 0 {
		first = &v.Callers[0]
		if n := strings.TrimSpace(first.Name); n != "" {
			name = n
		}
	}
	nameLabel := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	nameLabel.SizeName = theme.SizeNameHeadingText
	nameLabel.Truncation = fyne.TextTruncateEllipsis
	objs = append(objs, nameLabel)

	number := strings.TrimSpace(v.Number)
	if number == "" {
		number = "No caller ID"
	}
	company := ""
	if first != nil {
		company = first.Company
	}
	line := widget.NewLabel(joinNonEmpty(number, company))
	line.Truncation = fyne.TextTruncateEllipsis
	objs = append(objs, line)

	var badges []fyne.CanvasObject
	if first == nil {
		badges = append(badges, widget.NewLabelWithStyle("Not in Clio", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	} else {
		text, imp := clientBadge(first.ClientStatus)
		b := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		b.Importance = imp
		badges = append(badges, b)
		if strings.EqualFold(first.Strength, "weak") {
			w := widget.NewLabel(joinWithDash("Weak match", first.Reason))
			w.Importance = widget.WarningImportance
			badges = append(badges, w)
		}
	}
	if v.Sandbox {
		s := widget.NewLabel("Sandbox")
		s.Importance = widget.LowImportance
		badges = append(badges, s)
	}
	objs = append(objs, container.NewHBox(badges...))

	if len(v.Callers) > 1 {
		names := make([]string, 0, len(v.Callers)-1)
		for _, o := range v.Callers[1:] {
			names = append(names, strings.TrimSpace(o.Name))
		}
		also := widget.NewLabel("Also matches: " + strings.Join(names, ", "))
		also.Truncation = fyne.TextTruncateEllipsis
		objs = append(objs, also)
	}

	c.state.SetText(c.stateText())
	objs = append(objs, c.state, widget.NewSeparator())

	c.header.Objects = objs
	c.header.Refresh()
}

// stateText is the direction and live state: "Incoming call · On call 02:15".
func (c *Card) stateText() string {
	var state string
	switch phaseOf(c.v) {
	case phaseActive:
		state = "On call " + clock(c.now().Sub(c.v.AnsweredAt))
	case phaseEnded:
		state = "Ended"
		if missed(c.v) {
			state = "Not answered"
		}
	default:
		state = "Ringing…"
	}
	return directionLabel(c.v.Direction) + " · " + state
}

func (c *Card) buildList() {
	v := c.v
	matters := allMatters(v.Callers)
	var objs []fyne.CanvasObject
	if len(matters) == 0 {
		if len(v.Callers) > 0 {
			objs = append(objs, widget.NewLabel("No open matters"))
		}
		c.list.Objects = objs
		c.list.Refresh()
		return
	}
	objs = append(objs, widget.NewLabelWithStyle("Open matters", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, om := range matters {
		m := om.Matter
		owner := ""
		if len(v.Callers) > 1 {
			owner = om.owner
		}
		row := widget.NewRichText(
			&widget.TextSegment{Text: matterLabel(m), Style: matterTitleStyle},
			&widget.TextSegment{Text: joinNonEmpty(m.Status, m.ResponsibleAttorney, m.PracticeArea, owner), Style: widget.RichTextStyleParagraph},
		)
		row.Truncation = fyne.TextTruncateEllipsis
		objs = append(objs, row)
	}
	if s, ok := findMatter(matters, v.SuggestedMatterID); ok {
		text := "Suggested: " + matterLabel(s.Matter)
		if r := strings.TrimSpace(s.Reason); r != "" {
			text += " (" + r + ")"
		}
		sug := widget.NewLabel(text)
		sug.Truncation = fyne.TextTruncateEllipsis
		sug.Importance = widget.HighImportance
		objs = append(objs, sug)
	}
	c.list.Objects = objs
	c.list.Refresh()
}

// buildWrapUp creates the wrap-up widgets on the first call and refreshes
// the duration and matter options on later ones.
func (c *Card) buildWrapUp() {
	labels, choices, preselect := matterChoices(c.v)
	if c.Note != nil {
		c.summary.SetText(c.summaryText())
		prev := c.Matter.Selected
		c.choices = choices
		c.Matter.SetOptions(labels)
		if _, ok := choices[prev]; ok {
			c.Matter.SetSelected(prev)
		} else {
			c.Matter.SetSelected(preselect)
		}
		return
	}

	c.summary = widget.NewLabelWithStyle(c.summaryText(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.choices = choices
	c.Matter = widget.NewSelect(labels, nil)
	c.Matter.SetSelected(preselect)
	c.Note = widget.NewMultiLineEntry()
	c.Note.SetPlaceHolder("Note (optional)")
	c.Note.SetMinRowsVisible(3)
	c.Note.Wrapping = fyne.TextWrapWord

	c.Billable = widget.NewButton("Billable (B)", func() { c.decide(DecisionBillable) })
	c.NonBillable = widget.NewButton("Non-billable (N)", func() { c.decide(DecisionNonBillable) })
	c.NonBillable.Importance = widget.HighImportance // the default, confirmed by Return
	c.Skip = widget.NewButton("Skip (Esc)", func() { c.decide(DecisionSkip) })
	c.result = widget.NewLabel("")
	c.result.Hide()

	c.bottom.Objects = []fyne.CanvasObject{
		widget.NewSeparator(),
		c.summary,
		container.NewBorder(nil, nil, widget.NewLabel("Matter"), nil, c.Matter),
		c.Note,
		container.NewGridWithColumns(3, c.Billable, c.NonBillable, c.Skip),
		c.result,
	}
	c.bottom.Refresh()
}

func (c *Card) summaryText() string {
	if missed(c.v) {
		return "Missed call"
	}
	return "Duration " + duration(talkTime(c.v))
}

// decide records the decision once: it disables the wrap-up widgets, shows
// the outcome and calls onDone. Later calls do nothing.
func (c *Card) decide(d Decision) {
	if c.decided || c.Note == nil {
		return
	}
	c.decided = true
	w := WrapUp{
		CallID:   c.v.CallID,
		Decision: d,
		Note:     strings.TrimSpace(c.Note.Text),
		Duration: talkTime(c.v),
	}
	if len(c.v.Callers) > 0 {
		w.ContactID = c.v.Callers[0].ContactID
	}
	if ch, ok := c.choices[c.Matter.Selected]; ok && ch.matterID != 0 {
		w.MatterID, w.ContactID = ch.matterID, ch.contactID
	}

	for _, b := range []*widget.Button{c.Billable, c.NonBillable, c.Skip} {
		b.Disable()
	}
	c.Matter.Disable()
	c.Note.Disable()
	if d == DecisionSkip {
		c.result.SetText("Skipped")
	} else {
		c.result.SetText("Logged — will sync to Clio")
	}
	c.result.Show()

	if c.onDone != nil {
		c.onDone(w)
	}
}

// ownedMatter is a matter with the caller it belongs to.
type ownedMatter struct {
	Matter
	owner     string
	contactID int64
}

// allMatters lists every caller's matters once, in caller order.
func allMatters(callers []Caller) []ownedMatter {
	var out []ownedMatter
	seen := map[int64]bool{}
	for _, cl := range callers {
		for _, m := range cl.Matters {
			if m.ID != 0 && seen[m.ID] {
				continue
			}
			seen[m.ID] = true
			out = append(out, ownedMatter{Matter: m, owner: strings.TrimSpace(cl.Name), contactID: cl.ContactID})
		}
	}
	return out
}

func findMatter(ms []ownedMatter, id int64) (ownedMatter, bool) {
	if id == 0 {
		return ownedMatter{}, false
	}
	for _, m := range ms {
		if m.ID == id {
			return m, true
		}
	}
	return ownedMatter{}, false
}

// matterChoices builds the matter select's options ("00042-Lee · Lease
// dispute", then "No matter") and picks the preselection: the suggested
// matter, else the first open one, else the first, else "No matter".
func matterChoices(v CallView) (labels []string, choices map[string]choice, preselect string) {
	choices = map[string]choice{}
	matters := allMatters(v.Callers)
	byID := map[int64]string{}
	firstOpen := ""
	for _, m := range matters {
		label := matterLabel(m.Matter)
		if label == "" {
			label = fmt.Sprintf("Matter %d", m.ID)
		}
		if _, dup := choices[label]; dup {
			label = fmt.Sprintf("%s (#%d)", label, m.ID)
		}
		labels = append(labels, label)
		choices[label] = choice{matterID: m.ID, contactID: m.contactID}
		byID[m.ID] = label
		if firstOpen == "" && strings.EqualFold(strings.TrimSpace(m.Status), "open") {
			firstOpen = label
		}
	}
	labels = append(labels, noMatter)
	choices[noMatter] = choice{}

	switch {
	case byID[v.SuggestedMatterID] != "" && v.SuggestedMatterID != 0:
		preselect = byID[v.SuggestedMatterID]
	case firstOpen != "":
		preselect = firstOpen
	default:
		preselect = labels[0]
	}
	return labels, choices, preselect
}

// joinWithDash is "a — b", or just a when b is empty.
func joinWithDash(a, b string) string {
	if b = strings.TrimSpace(b); b == "" {
		return a
	}
	return a + " — " + b
}
