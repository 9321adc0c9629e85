package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/calldocket/calldocket/settings"
)

// Paths says where CallDocket keeps its files.
type Paths struct {
	Config string // settings (config.json)
	Data   string // outbox.db, directory.db, the IPC secret, sandbox state, logs
}

// resolvePaths honours CALLDOCKET_HOME (everything under one folder) and
// otherwise uses the OS per-user folders.
func resolvePaths() (Paths, error) {
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

// ensure creates the folders with owner-only permissions.
func (p Paths) ensure() error {
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

// The Sandbox keeps its own outbox and directory, so nothing logged against
// the sample firm can ever reach a real Clio account.
func (p Paths) outbox(m Mode) string {
	if m == ModeSandbox {
		return filepath.Join(p.sandbox(), "outbox.db")
	}
	return filepath.Join(p.Data, "outbox.db")
}

// ledger is the call ledger: every call, missed call, SMS and fax.
func (p Paths) ledger(m Mode) string {
	if m == ModeSandbox {
		return filepath.Join(p.sandbox(), "calls.db")
	}
	return filepath.Join(p.Data, "calls.db")
}

func (p Paths) directory(m Mode) string {
	if m == ModeSandbox {
		return filepath.Join(p.sandbox(), "directory.db")
	}
	return filepath.Join(p.Data, "directory.db")
}
func (p Paths) endpoint() string { return filepath.Join(p.Data, "ipc.json") }
func (p Paths) sandbox() string  { return filepath.Join(p.Data, "sandbox") }
func (p Paths) config() string   { return filepath.Join(p.Config, "config.json") }
func (p Paths) logFile() string  { return filepath.Join(p.Data, "calldocket.log") }

// writePrivate writes a file readable only by its owner, atomically.
func writePrivate(path string, b []byte) error { return settings.WritePrivate(path, b) }
