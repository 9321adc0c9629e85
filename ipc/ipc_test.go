package ipc

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadSecret(t *testing.T) {
	dir := t.TempDir()
	s, err := LoadSecret(dir)
	if err != nil || len(s) < 32 {
		t.Fatalf("LoadSecret() = %q, %v; want a fresh secret", s, err)
	}
	fi, err := os.Stat(filepath.Join(dir, "secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secret file: %v, mode %v; want 0600", err, fi.Mode())
	}
	again, err := LoadSecret(dir)
	if err != nil || again != s {
		t.Errorf("LoadSecret() again = %q, %v; want the same secret", again, err)
	}
}

func TestServerAndClient(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "ipc.json")
	if _, err := FindRunning(ctx, path); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("FindRunning() without an endpoint file = %v, want ErrNotRunning", err)
	}
	const secret = "0123456789abcdef0123456789abcdef"
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+PathPing, func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]any{"app": "calldocket"})
	})
	mux.HandleFunc("POST "+PathSettings, func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "no such setting"})
	})
	mux.HandleFunc("GET "+PathStatus, func(w http.ResponseWriter, r *http.Request) {
		st := NewStatus()
		st.Mode, st.Waiting = "sandbox", 3
		WriteJSON(w, http.StatusOK, st)
	})
	srv, err := Listen(path, secret, mux)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("endpoint file: %v, mode %v; want 0600", err, fi.Mode())
	}
	e, err := FindRunning(ctx, path)
	if err != nil || e.Secret != secret || e.PID != os.Getpid() {
		t.Fatalf("FindRunning() = %+v, %v", e, err)
	}
	var st Status
	if err := Call(ctx, e, http.MethodGet, PathStatus, nil, &st); err != nil || st.Mode != "sandbox" || st.Waiting != 3 {
		t.Errorf("Call(status) = %+v, %v", st, err)
	}
	err = Call(ctx, e, http.MethodPost, PathSettings, SettingChange{"x", "y"}, nil)
	if err == nil || !strings.Contains(err.Error(), "no such setting") {
		t.Errorf("Call(settings) error = %v, want the app's answer", err)
	}
	wrong := e
	wrong.Secret = "wrong"
	if err := Call(ctx, wrong, http.MethodGet, PathPing, nil, nil); err == nil || !strings.Contains(err.Error(), "refused the secret") {
		t.Errorf("Call() with a wrong secret error = %v, want a refusal", err)
	}
	srv.Close(context.WithoutCancel(ctx))
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("endpoint file after Close: %v, want removed", err)
	}
	if _, err := FindRunning(ctx, path); !errors.Is(err, ErrNotRunning) {
		t.Errorf("FindRunning() after Close = %v, want ErrNotRunning", err)
	}
}
