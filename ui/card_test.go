package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

var (
	ringAt   = time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC)
	answerAt = ringAt.Add(6 * time.Second)
	endAt    = answerAt.Add(4*time.Minute + 12*time.Second)
)

// fixedNow is the clock for cards under test: 2m15s into the call.
func fixedNow() time.Time { return answerAt.Add(2*time.Minute + 15*time.Second) }

func knownCall() CallView {
	return CallView{
		CallID:    "sim-1",
		Direction: "in",
		Number:    "(212) 555-0123",
		Callers: []Caller{{
			ContactID:    7,
			Name:         "Jordan Lee",
			Company:      "Lee Bakery LLC",
			ClientStatus: "Active",
			Strength:     "exact",
			Reason:       "mobile number",
			Matters: []Matter{
				{ID: 41, DisplayNumber: "00041-Lee", Description: "Bakery incorporation", Status: "Pending",
					ResponsibleAttorney: "Alex Morgan", PracticeArea: "Corporate"},
				{ID: 42, DisplayNumber: "00042-Lee", Description: "Lease dispute", Status: "Open",
					ResponsibleAttorney: "Alex Morgan", PracticeArea: "Real estate", Reason: "most recent activity"},
			},
		}},
		RingAt:            ringAt,
		SuggestedMatterID: 42,
	}
}

func unknownCall() CallView {
	return CallView{CallID: "sim-2", Direction: "in", Number: "+44 20 7946 0958", RingAt: ringAt}
}

// notAnswered is an outgoing call nobody picked up: a wrap-up, not a
// missed call.
func notAnswered() CallView {
	v := ended(unknownCall(), false)
	v.Direction = "out"
	return v
}

// missedCall is an inbound call nobody answered, already logged.
func missedCall() CallView {
	v := ended(knownCall(), false)
	v.CallID = "sim-9"
	v.Logged = "Logged to Clio as a missed call"
	v.CanCallBack = true
	return v
}

func ended(v CallView, answered bool) CallView {
	if answered {
		v.AnsweredAt = answerAt
	}
	v.EndedAt = endAt
	return v
}

// newTestCard shows a card in a fixed-size test window and records wrap-ups.
func newTestCard(t *testing.T, v CallView) (*Card, fyne.Window, *[]WrapUp) {
	t.Helper()
	test.NewTempApp(t)
	var got []WrapUp
	c := NewCard(v, func(w WrapUp) { got = append(got, w) }, WithNow(fixedNow))
	w := test.NewTempWindow(t, c.Content())
	w.Resize(fyne.NewSize(440, 640))
	return c, w, &got
}

func TestCardGoldens(t *testing.T) {
	weak := knownCall()
	weak.Callers[0].Strength = "weak"
	weak.Callers[0].Reason = "last 7 digits only"
	weak.Callers = append(weak.Callers, Caller{ContactID: 9, Name: "Sam Lee", ClientStatus: "Past"})
	active := knownCall()
	active.AnsweredAt = answerAt

	tests := []struct {
		golden string
		v      CallView
	}{
		{"pop_ringing.xml", knownCall()},
		{"pop_unknown.xml", unknownCall()},
		{"pop_active.xml", active},
		{"pop_weak.xml", weak},
		{"wrapup.xml", ended(knownCall(), true)},
		{"wrapup_not_answered.xml", notAnswered()},
		{"pop_missed.xml", missedCall()},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			_, w, _ := newTestCard(t, tt.v)
			test.AssertRendersToMarkup(t, tt.golden, w.Canvas())
		})
	}
}

func TestCardDecisionKeys(t *testing.T) {
	tests := []struct {
		key  fyne.KeyName
		want Decision
	}{
		{fyne.KeyB, DecisionBillable},
		{fyne.KeyN, DecisionNonBillable},
		{fyne.KeyEscape, DecisionLater},
		{fyne.KeyReturn, DecisionNonBillable},
		{fyne.KeyEnter, DecisionNonBillable},
	}
	for _, tt := range tests {
		t.Run(string(tt.key), func(t *testing.T) {
			c, _, got := newTestCard(t, ended(knownCall(), true))
			if !c.TypedKey(&fyne.KeyEvent{Name: tt.key}) {
				t.Fatalf("TypedKey(%s) = false, want true", tt.key)
			}
			c.TypedKey(&fyne.KeyEvent{Name: tt.key}) // repeat: ignored
			c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB})
			if len(*got) != 1 {
				t.Fatalf("TypedKey(%s) gave %d wrap-ups, want 1", tt.key, len(*got))
			}
			want := WrapUp{CallID: "sim-1", Decision: tt.want, ContactID: 7, MatterID: 42,
				Duration: 4*time.Minute + 12*time.Second}
			if (*got)[0] != want {
				t.Errorf("TypedKey(%s) wrap-up = %+v, want %+v", tt.key, (*got)[0], want)
			}
			if !c.Decided() {
				t.Errorf("Decided() = false after TypedKey(%s), want true", tt.key)
			}
		})
	}
}

