//go:build windows

package loginitem

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows/registry"
)

// runKey is where Windows keeps the programs started at login.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// valueName is the Run value's name, as the MSI writes it.
const valueName = "CallDocket"

// Enabled reports whether the program starts at login: for this user
// (HKCU, what Settings and a per-user install write) or for every user
// (HKLM, a per-machine install).
func Enabled(it Item) (bool, error) {
	user, err := hasRunValue(registry.CURRENT_USER)
	if err != nil || user {
		return user, err
	}
	return hasRunValue(registry.LOCAL_MACHINE)
}

// Set writes or deletes this user's Run value. While the installer starts
// the program for every user (HKLM), this user's value is never written
// (it would start twice), and turning it off returns ErrMachineWide.
func Set(it Item, on bool) (err error) {
	removeStartupShortcut(it)
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("start at login: open %s: %w", runKey, err)
	}
	defer k.Close()
	machine, _ := hasRunValue(registry.LOCAL_MACHINE)
	if on && machine {
		on = false // the installer starts it for every user: a second value would start it twice
	} else if !on && machine {
		defer func() { err = ErrMachineWide }()
	}
	if on {
		if err := k.SetStringValue(valueName, `"`+it.Exe+`"`); err != nil {
			return fmt.Errorf("start at login: %w", err)
		}
		return nil
	}
	if err := k.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("stop starting at login: %w", err)
	}
	return nil
}

func hasRunValue(root registry.Key) (bool, error) {
	k, err := registry.OpenKey(root, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", runKey, err)
	}
	defer k.Close()
	_, _, err = k.GetStringValue(valueName)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// removeStartupShortcut deletes the Startup-folder shortcut versions before
// the Run value made (go-autostart's NAME.lnk), so the program is not
// started twice.
func removeStartupShortcut(it Item) {
	if dir, err := os.UserConfigDir(); err == nil { // %APPDATA%
		_ = os.Remove(filepath.Join(dir, "Microsoft", "Windows", "Start Menu", "Programs", "Startup", it.Name+".lnk"))
	}
}
