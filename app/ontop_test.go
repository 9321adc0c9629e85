package app

import (
	"log/slog"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Under Fyne's test driver there is no GLFW or native window: the on-top
// entry points must show the window and otherwise do nothing, whatever the
// order of calls. The native paths are covered by app/internal/ontop (X11
// against Xvfb) and e2e/ontop_test.go (the real binary).
func TestOnTopWithoutNativeWindow(t *testing.T) {
	tests := []struct {
		name  string
		log   *slog.Logger
		calls []func(fyne.Window, *slog.Logger)
	}{
		{"show", slog.New(slog.DiscardHandler), []func(fyne.Window, *slog.Logger){showWithoutFocus}},
		{"keep before first show", nil, []func(fyne.Window, *slog.Logger){keepOnTop, showWithoutFocus}},
		{"show again", nil, []func(fyne.Window, *slog.Logger){showWithoutFocus, keepOnTop, showWithoutFocus, showWithoutFocus}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			w := a.NewWindow("pop")
			w.SetContent(widget.NewLabel("caller"))
			for _, call := range tc.calls {
				call(w, tc.log)
			}
			if got := w.Canvas().Focused(); got != nil {
				t.Errorf("focused object after showing = %v, want nil", got)
			}
		})
	}
}
