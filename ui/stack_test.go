package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func newTestStack(t *testing.T, opts ...CardOption) (*Stack, fyne.Window, *[]WrapUp) {
	t.Helper()
	test.NewTempApp(t)
	var got []WrapUp
	s := NewStack(func(w WrapUp) { got = append(got, w) }, append([]CardOption{WithNow(fixedNow)}, opts...)...)
	w := test.NewTempWindow(t, s.Content())
	w.Resize(fyne.NewSize(440, 640))
	return s, w, &got
}

func TestStackTwoCalls(t *testing.T) {
	s, w, got := newTestStack(t)
	if s.Title() != "CallDocket" || s.Len() != 0 {
		t.Errorf("empty stack: title %q len %d, want CallDocket, 0", s.Title(), s.Len())
	}
	first := ended(knownCall(), true)
	s.Show(first)
	second := unknownCall()
	second.RingAt = endAt
	s.Show(second)
	// A wrap-up waiting for its decision keeps the expansion.
	if s.Expanded() != "sim-1" {
		t.Errorf("Expanded() = %q, want sim-1 (wrap-up in progress)", s.Expanded())
	}
	if got, want := s.CallIDs(), []string{"sim-2", "sim-1"}; got[0] != want[0] || got[1] != want[1] {
		t.Errorf("CallIDs() = %v, want %v", got, want)
	}
	if want := "Jordan Lee (+1 more) — CallDocket"; s.Title() != want {
		t.Errorf("Title() = %q, want %q", s.Title(), want)
	}
	if want := "Unknown caller · +44 20 7946 0958 · Ringing…"; s.rows["sim-2"].label.Text != want {
		t.Errorf("collapsed row = %q, want %q", s.rows["sim-2"].label.Text, want)
	}
	test.AssertRendersToMarkup(t, "stack_two.xml", w.Canvas())

	// B goes to the expanded wrap-up.
	if !s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB}) || len(*got) != 1 || (*got)[0].CallID != "sim-1" {
		t.Fatalf("TypedKey(B) wrap-ups = %+v, want one for sim-1", *got)
	}
	if want := "Jordan Lee · (212) 555-0123 · Logged — will sync to Clio"; s.Card("sim-1").Summary() != want {
		t.Errorf("Summary() = %q, want %q", s.Card("sim-1").Summary(), want)
	}
	// Expanding with the row's button, and with the arrow keys.
	test.Tap(s.rows["sim-2"].open)
	if s.Expanded() != "sim-2" {
		t.Errorf("after tapping Show Expanded() = %q, want sim-2", s.Expanded())
	}
	if !s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) || s.Expanded() != "sim-1" {
		t.Errorf("Down: Expanded() = %q, want sim-1", s.Expanded())
	}
	if s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) {
		t.Errorf("Down at the end = true, want false")
	}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})

	s.Remove("sim-1")
	s.Remove("nope")
	if s.Len() != 1 || s.Expanded() != "sim-2" {
		t.Errorf("after Remove: len %d expanded %q, want 1, sim-2", s.Len(), s.Expanded())
	}
	s.Remove("sim-2")
	if s.Len() != 0 || s.Expanded() != "" || s.Title() != "CallDocket" {
		t.Errorf("emptied: len %d expanded %q title %q", s.Len(), s.Expanded(), s.Title())
	}
}

