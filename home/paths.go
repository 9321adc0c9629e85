package home

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Paths says where CallDocket keeps its files.
type Paths struct {
	Config string // settings (config.json)
	Data   string // outbox.db, directory.db, the IPC secret, sandbox state, logs
}

// Resolve honours CALLDOCKET_HOME (everything under one folder) and
// otherwise uses the OS per-user folders.
func Resolve() (Paths, error) {
	if home := os.Getenv("CALLDOCKET_HOME"); home != "" {
		abs, err := filepath.Abs(home)
		if err != nil {
			return Paths{}, fmt.Errorf("resolve CALLDOCKET_HOME: %w", err)
		}
		return Paths{Config: abs, Data: abs}, nil
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		return Paths{}, fmt.Errorf("find the user config folder: %w", err)
	}
	data, err := userDataDir()
	if err != nil {
		return Paths{}, err
	}
	return Paths{Config: filepath.Join(cfg, "CallDocket"), Data: filepath.Join(data, "CallDocket")}, nil
}

func userDataDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return d, nil
		}
		return "", errors.New("find the user data folder: %LocalAppData% is not set")
	case "darwin":
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the user data folder: %w", err)
		}
		return filepath.Join(h, "Library", "Application Support"), nil
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return d, nil
		}
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the user data folder: %w", err)
		}
		return filepath.Join(h, ".local", "share"), nil
	}
}

// Ensure creates the folders with owner-only permissions.
func (p Paths) Ensure() error {
	for _, d := range []string{p.Config, p.Data} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("create folder: %w", err)
		}
		if err := os.Chmod(d, 0o700); err != nil {
			return fmt.Errorf("restrict folder: %w", err)
		}
	}
	return nil
}

// Outbox is the outbox of mode m. The Sandbox keeps its own outbox, ledger
// and directory, so nothing logged against the sample firm can ever reach
// a real Clio account.
func (p Paths) Outbox(m Mode) string {
	if m == ModeSandbox {
		return filepath.Join(p.Sandbox(), "outbox.db")
	}
	return filepath.Join(p.Data, "outbox.db")
}

// Ledger is the call ledger of mode m: every call, missed call, SMS and fax.
func (p Paths) Ledger(m Mode) string {
	if m == ModeSandbox {
		return filepath.Join(p.Sandbox(), "calls.db")
	}
	return filepath.Join(p.Data, "calls.db")
}

// Directory is the local contact and matter mirror of mode m.
func (p Paths) Directory(m Mode) string {
	if m == ModeSandbox {
		return filepath.Join(p.Sandbox(), "directory.db")
	}
	return filepath.Join(p.Data, "directory.db")
}

// Endpoint is the running tray app's IPC endpoint file (package ipc).
func (p Paths) Endpoint() string { return filepath.Join(p.Data, "ipc.json") }

// Sandbox is the Sandbox's folder: its emulator state and its own stores.
func (p Paths) Sandbox() string { return filepath.Join(p.Data, "sandbox") }

// ConfigFile is the settings file.
func (p Paths) ConfigFile() string { return filepath.Join(p.Config, "config.json") }

// LogFile is the tray app's log.
func (p Paths) LogFile() string { return filepath.Join(p.Data, "calldocket.log") }
