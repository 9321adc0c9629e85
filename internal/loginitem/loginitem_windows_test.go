//go:build windows

package loginitem

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// TestRunValue turns start at login on and off through the Run value the
// MSI writes, and removes an old Startup-folder shortcut. It runs under
// Wine in make test (package wine).
func TestRunValue(t *testing.T) {
	it := Item{Name: "io.calldocket.test", DisplayName: "CallDocket test", Exe: `C:\Program Files\CallDocket\calldocket.exe`}
	dir, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	startup := filepath.Join(dir, "Microsoft", "Windows", "Start Menu", "Programs", "Startup")
	if err := os.MkdirAll(startup, 0o700); err != nil {
		t.Fatal(err)
	}
	lnk := filepath.Join(startup, it.Name+".lnk")
	if err := os.WriteFile(lnk, []byte("old shortcut"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Set(it, false) })

	for _, on := range []bool{true, true, false, false, true} {
		if err := Set(it, on); err != nil {
			t.Fatalf("Set(%v) = %v", on, err)
		}
		got, err := Enabled(it)
		if err != nil || got != on {
			t.Fatalf("after Set(%v): Enabled = %v, %v", on, got, err)
		}
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if v, _, err := k.GetStringValue(valueName); err != nil || v != `"`+it.Exe+`"` {
		t.Errorf("Run value = %q, %v; want the quoted program path", v, err)
	}
	if _, err := os.Stat(lnk); !os.IsNotExist(err) {
		t.Errorf("the old Startup shortcut is still there (%v): CallDocket would start twice", err)
	}
}
