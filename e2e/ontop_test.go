//go:build e2e

package e2e

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestPopOnTopWithoutFocus (issue 7): while the attorney types in another
// window, a ringing call pops the window within 100 ms, stacked on top,
// marked _NET_WM_STATE_ABOVE, and the keyboard focus stays where it was —
// also across the pop's once-a-second refresh and when it pops again after
// being hidden.
//
// Plain Xvfb runs no window manager, so _NET_WM_STATE is only a property
// here: the test checks that the app sets it (a window manager that adopts
// the window honours it), that the pop is really at the top of the X
// stacking order, and that the X input focus never moves. A window
// manager's own focus policy (_NET_WM_USER_TIME = 0) is not exercised.
func TestPopOnTopWithoutFocus(t *testing.T) {
	e := newEnv(t)
	e.start("--sandbox")
	waitFor(t, "the directory to sync", 60*time.Second, func() bool { return e.status().Directory })

	// The window the attorney types in.
	xm := exec.Command("xmessage", "-name", "typing", "-geometry", "600x400+0+0", "drafting a brief")
	if err := xm.Start(); err != nil {
		t.Fatalf("start xmessage (x11-utils): %v", err)
	}
	t.Cleanup(func() { xm.Process.Kill(); xm.Wait() })
	var typing string
	waitFor(t, "the xmessage window", 10*time.Second, func() bool {
		out, _ := xdotool("search", "--onlyvisible", "--classname", "typing")
		if f := strings.Fields(out); len(f) > 0 {
			typing = f[0]
		}
		return typing != ""
	})

	for round, number := range []string{"+1 907 555 0142", "+1 907 555 0143"} {
		if _, err := xdotool("windowfocus", "--sync", typing); err != nil {
			t.Fatalf("focus xmessage: %v", err)
		}
		digits := number[len(number)-4:]
		id := fmt.Sprintf("ontop-%d", round)
		start := time.Now()
		e.hookPost(t, map[string]string{"state": "ringing", "number": number, "id": id})
		var pop string
		for pop == "" || !strings.Contains(windowTitle(pop), digits) {
			if time.Since(start) > 10*time.Second {
				t.Fatalf("round %d: no visible pop after 10 s", round)
			}
			time.Sleep(2 * time.Millisecond)
			pop = findPop()
		}
		lat := time.Since(start)
		t.Logf("round %d: pop visible after %s", round, lat)
		// The first pop also creates the window and its GL context, which
		// BenchmarkEventToVisibleWindow and issue 7 account for separately;
		// a pop of the existing window must make the 100 ms alone.
		if round > 0 && lat > 100*time.Millisecond {
			t.Errorf("round %d: pop visible after %s, want within 100ms", round, lat)
		}

		assertFocus(t, typing, "right after the pop")
		// The first Show maps the window it creates before the hint can be
		// set on it; later Shows set it before mapping.
		waitFor(t, "_NET_WM_STATE_ABOVE on the pop", time.Second, func() bool { return hasAbove(pop) })
		t.Logf("round %d: _NET_WM_STATE_ABOVE set after %s", round, time.Since(start))
		assertTopmost(t, pop, typing)

		// Stack the typing window over the pop: the pop's next refresh
		// (each second) puts it back on top, still without taking focus.
		xdotool("windowraise", typing)
		time.Sleep(2500 * time.Millisecond)
		assertFocus(t, typing, "after the pop refreshed")
		assertTopmost(t, pop, typing)
		assertAbove(t, pop)

		// Hang up and dismiss the missed-call card, so the next round pops a
		// hidden window again.
		e.hookPost(t, map[string]string{"state": "ended", "id": id})
		dismissPop(t, pop)
	}
}

func assertFocus(t *testing.T, want, when string) {
	t.Helper()
	got, err := xdotool("getwindowfocus")
	if err != nil {
		t.Fatalf("getwindowfocus: %v", err)
	}
	if got != want {
		t.Errorf("focused window %s = %s (%q), want the typing window %s", when, got, windowTitle(got), want)
	}
}

func assertAbove(t *testing.T, win string) {
	t.Helper()
	if out := wmState(win); !strings.Contains(out, "_NET_WM_STATE_ABOVE") {
		t.Errorf("xprop -id %s _NET_WM_STATE = %q, want it to contain _NET_WM_STATE_ABOVE", win, out)
	}
}

func hasAbove(win string) bool {
	return strings.Contains(wmState(win), "_NET_WM_STATE_ABOVE")
}

// wmState is `xprop -id win _NET_WM_STATE` (x11-utils).
func wmState(win string) string {
	out, err := exec.Command("xprop", "-id", win, "_NET_WM_STATE").CombinedOutput()
	if err != nil {
		return err.Error()
	}
	return strings.TrimSpace(string(out))
}

// assertTopmost checks that win is stacked above other among the root's
// children (xwininfo lists them topmost first).
func assertTopmost(t *testing.T, win, other string) {
	t.Helper()
	out, err := exec.Command("xwininfo", "-root", "-children").Output()
	if err != nil {
		t.Fatalf("xwininfo: %v", err)
	}
	pos := func(id string) int {
		var n int
		fmt.Sscan(id, &n)
		return strings.Index(string(out), fmt.Sprintf("0x%x ", n))
	}
	pw, po := pos(win), pos(other)
	if pw < 0 || po < 0 || pw > po {
		t.Errorf("stacking: pop %s at %d, typing window %s at %d in xwininfo -root -children, want the pop first", win, pw, other, po)
	}
}
