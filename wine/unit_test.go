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

// runUnitTest builds package pkg's tests for Windows and runs the test
// named test under Wine, in a fresh prefix; it returns the test's output.
func runUnitTest(t *testing.T, pkg, test string) string {
	t.Helper()
	testExe := filepath.Join(t.TempDir(), filepath.Base(pkg)+".test.exe")
	build := exec.Command("go", "test", "-c", "-o", testExe, pkg)
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	start := time.Now()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go test -c %s for Windows: %v\n%s", pkg, err, out)
	}
	t.Logf("built %s in %s", filepath.Base(testExe), time.Since(start).Round(time.Millisecond))
	p := newPrefix(t)
	out, code := p.wine(2*time.Minute, testExe, "-test.run", "^"+test+"$", "-test.v", "-test.count=1")
	if code != 0 || !strings.Contains(out, "--- PASS: "+test) {
		t.Fatalf("%s %s under Wine: exit %d\n%s", filepath.Base(testExe), test, code, out)
	}
	return out
}

// TestTAPIWithoutProvider runs package home's Windows test of Settings →
// Test connection with the TAPI source (TestTAPISourceTestWithoutProvider)
// under Wine, whose tapi32.dll has no provider: the real DLL is loaded and
// called, and the attorney gets one clear line, never a crash. The tray's
// form itself is covered by package ui; this is the Windows half.
func TestTAPIWithoutProvider(t *testing.T) {
	out := runUnitTest(t, "../home", "TestTAPISourceTestWithoutProvider")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "Test connection:") {
			t.Log(strings.TrimSpace(line))
		}
	}
}

// TestDirectoryFirstOpenOnWindows runs clio/directory's concurrent first
// open under Wine: Windows' file locks made a second opener fail at once
// with SQLITE_BUSY ("open directory: database is locked"), which POSIX
// locks on Linux never showed.
func TestDirectoryFirstOpenOnWindows(t *testing.T) {
	runUnitTest(t, "../clio/directory", "TestOpenConcurrentFirstOpen")
}

// TestStartAtLoginRunValue runs internal/loginitem's Windows test under
// Wine: Settings' "Start CallDocket when I log in" writes and deletes the
// same Run value the MSI writes, and removes an older Startup shortcut.
func TestStartAtLoginRunValue(t *testing.T) {
	runUnitTest(t, "../internal/loginitem", "TestRunValue")
}
