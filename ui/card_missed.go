package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// missedPanel is the rest of the missed-call card: the app's logging
// status, the note form and the buttons.
type missedPanel struct {
	logged   *widget.Label // CallView.Logged
	noteBox  *fyne.Container
	noteDone *widget.Label // "Note added"
	buttons  *fyne.Container
}

// buildMissed shows the compact missed-call card: who and when, whether
// the call is logged, and Add note, Call back, Dismiss. There is no
// matter picker and no billable choice: a missed call is logged as it is.
func (c *Card) buildMissed() {
	if c.missed == nil {
		c.newMissedPanel()
	}
	p := c.missed
	setLabel(p.logged, strings.TrimSpace(c.v.Logged))
	if c.v.CanCallBack {
		c.CallBack.Show()
	} else {
		c.CallBack.Hide()
	}
	setEnabled(c.CallBack, c.cfg.onCallBack != nil && !c.dismissed)

	c.state.SetText(c.stateText())
	objs := c.identity()
	objs = append(objs, c.state, p.logged, widget.NewSeparator(), p.noteBox, p.noteDone, p.buttons)
	c.header.Objects = objs
	c.header.Refresh()
	c.list.Objects = nil
	c.list.Refresh()
	c.bottom.Objects = nil
	c.bottom.Refresh()
}

func (c *Card) newMissedPanel() {
	p := &missedPanel{logged: widget.NewLabel(""), noteDone: widget.NewLabel("")}
	p.logged.Wrapping = fyne.TextWrapWord
	p.noteDone.Hide()

	c.MissedNote = widget.NewEntry()
	c.MissedNote.SetPlaceHolder("Note for Clio, e.g. left a voicemail")
	c.MissedNote.OnSubmitted = func(string) { c.saveMissedNote() }
	c.SaveNote = widget.NewButton("Save", c.saveMissedNote)
	c.SaveNote.Importance = widget.HighImportance
	p.noteBox = container.NewBorder(nil, nil, nil, c.SaveNote, c.MissedNote)
	p.noteBox.Hide()

	c.AddNote = widget.NewButton("Add note (A)", func() { c.openMissedNote() })
	if c.cfg.onAddNote == nil {
		c.AddNote.Disable()
	}
	c.CallBack = widget.NewButton("Call back (C)", func() { c.callBack() })
	c.Dismiss = widget.NewButton("Dismiss (Esc)", c.dismiss)
	p.buttons = container.NewHBox(c.AddNote, c.CallBack, c.Dismiss)
	c.missed = p
}

// missedKey handles the missed-call card's keys: A add note, C call back,
// Escape dismiss.
func (c *Card) missedKey(name fyne.KeyName) bool {
	switch name {
	case fyne.KeyA:
		// The "a" rune of this key press comes after it: focus the entry
		// once it is handled, or the note would start with an "a".
		if c.missed == nil || c.dismissed || c.cfg.onAddNote == nil {
			return false
		}
		fyne.Do(func() { c.openMissedNote() })
		return true
	case fyne.KeyC:
		return c.callBack()
	case fyne.KeyEscape:
		c.dismiss()
		return true
	}
	return false
}

// openMissedNote reveals the note entry and focuses it.
func (c *Card) openMissedNote() bool {
	if c.missed == nil || c.dismissed || c.cfg.onAddNote == nil {
		return false
	}
	c.missed.noteBox.Show()
	c.missed.noteDone.Hide()
	c.header.Refresh()
	// The entry was hidden until now: focus it through the card's canvas,
	// which is known, so the very next key goes into the note.
	if cv := canvasOf(c.root); cv != nil {
		cv.Focus(c.MissedNote)
	} else {
		focus(c.MissedNote)
	}
	return true
}

// saveMissedNote hands the note to the app and says so.
func (c *Card) saveMissedNote() {
	text := strings.TrimSpace(c.MissedNote.Text)
	if c.dismissed || c.cfg.onAddNote == nil {
		return
	}
	if text == "" {
		focus(c.MissedNote)
		return
	}
	c.cfg.onAddNote(c.v.CallID, text)
	c.MissedNote.SetText("")
	c.missed.noteBox.Hide()
	setLabel(c.missed.noteDone, "Note added")
	c.header.Refresh()
	if cv := canvasOf(c.root); cv != nil && cv.Focused() == c.MissedNote {
		cv.Unfocus() // the card's keys work again
	}
}

// callBack asks the app to ring the caller back.
func (c *Card) callBack() bool {
	if c.dismissed || !c.v.CanCallBack || c.cfg.onCallBack == nil {
		return false
	}
	c.cfg.onCallBack(c.v.CallID)
	return true
}

// dismiss takes the missed-call card off the pop; the call stays logged.
// A note typed but not saved yet is saved first: nothing typed is lost.
func (c *Card) dismiss() {
	if c.dismissed || !c.Missed() {
		return
	}
	if c.missed.noteBox.Visible() && strings.TrimSpace(c.MissedNote.Text) != "" {
		c.saveMissedNote()
	}
	c.dismissed = true
	for _, b := range []*widget.Button{c.AddNote, c.CallBack, c.Dismiss, c.SaveNote} {
		b.Disable()
	}
	c.MissedNote.Disable()
	if c.removed != nil {
		c.removed()
	}
	if c.cfg.onDismiss != nil {
		c.cfg.onDismiss(c.v.CallID)
	}
}

// whenText is when the call rang: "14:05" today, else "Mon 23 Nov 14:05".
func (c *Card) whenText() string {
	t := c.v.RingAt
	if t.IsZero() {
		t = c.v.EndedAt
	}
	if t.IsZero() {
		return "an unknown time"
	}
	now := c.now().In(t.Location())
	if y, m, d := now.Date(); t.Year() == y && t.Month() == m && t.Day() == d {
		return t.Format("15:04")
	}
	return t.Format("Mon 2 Jan 15:04")
}

// setLabel sets a label's text and hides it while the text is empty.
func setLabel(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// canvasOf is the canvas obj is shown on, nil if none.
func canvasOf(obj fyne.CanvasObject) fyne.Canvas {
	a := fyne.CurrentApp()
	if a == nil {
		return nil
	}
	return a.Driver().CanvasForObject(obj)
}
