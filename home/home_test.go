package home

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/calldocket/calldocket/settings"
)

func TestResolveHome(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CALLDOCKET_HOME", dir)
	p, err := Resolve()
	if err != nil || p.Config != dir || p.Data != dir {
		t.Fatalf("Resolve() = %+v, %v; want both folders %s", p, err, dir)
	}
	if err := p.Ensure(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("Ensure(): %v, mode %v; want 0700", err, fi.Mode())
	}
	tests := []struct {
		name, got, want string
	}{
		{"Outbox(connected)", p.Outbox(ModeConnected), filepath.Join(dir, "outbox.db")},
		{"Outbox(sandbox)", p.Outbox(ModeSandbox), filepath.Join(dir, "sandbox", "outbox.db")},
		{"Ledger(connected)", p.Ledger(ModeConnected), filepath.Join(dir, "calls.db")},
		{"Ledger(sandbox)", p.Ledger(ModeSandbox), filepath.Join(dir, "sandbox", "calls.db")},
		{"Directory(connected)", p.Directory(ModeConnected), filepath.Join(dir, "directory.db")},
		{"Directory(sandbox)", p.Directory(ModeSandbox), filepath.Join(dir, "sandbox", "directory.db")},
		{"Endpoint", p.Endpoint(), filepath.Join(dir, "ipc.json")},
		{"ConfigFile", p.ConfigFile(), filepath.Join(dir, "config.json")},
		{"LogFile", p.LogFile(), filepath.Join(dir, "calldocket.log")},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestModeFor(t *testing.T) {
	signedIn := settings.Default()
	signedIn.SignedIn = true
	tests := []struct {
		name         string
		token, url   string
		cfg          settings.Settings
		forceSandbox bool
		want         Mode
	}{
		{"nothing", "", "", settings.Default(), false, ModeSandbox},
		{"signed in", "", "", signedIn, false, ModeConnected},
		{"token", "tok", "", settings.Default(), false, ModeConnected},
		{"url", "", "https://eu.app.clio.com", settings.Default(), false, ModeConnected},
		{"--sandbox wins", "tok", "", signedIn, true, ModeSandbox},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CALLDOCKET_CLIO_TOKEN", tt.token)
			t.Setenv(EnvClioURL, tt.url)
			if got := ModeFor(tt.cfg, tt.forceSandbox); got != tt.want {
				t.Errorf("ModeFor() = %s, want %s", got, tt.want)
			}
		})
	}
}
