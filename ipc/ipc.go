package ipc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/calldocket/calldocket/settings"
)

// Endpoint is where the running tray app listens, as its endpoint file
// (0600) says.
type Endpoint struct {
	Addr   string `json:"addr"`
	Secret string `json:"secret"`
	PID    int    `json:"pid"`
}

// BaseURL is the app's http://127.0.0.1:port.
func (e Endpoint) BaseURL() string { return "http://" + e.Addr }

// LoadSecret returns the per-user secret kept in dataDir, creating it
// (0600) on first use. It unlocks the app's loopback link and must never
// leave this computer: desk phones get their own token (LoadActionToken).
func LoadSecret(dataDir string) (string, error) {
	if err := splitSecrets(dataDir); err != nil {
		return "", err
	}
	path := filepath.Join(dataDir, secretFile)
	s, err := readSecretFile(path, 32)
	if err != nil {
		return "", fmt.Errorf("read IPC secret: %w", err)
	}
	if s != "" {
		return s, nil
	}
	// A new install: the action-URL token comes first, so this secret is
	// never taken for one from before the split.
	if _, err := LoadActionToken(dataDir); err != nil {
		return "", err
	}
	if s, err = randomHex(32); err != nil {
		return "", err
	}
	if err := settings.WritePrivate(path, []byte(s+"\n")); err != nil {
		return "", err
	}
	return s, nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random bytes: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// ReadEndpoint reads an endpoint file.
func ReadEndpoint(path string) (Endpoint, error) {
	var e Endpoint
	b, err := os.ReadFile(path)
	if err != nil {
		return e, err
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return e, nil
}

// ErrNotRunning says no CallDocket tray app answers on this machine for this user.
var ErrNotRunning = errors.New("CallDocket is not running (start it with `calldocket`)")

// FindRunning returns the endpoint in the file at path if the app there
// answers a ping, else ErrNotRunning.
func FindRunning(ctx context.Context, path string) (Endpoint, error) {
	e, err := ReadEndpoint(path)
	if err != nil || e.Addr == "" {
		return Endpoint{}, ErrNotRunning
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := Call(ctx, e, http.MethodGet, PathPing, nil, nil); err != nil {
		return Endpoint{}, ErrNotRunning
	}
	return e, nil
}

// Call sends one authenticated request to the running app: in (if not nil)
// as the JSON body, the JSON answer decoded into out (if not nil).
func Call(ctx context.Context, e Endpoint, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		body = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, method, e.BaseURL()+path, body)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+e.Secret)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("reach the running CallDocket: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		return errors.New("the running CallDocket refused the secret")
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&e)
		if e.Error == "" {
			e.Error = resp.Status
		}
		return fmt.Errorf("the running CallDocket answered: %s", e.Error)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return fmt.Errorf("read answer: %w", err)
		}
	}
	return nil
}
