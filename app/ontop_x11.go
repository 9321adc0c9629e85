//go:build linux || freebsd || openbsd || netbsd

package app

import (
	"errors"
	"log/slog"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"

	"github.com/calldocket/calldocket/app/internal/ontop"
)

// x11 is the one X connection for the EWMH hints, opened at first use; on
// Wayland or without $DISPLAY it stays nil and the hints are skipped.
var x11 struct {
	once sync.Once
	conn *ontop.X11
	err  error
}

func x11Conn() (*ontop.X11, error) {
	x11.once.Do(func() { x11.conn, x11.err = ontop.DialX11("") })
	return x11.conn, x11.err
}

// x11Window returns w's X11 window id, 0 before its first Show or when the
// window is not an X11 one (Wayland, test driver).
func x11Window(w fyne.Window) uint32 {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return 0
	}
	var id uint32
	nw.RunNative(func(ctx any) {
		if c, ok := ctx.(driver.X11WindowContext); ok {
			id = uint32(c.WindowHandle)
		}
	})
	return id
}

// nativeBeforeShow re-adds _NET_WM_STATE_ABOVE and _NET_WM_USER_TIME = 0 to
// a hidden pop before it is mapped again: window managers drop the state of
// withdrawn windows and focus newly mapped ones unless the user time is 0.
func nativeBeforeShow(w fyne.Window, log *slog.Logger) {
	applyX11(w, log)
}

// nativeKeepOnTop applies the same hints to the shown window (through the
// window manager when one runs).
func nativeKeepOnTop(w fyne.Window, log *slog.Logger) {
	applyX11(w, log)
}

// x11Failed remembers that the hints failed once, so a broken setup logs
// one warning rather than one a second.
var x11Failed sync.Once

func applyX11(w fyne.Window, log *slog.Logger) {
	id := x11Window(w)
	if id == 0 {
		return
	}
	x, err := x11Conn()
	if err == nil {
		err = x.KeepAbove(id)
	}
	if err != nil && !errors.Is(err, ontop.ErrNoWindow) {
		x11Failed.Do(func() { log.Warn("keep screen pop on top", "err", err) })
	}
}
