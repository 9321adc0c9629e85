package home

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/hook"
)

func TestRotatingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "calldocket.log")
	// A log already past the cap (an install from before rotation) is
	// rotated when it is opened.
	old := bytes.Repeat([]byte("old line\n"), 20) // 180 bytes
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := OpenRotating(path, 100, 3)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path + ".1"); !bytes.Equal(b, old) {
		t.Errorf("%s.1 after open = %d bytes, want the old log (%d bytes)", path, len(b), len(old))
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("log after open: %v, %v; want a new, empty file", fi, err)
	}
	for i := range 100 {
		if _, err := fmt.Fprintf(r, "line %03d 0123456789\n", i); err != nil { // 20 bytes
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Write([]byte("x")); err == nil {
		t.Errorf("Write after Close = nil error, want one")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"calldocket.log", "calldocket.log.1", "calldocket.log.2", "calldocket.log.3"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("files = %v, want %v", names, want)
	}
	for _, n := range want {
		fi, err := os.Stat(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > 100 {
			t.Errorf("%s is %d bytes, want at most 100", n, fi.Size())
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", n, fi.Mode().Perm())
		}
	}
	// The newest lines are in the current file, the ones before in .1.
	cur, _ := os.ReadFile(path)
	prev, _ := os.ReadFile(path + ".1")
	if !strings.HasSuffix(string(cur), "line 099 0123456789\n") || !strings.HasSuffix(string(prev), "line 094 0123456789\n") {
		t.Errorf("current log ends %q, .1 ends %q; want lines 099 and 094", lastLine(cur), lastLine(prev))
	}
}

func lastLine(b []byte) string {
	s := strings.TrimSuffix(string(b), "\n")
	return s[strings.LastIndex(s, "\n")+1:]
}

func TestOpenRotatingBadLimit(t *testing.T) {
	if _, err := OpenRotating(filepath.Join(t.TempDir(), "x.log"), 0, 3); err == nil {
		t.Errorf("OpenRotating(max 0) = nil error, want one")
	}
}

// TestLogCapForgedActionURLs: 1,000 requests without the token, sent over
// HTTP to a running desk-phone listener that logs into the tray app's log
// file, grow that file by under 2 KB.
func TestLogCapForgedActionURLs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calldocket.log")
	lf, err := OpenLog(path)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	log := NewLogger(lf, slog.LevelInfo)
	as, err := hook.NewActionServer("127.0.0.1:0", "desk-token-0123456789", log.With("component", "deskphone"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- as.Run(ctx, func(tapi.Event) {}) }()
	deadline := time.Now().Add(5 * time.Second)
	for as.Addr() == nil {
		if time.Now().After(deadline) {
			t.Fatal("action server did not start")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // let the start-up line be written
	before := fileSize(t, path)
	base := "http://" + as.Addr().String() + hook.ActionPath
	for i := range 1000 {
		resp, err := http.Get(fmt.Sprintf("%s?state=ringing&number=%d&token=guess%d", base, 2125550000+i, i))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("forged request %d = %d, want 403", i, resp.StatusCode)
		}
	}
	if grew := fileSize(t, path) - before; grew > 2048 {
		t.Errorf("1,000 forged requests grew the log by %d bytes, want under 2 KB", grew)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v", err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "count=999") {
		t.Errorf("log (%d bytes) has no line counting the 999 held-back refusals when the listener stops", len(b))
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
