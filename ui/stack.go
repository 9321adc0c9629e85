package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Stack is the one pop window's content: every current call as a compact
// stack, newest first. One card is expanded (highlighted); the others are
// one line each (its "Show" button, clicked or reached with Tab and
// pressed with Space, expands it). Keys act on the expanded card only.
// Respecting "Pause pop-ups" is the app's job: it simply does not call
// Show.
//
// The app sets the window canvas's OnTypedKey to TypedKey and the window
// title to Title after each change.
type Stack struct {
	onDecision func(WrapUp)
	opts       []CardOption
	defaults   *Defaults // set by SetDefaults; overrides opts for new cards

	cards    map[string]*Card
	order    []string // call IDs, newest first
	rows     map[string]*stackRow
	expanded string

	root  *fyne.Container
	empty *widget.Label
}

// NewStack builds an empty stack. onDecision (may be nil) gets every
// card's wrap-up; opts apply to every card the stack creates.
func NewStack(onDecision func(WrapUp), opts ...CardOption) *Stack {
	s := &Stack{
		onDecision: onDecision,
		opts:       opts,
		cards:      map[string]*Card{},
		rows:       map[string]*stackRow{},
		empty:      widget.NewLabel("No calls right now"),
	}
	s.empty.Alignment = fyne.TextAlignCenter
	s.root = container.NewStack()
	s.layout()
	return s
}

// Content is the stack's canvas object; it stays the same.
func (s *Stack) Content() fyne.CanvasObject { return s.root }

// Show adds the call (newest first) or updates its card. A new call is
// expanded only when no card is: the attorney keeps the card they are
// looking at (and their keys keep acting on it), and the new call's line
// shows who is ringing.
func (s *Stack) Show(v CallView) {
	if c, ok := s.cards[v.CallID]; ok {
		c.Update(v)
		s.layout()
		return
	}
	id := v.CallID
	opts := s.opts
	if s.defaults != nil {
		opts = append(append([]CardOption(nil), opts...), WithDefaults(*s.defaults))
	}
	c := NewCard(v, func(w WrapUp) {
		s.refreshRows()
		if s.onDecision != nil {
			s.onDecision(w)
		}
	}, opts...)
	c.removed = func() { s.Remove(id) }
	s.cards[id] = c
	// Newest first by when the call rang, whatever order the cards arrive
	// in (after a restart, calls that waited come back beside new ones).
	at := len(s.order)
	for i, other := range s.order {
		if !v.RingAt.Before(s.cards[other].v.RingAt) {
			at = i
			break
		}
	}
	s.order = append(s.order[:at], append([]string{id}, s.order[at:]...)...)
	s.rows[id] = newStackRow(func() { s.Expand(id) })
	if _, ok := s.cards[s.expanded]; !ok {
		s.expanded = id
	}
	s.layout()
}

// SetDefaults applies new billing defaults at once to every card not yet
// decided (the preview, the highlighted default and what Enter does) and
// to every card shown later.
func (s *Stack) SetDefaults(d Defaults) {
	s.defaults = &d
	for _, c := range s.cards {
		c.SetDefaults(d)
	}
}

