//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/e2e/trayctl"
)

// TestBadConfigStillStarts: config.json with values no form would take
// (a tired admin's hand edit). The app starts all the same with their
// defaults, records calls, names the refused fields in the tray and in
// status, and never rewrites the file; saving a setting clears the notice.
func TestBadConfigStillStarts(t *testing.T) {
	e := newEnv(t)
	cfg := filepath.Join(e.home, "config.json")
	bad := []byte(`{"increment_minutes": -6, "min_digits": -5, "default_region": "ZZ"}` + "\n")
	if err := os.WriteFile(cfg, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	w, err := trayctl.StartWatcher(ctx)
	if err != nil {
		t.Fatalf("start StatusNotifierWatcher: %v", err)
	}
	defer w.Close()
	e.start()
	e.waitRunning()

	st := e.status()
	for _, want := range []string{"increment_minutes -6", "min_digits -5", `default_region "ZZ"`} {
		if !strings.Contains(st.SettingsProblem, want) {
			t.Errorf("status settings_problem = %q, want it to name %s", st.SettingsProblem, want)
		}
	}
	if out, _, code := e.run("status"); code != 0 || !strings.Contains(out, "Settings refused: config.json: increment_minutes -6") {
		t.Errorf("status with a bad config.json: exit %d\n%s", code, out)
	}
	item, err := w.WaitItem(ctx)
	if err != nil {
		t.Fatalf("tray item never registered: %v", err)
	}
	if _, err := item.WaitLabel(ctx, func(l string) bool { return strings.HasPrefix(l, "Some settings were refused") }); err != nil {
		t.Errorf("tray: %v", err)
	}

	// Calls are recorded with the defaults in use.
	e.mustRun("event", "ringing", "--number", "+12125550199", "--id", "badcfg-1")
	e.mustRun("event", "ended", "--id", "badcfg-1")
	// (Commands that only read, like `calls`, stop on the bad file naming
	// the fields; status carries on.)
	waitFor(t, "the missed call in the outbox", 15*time.Second, func() bool {
		q := e.status().Queue
		return q["pending"]+q["delivering"]+q["delivered"] == 1
	})
	if b, _ := os.ReadFile(cfg); !bytes.Equal(b, bad) {
		t.Errorf("config.json was rewritten while nobody saved: %s", b)
	}

	// Saving a setting writes a sound file and clears the notice.
	e.mustRun("settings", "set", "increment_minutes", "6")
	waitFor(t, "the notice to clear", 10*time.Second, func() bool { return e.status().SettingsProblem == "" })
	if _, err := item.WaitLabel(ctx, func(l string) bool { return !strings.HasPrefix(l, "Some settings were refused") }); err != nil {
		t.Errorf("tray after the fix: %v", err)
	}
}