func TestCardIgnoresOtherKeysAndEarlyKeys(t *testing.T) {
	c, _, got := newTestCard(t, knownCall())
	if c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB}) {
		t.Errorf("TypedKey(B) while ringing = true, want false")
	}
	c.Update(ended(knownCall(), true))
	if c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyX}) {
		t.Errorf("TypedKey(X) = true, want false")
	}
	if c.TypedKey(nil) {
		t.Errorf("TypedKey(nil) = true, want false")
	}
	if len(*got) != 0 {
		t.Errorf("wrap-ups = %d, want 0", len(*got))
	}
}

func TestCardKeysIgnoredWhileNoteFocused(t *testing.T) {
	c, w, got := newTestCard(t, ended(knownCall(), true))
	w.Canvas().Focus(c.Note)
	test.Type(c.Note, "bn")
	if c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB}) {
		t.Errorf("TypedKey(B) with note focused = true, want false")
	}
	if len(*got) != 0 {
		t.Fatalf("wrap-ups = %d, want 0", len(*got))
	}
	w.Canvas().Unfocus()
	c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB})
	if len(*got) != 1 || (*got)[0].Note != "bn" {
		t.Errorf("after unfocus wrap-ups = %+v, want one with note %q", *got, "bn")
	}
}

func TestCardTapAndNote(t *testing.T) {
	c, w, got := newTestCard(t, ended(knownCall(), true))
	test.Type(c.Note, "Discussed lease renewal")
	c.Matter.SetSelected("00041-Lee · Bakery incorporation")
	test.Tap(c.Billable)
	test.Tap(c.NonBillable) // second decision ignored
	test.Tap(c.Later)
	if len(*got) != 1 {
		t.Fatalf("wrap-ups = %d, want 1", len(*got))
	}
	want := WrapUp{CallID: "sim-1", Decision: DecisionBillable, ContactID: 7, MatterID: 41,
		Note: "Discussed lease renewal", Duration: 4*time.Minute + 12*time.Second}
	if (*got)[0] != want {
		t.Errorf("wrap-up = %+v, want %+v", (*got)[0], want)
	}
	for name, b := range map[string]interface{ Disabled() bool }{
		"Billable": c.Billable, "NonBillable": c.NonBillable, "Later": c.Later, "Matter": c.Matter, "Note": c.Note,
	} {
		if !b.Disabled() {
			t.Errorf("%s.Disabled() = false after decision, want true", name)
		}
	}
	if c.result.Text != "Logged — will sync to Clio" || !c.result.Visible() {
		t.Errorf("result = %q (visible %v), want %q", c.result.Text, c.result.Visible(), "Logged — will sync to Clio")
	}
	test.AssertRendersToMarkup(t, "wrapup_logged.xml", w.Canvas())
}

func TestCardLaterMessage(t *testing.T) {
	c, _, got := newTestCard(t, notAnswered())
	if want := "Not answered · no talk time"; c.summary.Text != want {
		t.Errorf("summary = %q, want %q", c.summary.Text, want)
	}
	if want := "Enter = Non-billable · Esc = later"; c.keysHint.Text != want {
		t.Errorf("keys hint = %q, want %q", c.keysHint.Text, want)
	}
	test.Tap(c.Later)
	if len(*got) != 1 {
		t.Fatalf("wrap-ups = %d, want 1", len(*got))
	}
	want := WrapUp{CallID: "sim-2", Decision: DecisionLater}
	if (*got)[0] != want {
		t.Errorf("wrap-up = %+v, want %+v", (*got)[0], want)
	}
	if c.result.Text != "Moved to Review calls" {
		t.Errorf("result = %q, want %q", c.result.Text, "Moved to Review calls")
	}
}

func TestCardMatterPreselection(t *testing.T) {
	noSuggestion := knownCall()
	noSuggestion.SuggestedMatterID = 0
	unknownSuggestion := knownCall()
	unknownSuggestion.SuggestedMatterID = 999
	noneOpen := knownCall()
	noneOpen.SuggestedMatterID = 0
	noneOpen.Callers[0].Matters = noneOpen.Callers[0].Matters[:1] // only the pending one
	noMatters := knownCall()
	noMatters.SuggestedMatterID = 0
	noMatters.Callers[0].Matters = nil
	second := knownCall()
	second.SuggestedMatterID = 0
	second.Callers = []Caller{{ContactID: 5, Name: "A"}, second.Callers[0]}

	tests := []struct {
		name        string
		v           CallView
		want        string
		wantMatter  int64
		wantContact int64
	}{
		{"suggested", knownCall(), "00042-Lee · Lease dispute", 42, 7},
		{"first open", noSuggestion, "00042-Lee · Lease dispute", 42, 7},
		{"unknown suggestion", unknownSuggestion, "00042-Lee · Lease dispute", 42, 7},
		{"no open matter", noneOpen, "00041-Lee · Bakery incorporation", 41, 7},
		{"no matters", noMatters, "No matter", 0, 7},
		{"unknown caller", unknownCall(), "No matter", 0, 0},
		{"matter of second caller", second, "00042-Lee · Lease dispute", 42, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, got := newTestCard(t, ended(tt.v, true))
			if c.Matter.Selected != tt.want {
				t.Errorf("Matter.Selected = %q, want %q", c.Matter.Selected, tt.want)
			}
			test.Tap(c.NonBillable)
			if w := (*got)[0]; w.MatterID != tt.wantMatter || w.ContactID != tt.wantContact {
				t.Errorf("wrap-up matter/contact = %d/%d, want %d/%d", w.MatterID, w.ContactID, tt.wantMatter, tt.wantContact)
			}
		})
	}
}

