//go:build windows

package app

import (
	"log/slog"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"

	"github.com/calldocket/calldocket/app/internal/ontop"
)

// nativeBeforeShow does nothing on Windows: GLFW shows a window with
// SW_SHOWNA (no activation) once its focus-on-show attribute is off, and
// the topmost flag survives hiding.
func nativeBeforeShow(fyne.Window, *slog.Logger) {}

var topmostFailed sync.Once

// nativeKeepOnTop makes the window HWND_TOPMOST without activating it. GLFW's
// floating attribute does the same; this also covers a window GLFW does not
// track as floating.
func nativeKeepOnTop(w fyne.Window, log *slog.Logger) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	var hwnd uintptr
	nw.RunNative(func(ctx any) {
		if c, ok := ctx.(driver.WindowsWindowContext); ok {
			hwnd = c.HWND
		}
	})
	if hwnd == 0 {
		return
	}
	if err := ontop.SetTopmost(hwnd); err != nil {
		topmostFailed.Do(func() { log.Warn("keep screen pop on top", "err", err) })
	}
}
