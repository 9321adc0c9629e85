package app

// Issue 7: the screen pop appears on top, without taking keyboard focus
// from what the attorney is typing. Fyne has no API for either, so this
// works one level down, in two layers:
//
//   - GLFW, which every Fyne desktop window is: the window attribute
//     GLFW_FOCUS_ON_SHOW, when true (the default), makes every
//     glfwShowWindow focus the window — on X11 without a window manager
//     with XSetInputFocus, otherwise by asking for activation; on Windows
//     with SetForegroundWindow; on macOS with makeKeyAndOrderFront. Fyne
//     calls glfwShowWindow on every Show, and the pop's layoutPop runs Show
//     every second while a call is up. showWithoutFocus clears the creation
//     hint around the first Show (Fyne creates the native window inside it)
//     and keepOnTop clears the window's attribute, so no Show focuses the
//     pop; GLFW_FLOATING puts it above others (HWND_TOPMOST on Windows,
//     NSFloatingWindowLevel on macOS, _NET_WM_STATE_ABOVE on X11 when an
//     EWMH window manager runs).
//   - the platform itself through driver.NativeWindow (ontop_x11.go,
//     ontop_windows.go, ontop_other.go), for what GLFW cannot do:
//     _NET_WM_USER_TIME = 0 so the window manager does not focus the pop
//     when it maps it again, re-adding _NET_WM_STATE_ABOVE before each map
//     (window managers drop _NET_WM_STATE when a window is withdrawn), and
//     the window-manager-free case.
//
// Clicking into the pop still focuses it as usual, so the attorney can type
// a note; only showing it does not.

import (
	"log/slog"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.4/glfw"
)

// contextRunner is the Fyne GLFW window's RunWithContext: it runs f with the
// window's GL context current on the calling (main) thread. Other drivers
// (fyne's test driver, mobile, web) do not have it.
type contextRunner interface{ RunWithContext(f func()) }

// showWithoutFocus shows w, creating its native window on the first call,
// without giving it keyboard focus, and keeps it on top (see keepOnTop).
// Call it instead of w.Show() on the Fyne goroutine, as often as needed.
func showWithoutFocus(w fyne.Window, log *slog.Logger) {
	log = orDiscard(log)
	_, isGLFW := w.(contextRunner)
	nativeBeforeShow(w, log)
	if isGLFW {
		// The hint applies to a window GLFW creates inside this Show; reset
		// it at once so the review, settings and welcome windows still get
		// focus when the attorney opens them.
		glfw.WindowHint(glfw.FocusOnShow, glfw.False)
		defer glfw.WindowHint(glfw.FocusOnShow, glfw.True)
	}
	w.Show()
	keepOnTop(w, log)
}

// keepOnTop makes w float above other windows and stops later Shows from
// focusing it. Call it on the Fyne goroutine after w's first Show (before,
// the native window does not exist and it does nothing). It is idempotent
// and cheap enough to call on every Show; showWithoutFocus calls it.
func keepOnTop(w fyne.Window, log *slog.Logger) {
	log = orDiscard(log)
	if r, ok := w.(contextRunner); ok {
		r.RunWithContext(func() {
			gw := glfw.GetCurrentContext()
			if gw == nil {
				return
			}
			if gw.GetAttrib(glfw.FocusOnShow) != glfw.False {
				gw.SetAttrib(glfw.FocusOnShow, glfw.False)
			}
			if gw.GetAttrib(glfw.Floating) != glfw.True {
				gw.SetAttrib(glfw.Floating, glfw.True) // unsupported on Wayland: GLFW ignores it
			}
		})
	}
	nativeKeepOnTop(w, log)
}

func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
