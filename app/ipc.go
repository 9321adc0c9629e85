package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The running tray app and the command line talk over HTTP on 127.0.0.1.
// Every request carries the per-user secret; the address and the secret are
// kept in ipc.json (0600) in the data folder.

type endpoint struct {
	Addr   string `json:"addr"`
	Secret string `json:"secret"`
	PID    int    `json:"pid"`
}

func (e endpoint) baseURL() string { return "http://" + e.Addr }

// loadSecret returns the per-user secret, creating it on first use.
func loadSecret(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "secret")
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return strings.TrimSpace(string(b)), nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read IPC secret: %w", err)
	}
	s, err := randomHex(32)
	if err != nil {
		return "", err
	}
	if err := writePrivate(path, []byte(s+"\n")); err != nil {
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

func readEndpoint(path string) (endpoint, error) {
	var e endpoint
	b, err := os.ReadFile(path)
	if err != nil {
		return e, err
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return e, nil
}

// errNotRunning says no CallDocket tray app answers on this machine for this user.
var errNotRunning = errors.New("CallDocket is not running (start it with `calldocket`)")

// findRunning returns the running app's endpoint if it answers a ping.
func findRunning(ctx context.Context, p Paths) (endpoint, error) {
	e, err := readEndpoint(p.endpoint())
	if err != nil || e.Addr == "" {
		return endpoint{}, errNotRunning
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := ipcCall(ctx, e, http.MethodGet, "/v1/ping", nil, nil); err != nil {
		return endpoint{}, errNotRunning
	}
	return e, nil
}

// ipcCall sends one authenticated request to the running app.
func ipcCall(ctx context.Context, e endpoint, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		body = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, method, e.baseURL()+path, body)
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

// ipcServer is the app side: it owns the listener and the endpoint file.
type ipcServer struct {
	ln     net.Listener
	srv    *http.Server
	secret string
	path   string
}

func listenIPC(p Paths, secret string, h http.Handler) (*ipcServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &ipcServer{ln: ln, secret: secret, path: p.endpoint()}
	s.srv = &http.Server{Handler: s.authenticate(h), ReadHeaderTimeout: 5 * time.Second}
	e := endpoint{Addr: ln.Addr().String(), Secret: secret, PID: os.Getpid()}
	b, _ := json.Marshal(e)
	if err := writePrivate(s.path, b); err != nil {
		ln.Close()
		return nil, err
	}
	return s, nil
}

func (s *ipcServer) serve() error {
	err := s.srv.Serve(s.ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func (s *ipcServer) close(ctx context.Context) {
	// Only remove the endpoint file if it is still ours.
	if e, err := readEndpoint(s.path); err == nil && e.PID == os.Getpid() {
		os.Remove(s.path)
	}
	_ = s.srv.Shutdown(ctx)
}

func (s *ipcServer) authenticate(h http.Handler) http.Handler {
	want := []byte("Bearer " + s.secret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "missing or wrong secret"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
