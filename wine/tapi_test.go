//go:build wine

package wine

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTAPIWithoutProvider runs package home's Windows test of Settings →
// Test connection with the TAPI source (TestTAPISourceTestWithoutProvider)
// under Wine, whose tapi32.dll has no provider: the real DLL is loaded and
// called, and the attorney gets one clear line, never a crash. The tray's
// form itself is covered by package ui; this is the Windows half.
func TestTAPIWithoutProvider(t *testing.T) {
	testExe := filepath.Join(t.TempDir(), "home.test.exe")
	build := exec.Command("go", "test", "-c", "-o", testExe, "../home")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	start := time.Now()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go test -c ../home for Windows: %v\n%s", err, out)
	}
	t.Logf("built home.test.exe in %s", time.Since(start).Round(time.Millisecond))

	p := newPrefix(t)
	out, code := p.wine(2*time.Minute, testExe, "-test.run", "^TestTAPISourceTestWithoutProvider$", "-test.v")
	if code != 0 || !strings.Contains(out, "--- PASS: TestTAPISourceTestWithoutProvider") {
		t.Fatalf("home.test.exe under Wine: exit %d\n%s", code, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "Test connection:") {
			t.Log(strings.TrimSpace(line))
		}
	}
}