// Remove drops the call's card, e.g. a moment after its decision or when
// the app moves it to the review list; a dismissed missed-call card
// removes itself. If it was expanded, the newest card waiting for a
// decision (else the newest) is expanded.
func (s *Stack) Remove(callID string) {
	if _, ok := s.cards[callID]; !ok {
		return
	}
	delete(s.cards, callID)
	delete(s.rows, callID)
	for i, id := range s.order {
		if id == callID {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	if s.expanded == callID {
		s.expanded = ""
		if t := s.target(); t != nil {
			s.expanded = t.CallID()
		} else if len(s.order) > 0 {
			s.expanded = s.order[0]
		}
	}
	s.layout()
}

// Expand shows the call's full card and collapses the others.
func (s *Stack) Expand(callID string) {
	if _, ok := s.cards[callID]; !ok || s.expanded == callID {
		return
	}
	s.expanded = callID
	s.layout()
}

// Expanded is the call ID of the expanded card, "" when empty.
func (s *Stack) Expanded() string { return s.expanded }

// Len is the number of calls in the stack.
func (s *Stack) Len() int { return len(s.order) }

// Card returns the call's card, nil if it is not in the stack.
func (s *Stack) Card(callID string) *Card { return s.cards[callID] }

// CallIDs lists the stacked calls, newest first.
func (s *Stack) CallIDs() []string { return append([]string(nil), s.order...) }

// Tick refreshes the running calls' timers and the collapsed lines.
func (s *Stack) Tick() {
	for _, c := range s.cards {
		if c.EndedAt().IsZero() {
			c.Tick()
		}
	}
	s.refreshRows()
}

// Overdue lists the wrap-ups that ended at least after ago without a
// decision, oldest first: the app moves them to the review list and
// removes them from the stack. Missed-call cards are never overdue: they
// stay until dismissed.
func (s *Stack) Overdue(now time.Time, after time.Duration) []string {
	var out []string
	for i := len(s.order) - 1; i >= 0; i-- {
		c := s.cards[s.order[i]]
		if c.Waiting() && !now.Before(c.EndedAt().Add(after)) {
			out = append(out, c.CallID())
		}
	}
	return out
}

// TypedKey routes the card keys (B, N, Esc, Enter; C, F, X; A) to the
// expanded card, the one the attorney sees, and never to another: on a
// ringing or active call B and N do nothing. Up and Down move the
// expansion through the stack. It reports whether the key was used.
func (s *Stack) TypedKey(ev *fyne.KeyEvent) bool {
	if ev == nil || len(s.order) == 0 {
		return false
	}
	switch ev.Name {
	case fyne.KeyUp, fyne.KeyDown:
		return s.move(ev.Name == fyne.KeyDown)
	}
	c, ok := s.cards[s.expanded]
	if !ok || !c.TypedKey(ev) {
		return false
	}
	s.refreshRows()
	return true
}

// move expands the next (down) or previous (up) call.
func (s *Stack) move(down bool) bool {
	for i, id := range s.order {
		if id != s.expanded {
			continue
		}
		j := i - 1
		if down {
			j = i + 1
		}
		if j < 0 || j >= len(s.order) {
			return false
		}
		s.Expand(s.order[j])
		return true
	}
	return false
}

// target is the newest card waiting for a decision, nil if none.
func (s *Stack) target() *Card {
	for _, id := range s.order {
		if c := s.cards[id]; c.Waiting() {
			return c
		}
	}
	return nil
}

// Title is the pop window's title: the expanded call's Title, with the
// number of other calls: "Jordan Lee (+1 more) — CallDocket".
func (s *Stack) Title() string {
	c, ok := s.cards[s.expanded]
	if !ok {
		return "CallDocket"
	}
	return stackTitle(c.View(), len(s.order)-1)
}

func stackTitle(v CallView, others int) string {
	t := Title(v)
	if others <= 0 {
		return t
	}
	return strings.Replace(t, " — CallDocket", " (+"+strconv.Itoa(others)+" more) — CallDocket", 1)
}

// layout puts the collapsed lines above and below the expanded card.
func (s *Stack) layout() {
	if len(s.order) == 0 {
		s.root.Objects = []fyne.CanvasObject{s.empty}
		s.root.Refresh()
		return
	}
	s.refreshRows()
	var above, below []fyne.CanvasObject
	var center fyne.CanvasObject
	for _, id := range s.order {
		if id == s.expanded {
			center = s.cards[id].Content()
			continue
		}
		if center == nil {
			above = append(above, s.rows[id].box, widget.NewSeparator())
		} else {
			below = append(below, widget.NewSeparator(), s.rows[id].box)
		}
	}
	var top, bottom fyne.CanvasObject
	if len(above) > 0 {
		top = container.NewVBox(above...)
	}
	if len(below) > 0 {
		bottom = container.NewVBox(below...)
	}
	s.root.Objects = []fyne.CanvasObject{border(top, bottom, center)}
	s.root.Refresh()
}

// refreshRows updates the collapsed lines' text.
func (s *Stack) refreshRows() {
	for id, r := range s.rows {
		if text := s.cards[id].Summary(); r.label.Text != text {
			r.label.SetText(text)
		}
	}
}

// stackRow is a collapsed call: its one-line summary, truncated to the
// window's width, and a "Show" button (Tab, then Space) that expands it.
type stackRow struct {
	label *widget.Label
	open  *widget.Button
	box   *fyne.Container
}

func newStackRow(expand func()) *stackRow {
	r := &stackRow{label: widget.NewLabel(""), open: widget.NewButton("Show", expand)}
	r.label.Truncation = fyne.TextTruncateEllipsis
	r.box = container.NewBorder(nil, nil, nil, r.open, r.label)
	return r
}