func TestCardUpdateKeepsEdits(t *testing.T) {
	c, _, got := newTestCard(t, knownCall())
	if c.Note != nil {
		t.Fatalf("Note exists while ringing, want nil")
	}
	a := knownCall()
	a.AnsweredAt = answerAt
	c.Update(a)
	if c.state.Text != "Incoming call · On call 02:15" {
		t.Errorf("state = %q, want %q", c.state.Text, "Incoming call · On call 02:15")
	}
	c.Update(ended(knownCall(), true))
	test.Type(c.Note, "keep me")
	c.Matter.SetSelected("00041-Lee · Bakery incorporation")
	c.Update(ended(knownCall(), true)) // e.g. a late caller refresh
	if c.Note.Text != "keep me" || c.Matter.Selected != "00041-Lee · Bakery incorporation" {
		t.Errorf("after Update note/matter = %q/%q, want kept", c.Note.Text, c.Matter.Selected)
	}
	test.Tap(c.Later)
	c.Update(ended(knownCall(), true))
	if !c.Billable.Disabled() || len(*got) != 1 {
		t.Errorf("after decided Update: billable disabled %v, wrap-ups %d; want true, 1", c.Billable.Disabled(), len(*got))
	}
}

func TestCardTick(t *testing.T) {
	test.NewTempApp(t)
	now := answerAt.Add(59 * time.Second)
	v := knownCall()
	v.AnsweredAt = answerAt
	c := NewCard(v, nil, WithNow(func() time.Time { return now }))
	if c.state.Text != "Incoming call · On call 00:59" {
		t.Errorf("state = %q, want %q", c.state.Text, "Incoming call · On call 00:59")
	}
	now = answerAt.Add(time.Hour + 2*time.Minute + 3*time.Second)
	c.Tick()
	if c.state.Text != "Incoming call · On call 1:02:03" {
		t.Errorf("state after Tick = %q, want %q", c.state.Text, "Incoming call · On call 1:02:03")
	}
	c.Update(ended(v, true))
	test.Tap(c.Billable) // nil onDone is fine
	if !c.Decided() {
		t.Errorf("Decided() = false, want true")
	}
}

func TestTitle(t *testing.T) {
	sandbox := knownCall()
	sandbox.Sandbox = true
	unknownSandbox := unknownCall()
	unknownSandbox.Sandbox = true
	tests := []struct {
		name string
		v    CallView
		want string
	}{
		{"known", knownCall(), "Jordan Lee — CallDocket"},
		{"unknown", unknownCall(), "+44 20 7946 0958 — CallDocket"},
		{"known sandbox", sandbox, "Jordan Lee — CallDocket (Sandbox)"},
		{"unknown sandbox", unknownSandbox, "+44 20 7946 0958 — CallDocket (Sandbox)"},
		{"no number", CallView{}, "Unknown caller — CallDocket"},
		{"blank name", CallView{Number: "555", Callers: []Caller{{Name: " "}}}, "555 — CallDocket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Title(tt.v); got != tt.want {
				t.Errorf("Title(%+v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct {
		in         time.Duration
		clock, dur string
	}{
		{0, "00:00", "0:00"},
		{-time.Second, "00:00", "0:00"},
		{7 * time.Second, "00:07", "0:07"},
		{4*time.Minute + 12*time.Second, "04:12", "4:12"},
		{time.Hour + 2*time.Minute + 3*time.Second, "1:02:03", "1:02:03"},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			if got := clock(tt.in); got != tt.clock {
				t.Errorf("clock(%v) = %q, want %q", tt.in, got, tt.clock)
			}
			if got := duration(tt.in); got != tt.dur {
				t.Errorf("duration(%v) = %q, want %q", tt.in, got, tt.dur)
			}
		})
	}
}

func TestClientBadge(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Active", "Active client"},
		{"pending", "Pending client"},
		{"Past", "Past client"},
		{"Not a client", "Not a client"},
		{"", "Not a client"},
		{"Prospect", "Prospect"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, _ := clientBadge(tt.in); got != tt.want {
				t.Errorf("clientBadge(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDirectionLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"in", "Incoming call"}, {"", "Incoming call"}, {"out", "Outgoing call"}, {"Outgoing", "Outgoing call"},
	}
	for _, tt := range tests {
		if got := directionLabel(tt.in); got != tt.want {
			t.Errorf("directionLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
