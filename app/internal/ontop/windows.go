//go:build windows

package ontop

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows"
)

// ErrNoWindow means the window handle is 0: the native window does not exist
// yet (Fyne creates it at the first Show).
var ErrNoWindow = errors.New("no native window")

var (
	user32           = windows.NewLazySystemDLL("user32.dll")
	procSetWindowPos = user32.NewProc("SetWindowPos")
)

// SetWindowPos arguments (winuser.h).
const (
	hwndTopmost    = ^uintptr(0) // (HWND)-1
	swpNoSize      = 0x0001
	swpNoMove      = 0x0002
	swpNoActivate  = 0x0010
	swpNoOwnerZOrd = 0x0200
)

// SetTopmost makes hwnd a topmost window without activating it, moving or
// resizing it: SetWindowPos(hwnd, HWND_TOPMOST, 0, 0, 0, 0,
// SWP_NOMOVE|SWP_NOSIZE|SWP_NOACTIVATE). The flag survives hiding and
// showing, so once is enough; calling it again is harmless.
func SetTopmost(hwnd uintptr) error {
	if hwnd == 0 {
		return ErrNoWindow
	}
	if err := procSetWindowPos.Find(); err != nil {
		return fmt.Errorf("set topmost: %w", err)
	}
	r, _, err := procSetWindowPos.Call(hwnd, hwndTopmost, 0, 0, 0, 0, swpNoMove|swpNoSize|swpNoActivate|swpNoOwnerZOrd)
	if r == 0 {
		return fmt.Errorf("set topmost: %w", err)
	}
	return nil
}
