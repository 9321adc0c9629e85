//go:build wine

package wine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMSIInstallUninstall: the MSI installs silently per user (no
// administrator), the installed exe runs `version` and owns calldocket://;
// uninstalling silently removes the program and its registry entries and
// leaves the user's data.
func TestMSIInstallUninstall(t *testing.T) {
	if *msiFlag == "" {
		t.Fatal("no -msi given: `make test-windows` passes the MSI `make msi` builds")
	}
	msi, err := filepath.Abs(*msiFlag)
	if err != nil {
		t.Fatal(err)
	}
	p := newPrefix(t)
	start := time.Now()
	if out, code := p.wine(3*time.Minute, "msiexec", "/i", msi, "/qn"); code != 0 {
		t.Fatalf("msiexec /i %s /qn: exit %d\n%s", filepath.Base(msi), code, out)
	}
	t.Logf("msiexec /i /qn: %s", time.Since(start).Round(time.Millisecond))

	// Per-user: %LOCALAPPDATA%\Programs\CallDocket.
	installed := p.profile("AppData", "Local", "Programs", "CallDocket", "calldocket.exe")
	winExe := `C:\users\` + winUser + `\AppData\Local\Programs\CallDocket\calldocket.exe`
	if _, err := os.Stat(installed); err != nil {
		var found []string
		filepath.WalkDir(p.drive(), func(path string, d os.DirEntry, err error) error {
			if err == nil && strings.EqualFold(d.Name(), "calldocket.exe") {
				found = append(found, path)
			}
			return nil
		})
		t.Fatalf("no per-user install at %s (%v); calldocket.exe found at %v", installed, err, found)
	}
	r := p.runExe(winExe, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "calldocket ") {
		t.Errorf("installed calldocket.exe version: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if reg, ok := p.regExport(`HKCU\Software\Classes\calldocket`); !ok || !strings.Contains(reg, `"`+winExe+`" "%1"`) {
		t.Errorf("calldocket:// after install (exists %v), want it opened by %s:\n%s", ok, winExe, reg)
	}
	const runKey = `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`
	if reg, _ := p.regExport(runKey); !strings.Contains(reg, winExe) {
		t.Errorf("after install %s does not start %s at login:\n%s", runKey, winExe, reg)
	}
	// The user's data, as the app would leave it.
	p.runExe(winExe, "log", "--number", "+12125550142", "--duration", "60", "--billable")
	data := p.profile("AppData", "Local", "CallDocket", "sandbox", "outbox.db")
	if _, err := os.Stat(data); err != nil {
		t.Fatalf("the installed exe kept no data: %v", err)
	}

	start = time.Now()
	if out, code := p.wine(3*time.Minute, "msiexec", "/x", msi, "/qn"); code != 0 {
		t.Fatalf("msiexec /x %s /qn: exit %d\n%s", filepath.Base(msi), code, out)
	}
	t.Logf("msiexec /x /qn: %s", time.Since(start).Round(time.Millisecond))
	if _, err := os.Stat(installed); !os.IsNotExist(err) {
		t.Errorf("after uninstall %s: %v, want it gone", installed, err)
	}
	for _, key := range []string{
		`HKCU\Software\Classes\calldocket`,
		`HKCU\Software\Classes\AppUserModelId\io.calldocket.app`,
	} {
		if reg, ok := p.regExport(key); ok {
			t.Errorf("after uninstall %s is still there:\n%s", key, reg)
		}
	}
	if reg, _ := p.regExport(runKey); strings.Contains(strings.ToLower(reg), "calldocket") {
		t.Errorf("after uninstall %s still starts CallDocket:\n%s", runKey, reg)
	}
	if _, err := os.Stat(data); err != nil {
		t.Errorf("uninstall removed the user's data: %v", err)
	}
}
