package ui

import (
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

// Card is the screen pop for one call. While the call rings or is active it
// shows who is calling and their matters; once Update sees EndedAt the same
// content becomes the wrap-up card that asks "billable or not?", or, for an
// inbound call nobody answered, the compact missed-call card (who, when,
// whether it is logged; Add note, Call back, Dismiss).
//
// When several contacts match it offers a chooser; for an unknown caller it
// offers "Create contact", "Find in Clio…" and "Not a client".
//
// Keys: the app forwards its window canvas's OnTypedKey to TypedKey (or to
// Stack.TypedKey). Fyne calls OnTypedKey only when no widget has focus, so
// typing B or N into the note never decides; TypedKey also checks the
// card's text fields itself.
type Card struct {
	// Wrap-up widgets, nil until the call has ended. Exported for tests.
	Billable    *widget.Button
	NonBillable *widget.Button
	Later       *widget.Button // Esc: decide later, in the review list
	Matter      *widget.Select
	MatterFind  *widget.Entry // type-ahead over the matters
	Note        *widget.Entry

	// Missed-call widgets, nil unless the card is a missed call.
	AddNote    *widget.Button
	CallBack   *widget.Button
	Dismiss    *widget.Button
	MissedNote *widget.Entry // the one-line note "Add note" reveals
	SaveNote   *widget.Button

	// Chooser picks one of several matching contacts; nil until needed.
	Chooser *widget.RadioGroup

	v         CallView
	onDone    func(WrapUp)
	now       func() time.Time
	decided   bool
	dismissed bool
	cfg       cardConfig
	removed   func() // the stack's: take the dismissed card off the pop

	chosen    int64   // contact picked in the chooser
	picked    *Caller // contact picked with "Find in Clio…"
	notClient bool    // "Not a client" was pressed
	creating  string  // name of the contact being created, if any

	chooserIDs map[string]int64

	root   *fyne.Container
	header *fyne.Container
	list   *fyne.Container
	bottom *fyne.Container
	state  *widget.Label
	unk    *unknownPanel

	summary    *widget.Label // "Duration 4:12 · bills as 0.1 h"
	result     *widget.Label // "Logged — will sync to Clio" / "Moved to Review calls"
	matterHint *widget.Label // "No matter matches …"
	keysHint   *widget.Label // "Enter = Non-billable · Esc = later"
	choices    map[string]choice
	extra      []ownedMatter // matters found by the type-ahead search

	missed *missedPanel
}

// NewCard builds the pop for v. onDone is called exactly once, with the
// attorney's decision, after the call has ended; it may be nil.
func NewCard(v CallView, onDone func(WrapUp), opts ...CardOption) *Card {
	c := &Card{onDone: onDone, now: time.Now, cfg: cardConfig{Defaults: Defaults{Increment: DefaultIncrement}}}
	for _, o := range opts {
		o(c)
	}
	c.header = container.NewVBox()
	c.list = container.NewVBox()
	c.bottom = container.NewVBox()
	c.state = widget.NewLabel("")
	c.root = border(c.header, c.bottom, container.NewVScroll(c.list))
	c.Update(v)
	return c
}

// Content is the card's canvas object; it stays the same across updates.
func (c *Card) Content() fyne.CanvasObject { return c.root }

// Decided reports whether the wrap-up decision has been made.
func (c *Card) Decided() bool { return c.decided }

// Missed reports whether the card is a missed-call card: an inbound call
// that ended without being answered. It never asks "billable or not?".
func (c *Card) Missed() bool { return missedInbound(c.v) }

// Dismissed reports whether the missed-call card has been dismissed.
func (c *Card) Dismissed() bool { return c.dismissed }

// Waiting reports whether the card is a wrap-up still waiting for its
// decision: ended, not a missed call, not decided.
func (c *Card) Waiting() bool { return !c.v.EndedAt.IsZero() && !c.decided && !c.Missed() }

// CallID is the card's call.
func (c *Card) CallID() string { return c.v.CallID }

// View is the last CallView shown.
func (c *Card) View() CallView { return c.v }

// EndedAt is when the call ended (zero while it lasts). The app moves calls
// not decided some time after EndedAt to the review list.
func (c *Card) EndedAt() time.Time { return c.v.EndedAt }

// Update shows a newer view of the same call: answered, ended, or with
// better caller data. The first update with EndedAt set turns the card into
// the wrap-up card; later updates keep the note, the chosen contact and
// the chosen matter.
func (c *Card) Update(v CallView) {
	c.v = v
	if len(v.Callers) > 0 {
		c.creating = ""
	}
	c.refreshAll()
}

func (c *Card) refreshAll() {
	if c.Missed() {
		c.buildMissed()
		c.root.Refresh()
		return
	}
	c.buildHeader()
	c.buildList()
	if phaseOf(c.v) == phaseEnded {
		c.buildWrapUp()
	}
	c.root.Refresh()
}

// Tick refreshes the live state line ("On call 02:15"); the app calls it
// about once a second while the call is active.
func (c *Card) Tick() {
	c.state.SetText(c.stateText())
}

// Summary is the card in one line, for a collapsed stack row:
// "Jordan Lee · (212) 555-0123 · On call 02:15".
func (c *Card) Summary() string {
	name := unknownCaller
	if cur := c.current(); cur != nil && strings.TrimSpace(cur.Name) != "" {
		name = strings.TrimSpace(cur.Name)
	}
	state := c.stateText()
	if _, s, ok := strings.Cut(state, " · "); ok {
		state = s
	}
	switch {
	case c.Missed():
		state = missedWord(c.v) + " at " + c.whenText()
	case c.decided && c.result != nil:
		state = c.result.Text
	case phaseOf(c.v) == phaseEnded:
		state += " — waiting for billable or not"
	}
	return joinNonEmpty(name, c.v.Number, state)
}

// TypedKey handles the card's shortcuts. After the call ends: B billable,
// N non-billable, Escape later (the call goes to the review list),
// Return/Enter the default (non-billable unless the Defaults say
// billable). While the call rings or lasts, B, N, Enter and Esc do
// nothing. For an unknown caller: C create contact, F find in Clio, X not
// a client. On a missed-call card: A add note, C call back, Escape
// dismiss. It reports whether the key was used. Keys do nothing after a
// decision or while one of the card's text fields has focus.
func (c *Card) TypedKey(ev *fyne.KeyEvent) bool {
	if ev == nil || c.decided || c.dismissed || c.textFocused() {
		return false
	}
	if c.Missed() {
		return c.missedKey(ev.Name)
	}
	if c.unk != nil && c.unknownVisible() {
		switch ev.Name {
		case fyne.KeyC:
			if c.unk.create.Disabled() {
				return false
			}
			c.unk.openCreate()
			return true
		case fyne.KeyF:
			if c.unk.find.Disabled() {
				return false
			}
			c.unk.openFind()
			return true
		case fyne.KeyX:
			c.markNotClient()
			return true
		}
	}
	if c.Note == nil {
		return false
	}
	switch ev.Name {
	case fyne.KeyB:
		c.decide(DecisionBillable)
	case fyne.KeyN:
		c.decide(DecisionNonBillable)
	case fyne.KeyReturn, fyne.KeyEnter:
		c.decide(c.defaultDecision())
	case fyne.KeyEscape:
		c.decide(DecisionLater)
	default:
		return false
	}
	return true
}

func (c *Card) defaultDecision() Decision {
	if c.cfg.DefaultBillable {
		return DecisionBillable
	}
	return DecisionNonBillable
}

// textFocused reports whether a text field of this card has keyboard focus.
func (c *Card) textFocused() bool {
	a := fyne.CurrentApp()
	if a == nil {
		return false
	}
	cv := a.Driver().CanvasForObject(c.root)
	if cv == nil {
		return false
	}
	switch f := cv.Focused().(type) {
	case nil:
		return false
	case *widget.Entry:
		return f == c.Note || f == c.MatterFind || f == c.MissedNote ||
			c.unk != nil && (f == c.unk.name || f == c.unk.number || f == c.unk.query)
	default:
		return false
	}
}

// focus gives obj the keyboard focus if it is on a canvas.
func focus(obj fyne.Focusable) {
	a := fyne.CurrentApp()
	if a == nil {
		return
	}
	if cv := a.Driver().CanvasForObject(obj.(fyne.CanvasObject)); cv != nil {
		cv.Focus(obj)
	}
}

// callers is the call's matched contacts, with a contact picked through
// "Find in Clio…" first.
func (c *Card) callers() []Caller {
	if c.picked == nil {
		return c.v.Callers
	}
	out := []Caller{*c.picked}
	for _, cl := range c.v.Callers {
		if cl.ContactID != c.picked.ContactID {
			out = append(out, cl)
		}
	}
	return out
}

// current is the contact the call is about: the picked one, the one chosen
// in the chooser, the owner of the suggested matter, else the first.
func (c *Card) current() *Caller {
	cs := c.callers()
	if len(cs) == 0 {
		return nil
	}
	if c.picked != nil {
		return &cs[0]
	}
	for _, id := range []int64{c.chosen, ownerOf(cs, c.v.SuggestedMatterID)} {
		for i := range cs {
			if id != 0 && cs[i].ContactID == id {
				return &cs[i]
			}
		}
	}
	return &cs[0]
}

func ownerOf(cs []Caller, matterID int64) int64 {
	if matterID == 0 {
		return 0
	}
	for _, cl := range cs {
		for _, m := range cl.Matters {
			if m.ID == matterID {
				return cl.ContactID
			}
		}
	}
	return 0
}

// displayName is who the call is with: the current contact, else the
// name the phone network sent, else "Unknown caller".
func (c *Card) displayName() string {
	cur := c.current()
	switch {
	case cur != nil && strings.TrimSpace(cur.Name) != "":
		return strings.TrimSpace(cur.Name)
	case cur == nil && strings.TrimSpace(c.v.CallerIDName) != "":
		return strings.TrimSpace(c.v.CallerIDName)
	default:
		return unknownCaller
	}
}

// identity is the header's first two lines: the name, large, and
// "number · company".
func (c *Card) identity() []fyne.CanvasObject {
	nameLabel := widget.NewLabelWithStyle(c.displayName(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	nameLabel.SizeName = theme.SizeNameHeadingText
	nameLabel.Truncation = fyne.TextTruncateEllipsis

	number := strings.TrimSpace(c.v.Number)
	if number == "" {
		number = "No caller ID"
	}
	company := ""
	if cur := c.current(); cur != nil {
		company = cur.Company
	}
	line := widget.NewLabel(joinNonEmpty(number, company))
	line.Truncation = fyne.TextTruncateEllipsis
	return []fyne.CanvasObject{nameLabel, line}
}

func (c *Card) buildHeader() {
	v := c.v
	cur := c.current()
	objs := c.identity()

	var badges []fyne.CanvasObject
	switch {
	case cur == nil && c.notClient:
		badges = append(badges, widget.NewLabelWithStyle("Marked: not a client", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	case cur == nil:
		badges = append(badges, widget.NewLabelWithStyle("Not in Clio", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	default:
		text, imp := clientBadge(cur.ClientStatus)
		b := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		b.Importance = imp
		badges = append(badges, b)
		if strings.EqualFold(cur.Strength, "weak") {
			w := widget.NewLabel(joinWithDash("Weak match", cur.Reason))
			w.Importance = widget.WarningImportance
			badges = append(badges, w)
		}
		if c.picked != nil && cur.ContactID == c.picked.ContactID {
			badges = append(badges, widget.NewLabel("Picked in Clio search"))
		}
	}
	if v.Sandbox {
		s := widget.NewLabel("Sandbox")
		s.Importance = widget.LowImportance
		badges = append(badges, s)
	}
	objs = append(objs, container.NewHBox(badges...))

	if ch := c.buildChooser(); ch != nil {
		objs = append(objs, ch)
	}

	c.state.SetText(c.stateText())
	objs = append(objs, c.state, widget.NewSeparator())

	c.header.Objects = objs
	c.header.Refresh()
}

// buildChooser returns the "which contact?" chooser when several contacts
// match, keeping the same RadioGroup (and its focus) across updates.
func (c *Card) buildChooser() fyne.CanvasObject {
	cs := c.callers()
	if len(cs) < 2 {
		return nil
	}
	labels := make([]string, 0, len(cs))
	c.chooserIDs = map[string]int64{}
	for _, cl := range cs {
		l := callerLabel(cl)
		if _, dup := c.chooserIDs[l]; dup {
			l += " (#" + itoa(cl.ContactID) + ")"
		}
		labels = append(labels, l)
		c.chooserIDs[l] = cl.ContactID
	}
	selected := ""
	if cur := c.current(); cur != nil {
		for l, id := range c.chooserIDs {
			if id == cur.ContactID {
				selected = l
			}
		}
	}
	if c.Chooser == nil {
		c.Chooser = widget.NewRadioGroup(labels, nil)
		c.Chooser.Required = true
	}
	c.Chooser.OnChanged = nil
	c.Chooser.Options = labels
	c.Chooser.Selected = selected
	c.Chooser.Refresh()
	c.Chooser.OnChanged = c.choose
	if c.decided {
		c.Chooser.Disable()
	}
	title := widget.NewLabelWithStyle(itoa(int64(len(cs)))+" contacts match this number — which one?",
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	return container.NewVBox(title, c.Chooser)
}

// choose is the chooser's OnChanged.
func (c *Card) choose(label string) {
	id, ok := c.chooserIDs[label]
	if !ok || id == c.chosen {
		return
	}
	c.chosen = id
	if c.picked != nil && c.picked.ContactID != id {
		c.picked = nil
	}
	if c.Matter != nil {
		c.Matter.ClearSelected() // the matter follows the contact
	}
	c.refreshAll()
}

// callerLabel is a chooser option: "Jordan Lee · Lee Bakery LLC — mobile
// number (weak match)".
func callerLabel(cl Caller) string {
	s := joinNonEmpty(strings.TrimSpace(cl.Name), cl.Company)
	if s == "" {
		s = "Contact #" + itoa(cl.ContactID)
	}
	s = joinWithDash(s, cl.Reason)
	if strings.EqualFold(cl.Strength, "weak") {
		s += " (weak match)"
	}
	return s
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
		if c.Missed() {
			return missedWord(c.v) + " call at " + c.whenText()
		}
	default:
		state = "Ringing…"
	}
	return directionLabel(c.v.Direction) + " · " + state
}

func (c *Card) buildList() {
	cur := c.current()
	var objs []fyne.CanvasObject
	switch {
	case cur == nil:
		if c.unk == nil {
			c.unk = newUnknownPanel(c)
		}
		c.unk.refresh()
		objs = append(objs, c.unk.box)
	case len(cur.Matters) == 0:
		objs = append(objs, widget.NewLabel("No open or pending matters"))
	default:
		objs = append(objs, widget.NewLabelWithStyle("Open and pending matters", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, m := range cur.Matters {
			row := widget.NewRichText(
				&widget.TextSegment{Text: matterLabel(m), Style: matterTitleStyle},
				&widget.TextSegment{Text: joinNonEmpty(m.Status, m.ResponsibleAttorney, m.PracticeArea), Style: widget.RichTextStyleParagraph},
			)
			row.Truncation = fyne.TextTruncateEllipsis
			objs = append(objs, row)
		}
		for _, m := range cur.Matters {
			if c.v.SuggestedMatterID == 0 || m.ID != c.v.SuggestedMatterID {
				continue
			}
			text := "Suggested: " + matterLabel(m)
			if r := strings.TrimSpace(m.Reason); r != "" {
				text += " (" + r + ")"
			}
			sug := widget.NewLabel(text)
			sug.Truncation = fyne.TextTruncateEllipsis
			sug.Importance = widget.HighImportance
			objs = append(objs, sug)
		}
	}
	c.list.Objects = objs
	c.list.Refresh()
}

// markNotClient is "Not a client": the call is logged without a contact.
func (c *Card) markNotClient() {
	if c.notClient || c.decided {
		return
	}
	c.notClient = true
	if c.cfg.onNotClient != nil {
		c.cfg.onNotClient(c.v.CallID)
	}
	c.refreshAll()
}

// pick makes a contact found with "Find in Clio…" the call's contact.
func (c *Card) pick(cl Caller) {
	if c.decided {
		return
	}
	if cl.Strength == "" {
		cl.Strength = "picked"
	}
	c.picked = &cl
	c.chosen = cl.ContactID
	c.notClient = false
	if c.Matter != nil {
		c.Matter.ClearSelected()
	}
	if c.cfg.onPick != nil {
		c.cfg.onPick(c.v.CallID, cl)
	}
	c.refreshAll()
}

// joinWithDash is "a — b", or just a when b is empty.
func joinWithDash(a, b string) string {
	if b = strings.TrimSpace(b); b == "" {
		return a
	}
	return a + " — " + b
}
