package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// missedCalls records the missed-call card's callbacks.
type missedCalls struct {
	notes     [][2]string
	callBacks []string
	dismissed []string
}

func (m *missedCalls) options() []CardOption {
	return []CardOption{
		OnAddNote(func(id, text string) { m.notes = append(m.notes, [2]string{id, text}) }),
		OnCallBack(func(id string) { m.callBacks = append(m.callBacks, id) }),
		OnDismiss(func(id string) { m.dismissed = append(m.dismissed, id) }),
	}
}

func TestMissedCardShowsNoDecision(t *testing.T) {
	mc := &missedCalls{}
	c, _, got := newOptCard(t, missedCall(), mc.options()...)
	if !c.Missed() || c.Waiting() {
		t.Fatalf("Missed() = %v, Waiting() = %v; want a missed card not waiting for a decision", c.Missed(), c.Waiting())
	}
	if c.Billable != nil || c.NonBillable != nil || c.Later != nil || c.Matter != nil || c.Note != nil {
		t.Errorf("missed card has wrap-up widgets, want none")
	}
	if c.state.Text != "Missed call at 14:05" || c.missed.logged.Text != "Logged to Clio as a missed call" {
		t.Errorf("state %q logged %q, want when and the app's status", c.state.Text, c.missed.logged.Text)
	}
	if want := "Jordan Lee · (212) 555-0123 · Missed at 14:05"; c.Summary() != want {
		t.Errorf("Summary() = %q, want %q", c.Summary(), want)
	}
	for _, k := range []fyne.KeyName{fyne.KeyB, fyne.KeyN, fyne.KeyReturn, fyne.KeyEnter, fyne.KeyX} {
		if c.TypedKey(&fyne.KeyEvent{Name: k}) {
			t.Errorf("TypedKey(%s) on a missed card = true, want false", k)
		}
	}
	if len(*got) != 0 {
		t.Errorf("wrap-ups = %+v, want none", *got)
	}
	// The app's status changes in place.
	v := missedCall()
	v.Logged = "Will be logged when Clio is reachable"
	c.Update(v)
	if c.missed.logged.Text != v.Logged {
		t.Errorf("logged after Update = %q, want %q", c.missed.logged.Text, v.Logged)
	}
}

func TestMissedCardAddNote(t *testing.T) {
	mc := &missedCalls{}
	c, w, _ := newOptCard(t, missedCall(), mc.options()...)
	if c.missed.noteBox.Visible() {
		t.Fatalf("note entry visible before Add note")
	}
	if !c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyA}) || !c.missed.noteBox.Visible() || w.Canvas().Focused() != c.MissedNote {
		t.Fatalf("A: note visible %v focus %v, want the entry shown and focused", c.missed.noteBox.Visible(), w.Canvas().Focused())
	}
	test.AssertRendersToMarkup(t, "pop_missed_note.xml", w.Canvas())
	// Keys typed into the note stay in the note.
	if c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) || len(mc.dismissed) != 0 {
		t.Errorf("Esc while typing the note dismissed the card")
	}
	test.Tap(c.SaveNote) // empty: nothing saved
	if len(mc.notes) != 0 {
		t.Errorf("empty note saved: %v", mc.notes)
	}
	test.Type(c.MissedNote, "Left a voicemail")
	c.MissedNote.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(mc.notes) != 1 || mc.notes[0] != [2]string{"sim-9", "Left a voicemail"} {
		t.Fatalf("notes = %v, want one for sim-9", mc.notes)
	}
	if c.missed.noteBox.Visible() || !c.missed.noteDone.Visible() || c.missed.noteDone.Text != "Note added" {
		t.Errorf("after save: entry visible %v, %q visible %v; want hidden and Note added",
			c.missed.noteBox.Visible(), c.missed.noteDone.Text, c.missed.noteDone.Visible())
	}
	if w.Canvas().Focused() != nil {
		t.Errorf("focus after save = %v, want none so the card's keys work", w.Canvas().Focused())
	}
	test.AssertRendersToMarkup(t, "pop_missed_noted.xml", w.Canvas())
}

