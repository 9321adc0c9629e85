package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestFirstRun(t *testing.T) {
	test.NewTempApp(t)
	var calls []string
	r := NewFirstRun(FirstRunActions{
		ConnectClio:  func() { calls = append(calls, "connect") },
		UseSandbox:   func() { calls = append(calls, "sandbox") },
		ChooseSource: func(s string) { calls = append(calls, "source "+s) },
		SendTestCall: func() { calls = append(calls, "test call") },
		Done:         func() { calls = append(calls, "done") },
	})
	w := test.NewTempWindow(t, r.Content())
	w.Resize(fyne.NewSize(520, 420))
	test.AssertRendersToMarkup(t, "firstrun_1.xml", w.Canvas())
	if !r.back.Disabled() {
		t.Errorf("Back enabled on the first step")
	}
	// Keyboard: Tab reaches "Connect Clio…" first.
	test.FocusNext(w.Canvas())
	if w.Canvas().Focused() != r.connect {
		t.Errorf("first focus = %v, want Connect Clio…", w.Canvas().Focused())
	}
	test.Tap(r.sandbox)
	if r.Step() != 1 {
		t.Fatalf("Step() after Sandbox = %d, want 1", r.Step())
	}
	r.source.SetSelected(SourceName(SourceSIP))
	test.AssertRendersToMarkup(t, "firstrun_2.xml", w.Canvas())
	test.Tap(r.next)
	test.Tap(r.testCall)
	test.AssertRendersToMarkup(t, "firstrun_3.xml", w.Canvas())
	if r.next.Text != "Finish" {
		t.Errorf("last step's Next = %q, want Finish", r.next.Text)
	}
	test.Tap(r.next)
	want := []string{"sandbox", "source sip", "test call", "done"}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("calls = %q, want %q", calls, want)
	}
	test.Tap(r.back)
	test.Tap(r.back)
	r.Back()
	if r.Step() != 0 {
		t.Errorf("Step() after going back = %d, want 0", r.Step())
	}
	none := NewFirstRun(FirstRunActions{})
	if !none.connect.Disabled() || !none.sandbox.Disabled() || !none.testCall.Disabled() {
		t.Errorf("nil actions leave their buttons enabled")
	}
}
