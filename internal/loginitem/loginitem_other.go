//go:build !windows

package loginitem

import (
	"fmt"

	"github.com/emersion/go-autostart"
)

func (it Item) app() *autostart.App {
	return &autostart.App{Name: it.Name, DisplayName: it.DisplayName, Exec: []string{it.Exe}}
}

// Enabled reports whether the program starts at login.
func Enabled(it Item) (bool, error) { return it.app().IsEnabled(), nil }

// Set makes the program start at login, or not.
func Set(it Item, on bool) error {
	a := it.app()
	switch {
	case on && !a.IsEnabled():
		if err := a.Enable(); err != nil {
			return fmt.Errorf("start at login: %w", err)
		}
	case !on && a.IsEnabled():
		if err := a.Disable(); err != nil {
			return fmt.Errorf("stop starting at login: %w", err)
		}
	}
	return nil
}
