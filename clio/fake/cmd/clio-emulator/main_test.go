package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio/fake"
)

func TestRunServesUntilSIGTERM(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"-addr", "127.0.0.1:0", "-token", "T", "-rate", "5", "-window", "2s",
			"-lenient", "-state", state, "-faults", "status,path=/api/v4/matters,times=1"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("first stdout line: %v", err)
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line = %q, want listening http://127.0.0.1:PORT", line)
	}
	go io.Copy(io.Discard, pr)

	get := func(path string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer T")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		res.Body.Close()
		return res
	}
	if res := get("/api/v4/users/who_am_i.json"); res.StatusCode != 200 || res.Header.Get("X-RateLimit-Limit") != "5" {
		t.Errorf("who_am_i = %d, limit %q, want 200 and limit 5", res.StatusCode, res.Header.Get("X-RateLimit-Limit"))
	}
	if res := get("/api/v4/matters.json?limit=1"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("matters with an injected fault = %d, want 503", res.StatusCode)
	}
	if res := get("/api/v4/matters.json?limit=1"); res.StatusCode != http.StatusOK {
		t.Errorf("matters after the fault = %d, want 200", res.StatusCode)
	}
	control := func(method, body, token string) int {
		req, _ := http.NewRequest(method, base+"/_emulator/faults", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s /_emulator/faults: %v", method, err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := control(http.MethodPut, "status,path=/api/v4/users,status=502", "wrong"); got != http.StatusUnauthorized {
		t.Errorf("control with a wrong token = %d, want 401", got)
	}
	if got := control(http.MethodPut, "explode", "T"); got != http.StatusBadRequest {
		t.Errorf("control with a bad spec = %d, want 400", got)
	}
	if got := control(http.MethodPut, "status,path=/api/v4/users,status=502", "T"); got != http.StatusNoContent {
		t.Errorf("PUT faults = %d, want 204", got)
	}
	if res := get("/api/v4/users/who_am_i.json"); res.StatusCode != http.StatusBadGateway {
		t.Errorf("who_am_i with a run-time fault = %d, want 502", res.StatusCode)
	}
	if got := control(http.MethodDelete, "", "T"); got != http.StatusNoContent {
		t.Errorf("DELETE faults = %d, want 204", got)
	}
	if res := get("/api/v4/users/who_am_i.json"); res.StatusCode != http.StatusOK {
		t.Errorf("who_am_i after clearing faults = %d, want 200", res.StatusCode)
	}

	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("signal: %v", err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run() after SIGTERM error = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run() did not stop after SIGTERM")
	}
	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatalf("state file: %v", err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil || v["version"] != float64(1) {
		t.Errorf("state file = %s, %v, want version 1 JSON", b, err)
	}
}

func TestRunRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no token", []string{"-addr", "127.0.0.1:0"}, "token"},
		{"public address", []string{"-addr", "0.0.0.0:0", "-token", "T"}, "loopback"},
		{"bad faults", []string{"-token", "T", "-faults", "explode"}, "fault"},
		{"extra args", []string{"-token", "T", "x"}, "unexpected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%q) error = %v, want one mentioning %q", tc.args, err, tc.want)
			}
		})
	}
}

// TestRunRejectsBadIgnoreFilterEnv: a value of the environment variable
// that is not a boolean stops the emulator with a message naming it.
func TestRunRejectsBadIgnoreFilterEnv(t *testing.T) {
	t.Setenv(fake.EnvIgnoreExternalFilter, "sometimes")
	err := run([]string{"-addr", "127.0.0.1:0", "-token", "T"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), fake.EnvIgnoreExternalFilter) || !strings.Contains(err.Error(), "sometimes") {
		t.Errorf("run() with %s=sometimes error = %v, want one naming the variable and the value", fake.EnvIgnoreExternalFilter, err)
	}
}
