package app

import (
	"fmt"
	"os"

	"github.com/emersion/go-autostart"
)

// loginItem is CallDocket's entry in the OS's start-at-login list (an XDG
// autostart .desktop file, a Windows Startup shortcut, a macOS LaunchAgent).
func loginItem() (*autostart.App, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the CallDocket program: %w", err)
	}
	return &autostart.App{Name: appID, DisplayName: "CallDocket", Exec: []string{exe}}, nil
}

// setStartAtLogin adds or removes CallDocket from the programs started at login.
func setStartAtLogin(on bool) error {
	a, err := loginItem()
	if err != nil {
		return err
	}
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
