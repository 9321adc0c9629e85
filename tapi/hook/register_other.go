//go:build !windows

package hook

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

// toolTimeout bounds xdg-mime and update-desktop-database.
const toolTimeout = 10 * time.Second

// Register makes exePath the per-user handler of calldocket:// URLs.
//
// On Linux and other freedesktop systems it writes
// $XDG_DATA_HOME/applications/io.calldocket.app.desktop (default
// ~/.local/share/applications) with MimeType=x-scheme-handler/calldocket,
// then runs `xdg-mime default io.calldocket.app.desktop
// x-scheme-handler/calldocket` and `update-desktop-database` when they are
// installed. Packaged installs get the same from packaging/calldocket.desktop.
//
// On macOS it does nothing: the scheme is declared by CFBundleURLTypes in
// the app bundle's Info.plist (packaging/macos/Info.plist) and registered by
// Launch Services when the bundle is installed.
func Register(exePath string) error {
	if runtime.GOOS == "darwin" {
		return nil
	}
	if !filepath.IsAbs(exePath) {
		return fmt.Errorf("register URL scheme: %w: %q", ErrRelativeExe, exePath)
	}
	dir, err := applicationsDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("register URL scheme: %w", err)
	}
	path := filepath.Join(dir, DesktopID)
	if err := writeFileAtomic(path, []byte(desktopEntry(exePath))); err != nil {
		return fmt.Errorf("register URL scheme: %w", err)
	}
	if err := runTool("update-desktop-database", dir); err != nil {
		return fmt.Errorf("register URL scheme: %w", err)
	}
	if err := runTool("xdg-mime", "default", DesktopID, "x-scheme-handler/"+Scheme); err != nil {
		return fmt.Errorf("register URL scheme: %w", err)
	}
	return nil
}

// Unregister removes what Register wrote. It is not an error if there is
// nothing to remove. On macOS it does nothing.
func Unregister() error {
	if runtime.GOOS == "darwin" {
		return nil
	}
	dir, err := applicationsDir()
	if err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, DesktopID)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("unregister URL scheme: %w", err)
	}
	if err := runTool("update-desktop-database", dir); err != nil {
		return fmt.Errorf("unregister URL scheme: %w", err)
	}
	return nil
}

func applicationsDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "applications"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("register URL scheme: find the home folder: %w", err)
	}
	return filepath.Join(home, ".local", "share", "applications"), nil
}

// writeFileAtomic writes data to path (mode 0600) through a temporary file
// in the same folder.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".calldocket-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// runTool runs a desktop helper if it is installed; a missing tool is not
// an error (the .desktop file alone is enough for most desktops).
func runTool(name string, args ...string) error {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil
	}
	cmd := exec.Command(path, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", name, err)
	}
	timer := time.AfterFunc(toolTimeout, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("run %s: %w", name, err)
	}
	return nil
}