func TestMissedCardKeys(t *testing.T) {
	noCallBack := missedCall()
	noCallBack.CanCallBack = false
	tests := []struct {
		name                     string
		v                        CallView
		key                      fyne.KeyName
		used                     bool
		callBacks, dismissed     int
		wantDismissed, wantShown bool
	}{
		{"C calls back", missedCall(), fyne.KeyC, true, 1, 0, false, true},
		{"C without call back", noCallBack, fyne.KeyC, false, 0, 0, false, false},
		{"Esc dismisses", missedCall(), fyne.KeyEscape, true, 0, 1, true, true},
		{"Esc dismisses without call back", noCallBack, fyne.KeyEscape, true, 0, 1, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mc := &missedCalls{}
			c, _, _ := newOptCard(t, tt.v, mc.options()...)
			if c.CallBack.Visible() != tt.wantShown {
				t.Errorf("Call back visible = %v, want %v", c.CallBack.Visible(), tt.wantShown)
			}
			if got := c.TypedKey(&fyne.KeyEvent{Name: tt.key}); got != tt.used {
				t.Errorf("TypedKey(%s) = %v, want %v", tt.key, got, tt.used)
			}
			if len(mc.callBacks) != tt.callBacks || len(mc.dismissed) != tt.dismissed || c.Dismissed() != tt.wantDismissed {
				t.Errorf("call backs %v dismissed %v Dismissed() %v, want %d, %d, %v",
					mc.callBacks, mc.dismissed, c.Dismissed(), tt.callBacks, tt.dismissed, tt.wantDismissed)
			}
			if tt.wantDismissed {
				if !c.Dismiss.Disabled() || !c.AddNote.Disabled() || c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) {
					t.Errorf("after dismiss: buttons enabled or Esc used again")
				}
				if len(mc.dismissed) != 1 || mc.dismissed[0] != "sim-9" {
					t.Errorf("dismissed = %v, want [sim-9]", mc.dismissed)
				}
			}
		})
	}
}

func TestMissedCardWithoutCallbacks(t *testing.T) {
	c, _, _ := newOptCard(t, missedCall())
	if !c.AddNote.Disabled() || !c.CallBack.Disabled() || c.Dismiss.Disabled() {
		t.Errorf("add note/call back/dismiss disabled = %v/%v/%v, want true/true/false",
			c.AddNote.Disabled(), c.CallBack.Disabled(), c.Dismiss.Disabled())
	}
	if c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyA}) || c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyC}) {
		t.Errorf("A or C used without their callbacks")
	}
	test.Tap(c.Dismiss)
	if !c.Dismissed() {
		t.Errorf("Dismissed() = false after tapping Dismiss")
	}
}

func TestMissedCardWhen(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		name string
		ring time.Time
		want string
	}{
		{"today", ringAt, "Missed call at 14:05"},
		{"yesterday", ringAt.Add(-24 * time.Hour), "Missed call at Mon 23 Nov 14:05"},
		{"no ring time", time.Time{}, "Missed call at 14:09"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := missedCall()
			v.RingAt = tt.ring
			c := NewCard(v, nil, WithNow(fixedNow))
			if c.state.Text != tt.want {
				t.Errorf("state = %q, want %q", c.state.Text, tt.want)
			}
		})
	}
}

func TestRingingThenMissed(t *testing.T) {
	mc := &missedCalls{}
	c, _, got := newOptCard(t, unknownCall(), mc.options()...)
	if c.Missed() {
		t.Fatalf("ringing card Missed() = true")
	}
	v := ended(unknownCall(), false)
	c.Update(v)
	if !c.Missed() || c.unknownVisible() {
		t.Errorf("after the call ended unanswered: Missed() %v, unknown-caller actions offered %v", c.Missed(), c.unknownVisible())
	}
	if c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyX}) || len(*got) != 0 {
		t.Errorf("X on a missed card was used")
	}
	if c.state.Text != "Missed call at 14:05" {
		t.Errorf("state = %q", c.state.Text)
	}
}

func TestMissedCardDismissKeepsTypedNote(t *testing.T) {
	mc := &missedCalls{}
	c, _, _ := newOptCard(t, missedCall(), mc.options()...)
	test.Tap(c.AddNote)
	test.Type(c.MissedNote, "Will call Monday")
	test.Tap(c.Dismiss)
	if len(mc.notes) != 1 || mc.notes[0][1] != "Will call Monday" || len(mc.dismissed) != 1 {
		t.Errorf("notes %v dismissed %v, want the typed note saved, then dismissed", mc.notes, mc.dismissed)
	}
}

// TestDeclinedCardSaysDeclined: a call the attorney declined at the phone
// gets the missed-call card, worded "Declined".
func TestDeclinedCardSaysDeclined(t *testing.T) {
	mc := &missedCalls{}
	v := missedCall()
	v.Declined = true
	v.Logged = "Logged to Clio as a declined call"
	c, _, _ := newOptCard(t, v, mc.options()...)
	if !c.Missed() || c.Waiting() {
		t.Fatalf("Missed() = %v, Waiting() = %v; want the missed-call card, not waiting for a decision", c.Missed(), c.Waiting())
	}
	if c.state.Text != "Declined call at 14:05" || c.missed.logged.Text != v.Logged {
		t.Errorf("state %q logged %q, want Declined call at 14:05 and the app's status", c.state.Text, c.missed.logged.Text)
	}
	if want := "Jordan Lee · (212) 555-0123 · Declined at 14:05"; c.Summary() != want {
		t.Errorf("Summary() = %q, want %q", c.Summary(), want)
	}
}