func TestStackKeyRouting(t *testing.T) {
	s, _, got := newTestStack(t)
	older := ended(knownCall(), true)
	s.Show(older)
	ringing := unknownCall()
	s.Show(ringing) // the expansion stays on sim-1
	s.Expand("sim-2")
	if s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyA}) {
		t.Errorf("TypedKey(A) = true, want false")
	}
	// With a ringing card highlighted, B, N, Enter and Esc do nothing:
	// they never jump to the wrap-up waiting further down.
	for _, k := range []fyne.KeyName{fyne.KeyB, fyne.KeyN, fyne.KeyReturn, fyne.KeyEscape} {
		if s.TypedKey(&fyne.KeyEvent{Name: k}) {
			t.Errorf("TypedKey(%s) with a ringing card highlighted = true, want false", k)
		}
	}
	if len(*got) != 0 || s.Expanded() != "sim-2" || s.Card("sim-1").Decided() {
		t.Fatalf("wrap-ups %+v expanded %q, want none and sim-2 still highlighted", *got, s.Expanded())
	}
	// The new call updates in place.
	ringing.AnsweredAt = answerAt
	s.Show(ringing)
	if s.Len() != 2 || s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB}) {
		t.Errorf("active call highlighted: Len() %d; B must do nothing", s.Len())
	}
	// Highlight the wrap-up: now N decides it.
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if !s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyN}) || len(*got) != 1 || (*got)[0].CallID != "sim-1" || (*got)[0].Decision != DecisionNonBillable {
		t.Errorf("N on the highlighted wrap-up: %+v, want sim-1 non-billable", *got)
	}
	if s.TypedKey(nil) {
		t.Errorf("TypedKey(nil) = true")
	}
}

// TestStackKeysActOnHighlighted: with a missed call and an ended call
// both in the stack, B acts on the highlighted one only.
func TestStackKeysActOnHighlighted(t *testing.T) {
	mc := &missedCalls{}
	s, _, got := newTestStack(t, mc.options()...)
	s.Show(ended(knownCall(), true)) // sim-1, waiting for its decision
	s.Show(missedCall())             // sim-9, newer
	if s.Expanded() != "sim-1" {
		t.Fatalf("Expanded() = %q, want sim-1 kept", s.Expanded())
	}
	if !s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB}) {
		t.Fatalf("TypedKey(B) = false, want the highlighted wrap-up decided")
	}
	if len(*got) != 1 || (*got)[0].CallID != "sim-1" || (*got)[0].Decision != DecisionBillable {
		t.Errorf("wrap-ups = %+v, want one billable for sim-1", *got)
	}
	if s.Card("sim-9").Dismissed() || len(mc.dismissed) != 0 {
		t.Errorf("the missed card was touched")
	}

	// The missed card highlighted: B does nothing, Esc dismisses it.
	s.Expand("sim-9")
	if s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB}) || len(*got) != 1 {
		t.Errorf("B on the missed card = used, wrap-ups %+v", *got)
	}
	if !s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) {
		t.Fatalf("Esc on the missed card = false, want dismissed")
	}
	if len(mc.dismissed) != 1 || mc.dismissed[0] != "sim-9" || s.Card("sim-9") != nil || s.Len() != 1 {
		t.Errorf("after Esc: dismissed %v, card %v, len %d; want [sim-9] removed", mc.dismissed, s.Card("sim-9"), s.Len())
	}
	if s.Expanded() != "sim-1" {
		t.Errorf("Expanded() after dismiss = %q, want sim-1", s.Expanded())
	}
}

func TestStackNewCallHighlight(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *Stack)
		want  string
	}{
		{"empty stack", func(*Stack) {}, "sim-3"},
		{"ringing highlighted", func(s *Stack) { s.Show(unknownCall()) }, "sim-2"},
		{"wrap-up highlighted", func(s *Stack) { s.Show(ended(knownCall(), true)) }, "sim-1"},
		{"decided highlighted", func(s *Stack) {
			s.Show(ended(knownCall(), true))
			s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyN})
		}, "sim-1"},
		{"highlighted removed", func(s *Stack) {
			s.Show(unknownCall())
			s.Show(ended(knownCall(), true))
			s.Remove("sim-2")
			s.Remove("sim-1")
		}, "sim-3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newTestStack(t)
			tt.setup(s)
			v := knownCall()
			v.CallID = "sim-3"
			s.Show(v)
			if s.Expanded() != tt.want {
				t.Errorf("Expanded() after a new call = %q, want %q", s.Expanded(), tt.want)
			}
		})
	}
}

