//go:build wine

package wine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// appStatus is the part of `calldocket status --json` these tests read.
type appStatus struct {
	Running     bool   `json:"running"`
	Mode        string `json:"mode"`
	ActiveCalls []struct {
		ID     string `json:"id"`
		Number string `json:"number"`
		Phase  string `json:"phase"`
	} `json:"active_calls"`
}

func (p *prefix) status() appStatus {
	p.t.Helper()
	var st appStatus
	r := p.run("status", "--json")
	if r.code != 0 {
		p.t.Fatalf("status --json: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		p.t.Fatalf("status --json: %v in %q", err, r.stdout)
	}
	return st
}

// TestTrayAndURLScheme: the tray app starts under Wine and Xvfb, registers
// calldocket:// in the registry on its first run, and a link opened the
// Windows way (`wine start calldocket://call?…`) reaches it through the
// single-instance IPC: the call is live in its status and the screen pop
// window shows; the pop is screenshotted as windows-pop.png.
func TestTrayAndURLScheme(t *testing.T) {
	p := newPrefix(t)
	win := p.install()

	start := time.Now()
	cmd, logName := p.start(win, "--sandbox")
	exited := make(chan struct{})
	go func() { cmd.Process.Wait(); close(exited) }()
	running := false
	deadline := time.Now().Add(90 * time.Second)
	for !running && time.Now().Before(deadline) {
		select {
		case <-exited:
			b, _ := os.ReadFile(logName)
			t.Fatalf("the tray app exited %s after start:\n%s", time.Since(start).Round(time.Millisecond), b)
		default:
		}
		running = p.status().Running
	}
	if !running {
		t.Fatalf("the tray app never answered status in 90 s")
	}
	t.Logf("cold start to a running tray app (IPC answering): %s", time.Since(start).Round(time.Millisecond))

	// The app registered the URL scheme for this user (first run).
	out, code := p.wine(time.Minute, "reg", "query", `HKCU\Software\Classes\calldocket\shell\open\command`)
	if code != 0 || !strings.Contains(out, win) {
		t.Fatalf("calldocket:// is not registered to %s: exit %d\n%s", win, code, out)
	}

	const number = "+12125550177"
	link := "calldocket://call?number=" + number + "&state=ringing&id=wine-url-1"
	linkAt := p.openURL(link)
	waitFor(t, "the URL's call to reach the running app", 30*time.Second, func() bool {
		for _, c := range p.status().ActiveCalls {
			if c.ID == "wine-url-1" && c.Phase == "ringing" {
				return true
			}
		}
		return false
	})
	t.Logf("wine start calldocket://… to the call in status: %s", time.Since(linkAt).Round(time.Millisecond))

	var pop string
	waitFor(t, "the screen pop window", 30*time.Second, func() bool {
		pop = findPop()
		return pop != ""
	})
	t.Logf("link to visible pop window: %s (title %q)", time.Since(linkAt).Round(time.Millisecond), windowTitle(pop))
	time.Sleep(1500 * time.Millisecond) // let it paint
	shot := screenshot(t, pop, "windows-pop.png")
	if shot != "" {
		compareGolden(t, shot, "windows-pop.png")
	}

	// Only one instance: the link did not start a second tray app.
	select {
	case <-exited:
		t.Errorf("the first tray app exited")
	default:
	}
}

// openURL opens link the Windows way, `start URL` (ShellExecuteEx), and
// returns when it did. Windows finds a per-user URL scheme
// (HKCU\Software\Classes) through HKEY_CLASSES_ROOT, which merges it with
// HKLM\Software\Classes; Wine 8 does not merge them, so its `start` answers
// "ShellExecuteEx failed: Invalid name". When that exact failure happens,
// the per-user registration is mirrored into HKLM\Software\Classes, as
// Windows' merged view would show it, and the link is opened again.
func (p *prefix) openURL(link string) time.Time {
	p.t.Helper()
	at := time.Now()
	out, code := p.wine(time.Minute, "start", link)
	if code == 0 {
		return at
	}
	if !strings.Contains(out, "ShellExecuteEx failed") {
		p.t.Fatalf("wine start %s: exit %d: %s", link, code, out)
	}
	p.t.Logf("wine start without HKLM: %q (Wine 8 does not merge HKCU\\Software\\Classes into HKCR); mirroring the registration", strings.TrimSpace(out))
	const key = `Software\Classes\calldocket`
	command := p.regDefault(`HKCU\` + key + `\shell\open\command`)
	for _, args := range [][]string{
		{`HKLM\` + key, "/ve", "/d", "URL:CallDocket call"},
		{`HKLM\` + key, "/v", "URL Protocol", "/d", ""},
		{`HKLM\` + key + `\shell\open\command`, "/ve", "/d", command},
	} {
		if out, code := p.wine(time.Minute, append(append([]string{"reg", "add"}, args...), "/f")...); code != 0 {
			p.t.Fatalf("reg add %v: exit %d: %s", args, code, out)
		}
	}
	at = time.Now()
	if out, code := p.wine(time.Minute, "start", link); code != 0 {
		p.t.Fatalf("wine start %s (registration mirrored): exit %d: %s", link, code, out)
	}
	return at
}

// regDefault is the default REG_SZ value of key, read with `reg query`.
func (p *prefix) regDefault(key string) string {
	p.t.Helper()
	out, code := p.wine(time.Minute, "reg", "query", key, "/ve")
	for _, line := range strings.Split(out, "\n") {
		if _, v, ok := strings.Cut(line, "REG_SZ"); ok && code == 0 {
			return strings.TrimSpace(v)
		}
	}
	p.t.Fatalf("reg query %s /ve: exit %d: %s", key, code, out)
	return ""
}

// xdotool runs xdotool and returns its trimmed output.
func xdotool(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xdotool", args...).Output()
	return strings.TrimSpace(string(out)), err
}

// findPop returns a visible screen-pop window: Wine gives each top-level
// window an X window titled like the Win32 one, "… — CallDocket".
func findPop() string {
	out, err := xdotool("search", "--onlyvisible", "--name", "CallDocket")
	if err != nil {
		return ""
	}
	for _, id := range strings.Fields(out) {
		title := windowTitle(id)
		if title == "CallDocket" || strings.HasPrefix(title, "Review calls") || strings.HasPrefix(title, "Settings") ||
			strings.HasPrefix(title, "Welcome") {
			continue
		}
		return id
	}
	return ""
}

func windowTitle(id string) string {
	out, _ := xdotool("getwindowname", id)
	return out
}

// screenshot saves window id as name in -screenshots (when set) and
// returns its path.
func screenshot(t testing.TB, id, name string) string {
	t.Helper()
	if *screenshotsFlag == "" {
		return ""
	}
	out := filepath.Join(*screenshotsFlag, name)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if b, err := exec.CommandContext(ctx, "import", "-window", id, out).CombinedOutput(); err != nil {
		t.Errorf("screenshot %s: %v: %s", name, err, b)
		return ""
	}
	t.Logf("saved %s", out)
	return out
}

// compareGolden compares a fresh screenshot with the reviewed one in
// -golden (unless they are the same file, as in `make screenshots`): the
// same size, and under 5 % of the pixels differing beyond a 10 % fuzz
// (the call's timer and font hinting move a few pixels).
func compareGolden(t testing.TB, shot, name string) {
	t.Helper()
	golden := filepath.Join(*goldenFlag, name)
	if a, err := filepath.Abs(golden); err == nil && a == shot {
		return
	}
	if _, err := os.Stat(golden); err != nil {
		t.Errorf("no reviewed %s to compare with (%v): run `make screenshots` and review it", golden, err)
		return
	}
	size := func(f string) string {
		out, _ := exec.Command("identify", "-format", "%wx%h", f).Output()
		return string(out)
	}
	if a, b := size(shot), size(golden); a != b {
		t.Errorf("%s is %s, the reviewed %s is %s", shot, a, golden, b)
		return
	}
	out, _ := exec.Command("compare", "-metric", "AE", "-fuzz", "10%", shot, golden, "null:").CombinedOutput()
	var diff, w, h int
	if _, err := fmtSscan(string(out), &diff); err != nil {
		t.Errorf("compare %s %s: %q", shot, golden, out)
		return
	}
	fmtSscanSize(size(shot), &w, &h)
	if w*h > 0 && diff*20 > w*h {
		t.Errorf("%s differs from the reviewed %s in %d of %d pixels", shot, golden, diff, w*h)
	}
}

func fmtSscan(s string, v *int) (int, error) { return fmt.Sscan(strings.TrimSpace(s), v) }

func fmtSscanSize(s string, w, h *int) { fmt.Sscanf(s, "%dx%d", w, h) }
