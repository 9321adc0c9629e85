package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
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
	s.Card("sim-1").decided = false
	ringing := unknownCall()
	s.Show(ringing) // expanded would stay on sim-1; expand the new one by hand
	s.Expand("sim-2")
	if s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyA}) {
		t.Errorf("TypedKey(A) = true, want false")
	}
	// B with a ringing card expanded goes to the newest waiting wrap-up.
	if !s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyN}) {
		t.Fatalf("TypedKey(N) = false, want it routed to sim-1")
	}
	if len(*got) != 1 || (*got)[0].CallID != "sim-1" || (*got)[0].Decision != DecisionNonBillable || s.Expanded() != "sim-1" {
		t.Errorf("wrap-ups %+v expanded %q, want sim-1 non-billable and expanded", *got, s.Expanded())
	}
	if s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB}) {
		t.Errorf("TypedKey(B) with nothing waiting = true, want false")
	}
	// The new call updates in place.
	ringing.AnsweredAt = answerAt
	s.Show(ringing)
	if s.Len() != 2 {
		t.Errorf("Len() after update = %d, want 2", s.Len())
	}
	if s.TypedKey(nil) {
		t.Errorf("TypedKey(nil) = true")
	}
}

func TestStackOverdue(t *testing.T) {
	s, _, _ := newTestStack(t)
	a := ended(knownCall(), true)
	s.Show(a)
	b := ended(unknownCall(), false)
	b.EndedAt = endAt.Add(5 * time.Minute)
	s.Show(b)
	c := knownCall()
	c.CallID = "sim-3"
	s.Show(c) // still ringing: never overdue

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
