package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestStartAtLogin toggles the real login item in a child process whose
// XDG_CONFIG_HOME is a temp dir (go-autostart reads it at start-up), so the
// developer's own autostart folder is never touched.
func TestStartAtLogin(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the XDG autostart folder is Linux/BSD only")
	}
	if os.Getenv("CALLDOCKET_AUTOSTART_CHILD") == "1" {
		for _, on := range []bool{true, true, false, false} {
			if err := setStartAtLogin(on); err != nil {
				t.Fatal(err)
			}
			if got, err := startsAtLogin(); err != nil || got != on {
				t.Fatalf("after setStartAtLogin(%v), startsAtLogin = %v, %v", on, got, err)
			}
			if on {
				if _, err := os.Stat(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "autostart", appID+".desktop")); err != nil {
					t.Fatalf("autostart entry: %v", err)
				}
			}
		}
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStartAtLogin$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CALLDOCKET_AUTOSTART_CHILD=1", "XDG_CONFIG_HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "autostart")); len(entries) != 0 {
		t.Errorf("autostart folder still holds %d entries after turning it off", len(entries))
	}
}
