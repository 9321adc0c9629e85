package ipc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/calldocket/calldocket/settings"
)

// The files in the data folder that hold the two secrets.
const (
	secretFile      = "secret"
	actionTokenFile = "action-token"
)

// ActionTokenFile is the name of the desk phones' token file in the data
// folder, for what Settings and the README tell the admin.
const ActionTokenFile = actionTokenFile

// LoadActionToken returns the desk phones' action-URL token kept in dataDir
// (action-token, 0600), creating it on first use. It is a secret of its
// own, never the IPC secret: phones send it in clear text, so it must
// unlock nothing but action URLs.
//
// On an install from before the split (an IPC secret but no action-URL
// token: that secret was the phones' token), the first call of
// LoadActionToken or LoadSecret also replaces the IPC secret, which has
// travelled in clear text. Phones must then be given the new token; the
// old one is not accepted, since it was the IPC secret.
func LoadActionToken(dataDir string) (string, error) {
	if err := splitSecrets(dataDir); err != nil {
		return "", err
	}
	tok, err := readSecretFile(filepath.Join(dataDir, actionTokenFile), 32)
	if err != nil {
		return "", fmt.Errorf("read action URL token: %w", err)
	}
	if tok != "" && !sameAsSecret(dataDir, tok) {
		return tok, nil
	}
	return RegenerateActionToken(dataDir)
}

// RegenerateActionToken replaces the action-URL token with a new random one
// and returns it. Phones must be given the new token; a running app uses it
// from its next start (or when its desk-phone listener is restarted).
func RegenerateActionToken(dataDir string) (string, error) {
	tok, err := randomHex(16)
	if err != nil {
		return "", err
	}
	if err := settings.WritePrivate(filepath.Join(dataDir, actionTokenFile), []byte(tok+"\n")); err != nil {
		return "", fmt.Errorf("save action URL token: %w", err)
	}
	return tok, nil
}

// splitSecrets gives an install from before the split its own action-URL
// token and a new IPC secret (the old one was handed to phones). It does
// nothing once the action-URL token exists, or on a new install.
func splitSecrets(dataDir string) error {
	if _, err := os.Stat(filepath.Join(dataDir, actionTokenFile)); !errors.Is(err, fs.ErrNotExist) {
		return nil // already split (or unreadable: LoadActionToken says so)
	}
	old, err := readSecretFile(filepath.Join(dataDir, secretFile), 32)
	if err != nil || old == "" {
		return nil // no old secret: a new install; LoadSecret reports read errors
	}
	s, err := randomHex(32)
	if err != nil {
		return err
	}
	if err := settings.WritePrivate(filepath.Join(dataDir, secretFile), []byte(s+"\n")); err != nil {
		return fmt.Errorf("replace the IPC secret: %w", err)
	}
	if _, err := RegenerateActionToken(dataDir); err != nil {
		return err
	}
	return nil
}

// readSecretFile returns the trimmed content of path, or "" when the file
// does not exist or holds fewer than min characters.
func readSecretFile(path string, min int) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if s := strings.TrimSpace(string(b)); len(s) >= min {
		return s, nil
	}
	return "", nil
}

func sameAsSecret(dataDir, tok string) bool {
	s, err := readSecretFile(filepath.Join(dataDir, secretFile), 32)
	return err == nil && s == tok
}
