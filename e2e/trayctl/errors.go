package trayctl

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNoSessionBus is returned by StartWatcher when DBUS_SESSION_BUS_ADDRESS is unset.
	ErrNoSessionBus = errors.New("session bus address unset (run under dbus-run-session)")
	// ErrWatcherTaken means another process already owns org.kde.StatusNotifierWatcher.
	ErrWatcherTaken = errors.New("status notifier watcher name already owned")
	// ErrClosed is returned by Watcher methods after Close.
	ErrClosed = errors.New("watcher closed")
	// ErrNoMenu means the item has no usable Menu property.
	ErrNoMenu = errors.New("status notifier item without menu")
	// ErrBadLayout means GetLayout returned something that is not a dbusmenu layout.
	ErrBadLayout = errors.New("malformed menu layout")
	// ErrNotFound means no menu entry has the requested label.
	ErrNotFound = errors.New("menu item not found")
	// ErrDisabled means the entry exists but is disabled.
	ErrDisabled = errors.New("menu item disabled")
	// ErrHidden means the entry exists but is not visible.
	ErrHidden = errors.New("menu item hidden")
)

// LabelError reports why a menu entry could not be clicked. Err is ErrNotFound,
// ErrDisabled or ErrHidden; Labels lists the labels the menu had at the time.
type LabelError struct {
	Label  string
	Labels []string
	Err    error
}

func (e *LabelError) Error() string {
	return fmt.Sprintf("menu item %q: %v (menu labels: %s)", e.Label, e.Err, strings.Join(quote(e.Labels), ", "))
}

func (e *LabelError) Unwrap() error { return e.Err }
