package home

import (
	"errors"
	"os"
	"runtime"
)

// ErrNoDisplay: the tray app needs a desktop session; the CLI does not.
var ErrNoDisplay = errors.New("no desktop session (DISPLAY and WAYLAND_DISPLAY are unset): the tray app needs one; the CLI commands (see 'calldocket help') work without it")

// CheckDisplay says whether a desktop session is there for the tray app
// (always on Windows and macOS; DISPLAY or WAYLAND_DISPLAY elsewhere).
func CheckDisplay() error {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios":
		return nil
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return ErrNoDisplay
	}
	return nil
}
