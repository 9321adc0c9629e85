package app

import (
	"fmt"
	"os"

	"github.com/calldocket/calldocket/internal/loginitem"
)

// loginItem is CallDocket's entry in the OS's start-at-login list (the Run
// value on Windows, which the MSI writes too; an XDG autostart .desktop file;
// a macOS LaunchAgent).
func loginItem() (loginitem.Item, error) {
	exe, err := os.Executable()
	if err != nil {
		return loginitem.Item{}, fmt.Errorf("find the CallDocket program: %w", err)
	}
	return loginitem.Item{Name: appID, DisplayName: "CallDocket", Exe: exe}, nil
}

// startsAtLogin reports whether CallDocket starts at login now, whoever
// set it (Settings, or the installer).
func startsAtLogin() (bool, error) {
	it, err := loginItem()
	if err != nil {
		return false, err
	}
	return loginitem.Enabled(it)
}

// setStartAtLogin adds or removes CallDocket from the programs started at login.
func setStartAtLogin(on bool) error {
	it, err := loginItem()
	if err != nil {
		return err
	}
	return loginitem.Set(it, on)
}