func TestStackSetDefaults(t *testing.T) {
	s, _, got := newTestStack(t, WithDefaultBillable(false))
	s.Show(ended(knownCall(), true))
	c := s.Card("sim-1")
	if c.keysHint.Text != "Enter = Non-billable · Esc = later" {
		t.Fatalf("keys hint = %q, want non-billable default", c.keysHint.Text)
	}
	s.SetDefaults(Defaults{Increment: 15 * time.Minute, DefaultBillable: true})
	if want := "Duration 4:12 · bills as 0.25 h (15-minute increments)"; c.summary.Text != want {
		t.Errorf("summary = %q, want %q", c.summary.Text, want)
	}
	if c.keysHint.Text != "Enter = Billable · Esc = later" || c.Billable.Importance != widget.HighImportance ||
		c.NonBillable.Importance == widget.HighImportance {
		t.Errorf("hint %q, billable importance %v, non-billable %v; want billable the default",
			c.keysHint.Text, c.Billable.Importance, c.NonBillable.Importance)
	}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(*got) != 1 || (*got)[0].Decision != DecisionBillable {
		t.Fatalf("Enter after SetDefaults(billable) = %+v, want billable", *got)
	}

	// A decided card keeps what it showed; a new card starts from the new defaults.
	s.SetDefaults(Defaults{Increment: 6 * time.Minute, MinDuration: 5 * time.Minute})
	if want := "Duration 4:12 · bills as 0.25 h (15-minute increments)"; c.summary.Text != want {
		t.Errorf("decided card's summary = %q, want it kept", c.summary.Text)
	}
	v := ended(knownCall(), true)
	v.CallID = "sim-5"
	s.Show(v)
	if want := "Duration 4:12 · under the 5:00 minimum, no time entry"; s.Card("sim-5").summary.Text != want {
		t.Errorf("new card's summary = %q, want %q", s.Card("sim-5").summary.Text, want)
	}
	if s.Card("sim-5").keysHint.Text != "Enter = Non-billable · Esc = later" {
		t.Errorf("new card's hint = %q, want non-billable", s.Card("sim-5").keysHint.Text)
	}
}

func TestStackOverdue(t *testing.T) {
	s, _, _ := newTestStack(t)
	a := ended(knownCall(), true)
	s.Show(a)
	b := ended(unknownCall(), true)
	b.EndedAt = endAt.Add(5 * time.Minute)
	s.Show(b)
	c := knownCall()
	c.CallID = "sim-3"
	s.Show(c)            // still ringing: never overdue
	s.Show(missedCall()) // a missed call: stays until dismissed

	tests := []struct {
		now  time.Time
		want []string
	}{
		{endAt.Add(9 * time.Minute), nil},
		{endAt.Add(10 * time.Minute), []string{"sim-1"}},
		{endAt.Add(16 * time.Minute), []string{"sim-1", "sim-2"}},
	}
	for _, tt := range tests {
		got := s.Overdue(tt.now, 10*time.Minute)
		if len(got) != len(tt.want) {
			t.Fatalf("Overdue(%v) = %v, want %v", tt.now, got, tt.want)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Overdue(%v) = %v, want %v", tt.now, got, tt.want)
			}
		}
	}
	s.Tick()
}

func TestStackOrdersByRingTime(t *testing.T) {
	test.NewTempApp(t)
	s := NewStack(func(WrapUp) {})
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		id string
		at time.Time
	}{{"new", t0.Add(2 * time.Minute)}, {"old", t0}, {"middle", t0.Add(time.Minute)}} {
		s.Show(CallView{CallID: c.id, Number: "+1 212 555 0100", RingAt: c.at})
	}
	if got := strings.Join(s.CallIDs(), ","); got != "new,middle,old" {
		t.Fatalf("order = %s, want newest first by ring time", got)
	}
}
