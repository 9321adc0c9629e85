//go:build windows

package hook

import (
	"errors"
	"fmt"
	"path/filepath"

	"golang.org/x/sys/windows/registry"
)

// classesKey is the per-user registration of the calldocket URL protocol.
const classesKey = `Software\Classes\` + Scheme

// Register makes exePath the per-user handler of calldocket:// URLs:
// HKEY_CURRENT_USER\Software\Classes\calldocket with "URL Protocol" and
// shell\open\command = "exePath" "%1". No administrator rights are needed;
// an existing registration is overwritten.
func Register(exePath string) error {
	if !filepath.IsAbs(exePath) {
		return fmt.Errorf("register URL scheme: %w: %q", ErrRelativeExe, exePath)
	}
	root, _, err := registry.CreateKey(registry.CURRENT_USER, classesKey, registry.ALL_ACCESS)
	if err != nil {
		return fmt.Errorf("register URL scheme: create key: %w", err)
	}
	defer root.Close()
	if err := root.SetStringValue("", "URL:CallDocket call"); err != nil {
		return fmt.Errorf("register URL scheme: %w", err)
	}
	if err := root.SetStringValue("URL Protocol", ""); err != nil {
		return fmt.Errorf("register URL scheme: %w", err)
	}
	for _, v := range []struct{ path, value string }{
		{`DefaultIcon`, `"` + exePath + `",0`},
		{`shell\open\command`, windowsCommand(exePath)},
	} {
		k, _, err := registry.CreateKey(root, v.path, registry.ALL_ACCESS)
		if err != nil {
			return fmt.Errorf("register URL scheme: create %s: %w", v.path, err)
		}
		err = k.SetStringValue("", v.value)
		k.Close()
		if err != nil {
			return fmt.Errorf("register URL scheme: set %s: %w", v.path, err)
		}
	}
	return nil
}

// Unregister removes the per-user calldocket:// registration. It is not an
// error if there is none.
func Unregister() error {
	for _, p := range []string{`shell\open\command`, `shell\open`, `shell`, `DefaultIcon`, ``} {
		path := classesKey
		if p != "" {
			path += `\` + p
		}
		if err := registry.DeleteKey(registry.CURRENT_USER, path); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return fmt.Errorf("unregister URL scheme: delete %s: %w", path, err)
		}
	}
	return nil
}
