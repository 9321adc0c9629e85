//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio/fake"
)

// callRec is one entry of `calldocket calls --json`.
type callRec struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	State     string `json:"state"`
	Number    string `json:"number"`
	E164      string `json:"e164"`
	DurationS *int64 `json:"duration_s"`
	Billable  bool   `json:"billable"`
	Note      string `json:"note"`
	Reason    string `json:"reason"`
	OutboxID  int64  `json:"outbox_id"`
	CommID    int64  `json:"clio_communication_id"`
}

func (e *env) calls() []callRec {
	e.t.Helper()
	var out []callRec
	if err := json.Unmarshal([]byte(e.mustRun("calls", "--json")), &out); err != nil {
		e.t.Fatalf("calls --json: %v", err)
	}
	return out
}

// call returns the ledger record of the call with number e164.
func (e *env) call(e164 string) callRec {
	e.t.Helper()
	for _, c := range e.calls() {
		if c.E164 == e164 {
			return c
		}
	}
	return callRec{}
}

// waitState waits until the call with number e164 is in state.
func (e *env) waitState(e164, state string, timeout time.Duration) callRec {
	e.t.Helper()
	var c callRec
	waitFor(e.t, fmt.Sprintf("call %s to be %s", e164, state), timeout, func() bool {
		c = e.call(e164)
		return c.State == state
	})
	return c
}

// startSandbox starts the tray app in Sandbox mode with its directory synced.
func startSandbox(t *testing.T, extra ...string) *env {
	t.Helper()
	e := newEnv(t, extra...)
	e.start("--sandbox")
	waitFor(t, "the app to start", 30*time.Second, func() bool { return e.status().Running })
	waitFor(t, "the directory to sync", 60*time.Second, func() bool { return e.status().Directory })
	return e
}

// answeredCall rings, answers and ends a call through the hook.
func (e *env) answeredCall(number, id string) {
	e.t.Helper()
	e.mustRun("event", "ringing", "--number", number, "--id", id)
	e.mustRun("event", "answered", "--id", id)
	time.Sleep(1100 * time.Millisecond) // a call of at least one second
	e.mustRun("event", "ended", "--id", id)
}

// press sends one key to the pop window.
func press(t *testing.T, key string) {
	t.Helper()
	var win string
	waitFor(t, "the pop window", 10*time.Second, func() bool { win = findPop(); return win != "" })
	xdotool("windowfocus", "--sync", win)
	if _, err := xdotool("key", "--window", win, key); err != nil {
		t.Fatalf("xdotool key %s: %v", key, err)
	}
}

// TestEscMovesACallToReview: Esc never throws a call away: it waits in
// Review, and is logged from there once decided.
func TestEscMovesACallToReview(t *testing.T) {
	e := startSandbox(t)
	const n = "+19075550111"
	e.answeredCall(n, "esc-1")
	e.waitState(n, "awaiting_decision", 10*time.Second)
	press(t, "Escape")
	c := e.waitState(n, "later", 10*time.Second)
	if c.Reason != "Esc on the pop" {
		t.Errorf("reason = %q, want Esc on the pop", c.Reason)
	}
	waitFor(t, "the pop to close", 10*time.Second, func() bool { return findPop() == "" })
	if st := e.status(); st.Deciding != 1 || st.Delivering != 0 {
		t.Errorf("status: %d waiting for a decision, %d for delivery; want 1, 0", st.Deciding, st.Delivering)
	}
	e.mustRun("calls", "decide", fmt.Sprint(c.ID), "--non-billable", "--note", "left a voicemail")
	c = e.waitState(n, "delivered", 30*time.Second)
	if c.CommID == 0 || c.Billable || c.Note != "left a voicemail" {
		t.Fatalf("delivered call = %+v", c)
	}
	base, token := e.sandboxAPI()
	var comm struct{ Body string }
	getJSON(t, base, token, fmt.Sprintf("/api/v4/communications/%d.json?fields=body", c.CommID), &comm)
	if !strings.Contains(comm.Body, "left a voicemail") {
		t.Errorf("communication body %q lacks the note", comm.Body)
	}
	// Deciding it again changes nothing: exit 2 and a line that says why.
	if _, errs, code := e.run("calls", "decide", fmt.Sprint(c.ID), "--billable"); code != 2 ||
		!strings.HasPrefix(errs, fmt.Sprintf("calldocket: call %d is delivered and cannot be decided", c.ID)) {
		t.Errorf("second decision: exit %d, stderr %q; want 2 and why", code, errs)
	}
	if got := e.call(n); got.Billable || got.State != "delivered" {
		t.Errorf("after the refused second decision: %+v", got)
	}
}

// TestPausedCallsWaitInReview: with pop-ups paused every call is still
// recorded, waits in Review, and the counts say so.
func TestPausedCallsWaitInReview(t *testing.T) {
	e := startSandbox(t)
	e.mustRun("settings", "set", "pause_popups", "true")
	const n = "+19075550122"
	e.answeredCall(n, "pause-1")
	c := e.waitState(n, "later", 10*time.Second)
	if c.Reason != "pop-ups paused" {
		t.Errorf("reason = %q, want pop-ups paused", c.Reason)
	}
	if win := findPop(); win != "" {
		t.Errorf("a pop showed while paused: %q", windowTitle(win))
	}
	st := e.status()
	if st.Deciding != 1 {
		t.Errorf("status while paused: %d waiting for a decision, want 1", st.Deciding)
	}
	e.mustRun("settings", "set", "pause_popups", "false")
	if c := e.call(n); c.State != "later" {
		t.Errorf("after resuming the call is %s, want later (in Review)", c.State)
	}
}

// TestMissedCallNoteReachesClio: the missed card's note updates the
// Communication the missed call was logged as.
func TestMissedCallNoteReachesClio(t *testing.T) {
	e := startSandbox(t)
	const n = "+19075550133"
	e.mustRun("event", "ringing", "--number", n, "--id", "missed-1")
	e.mustRun("event", "ended", "--id", "missed-1")
	c := e.waitState(n, "delivered", 30*time.Second)
	if c.Kind != "missed" || c.CommID == 0 {
		t.Fatalf("missed call = %+v", c)
	}
	press(t, "a")
	win := findPop()
	// The entry takes the keyboard on the next frame; letters typed before
	// that are the card's keys (C would call back).
	time.Sleep(700 * time.Millisecond)
	xdotool("type", "--window", win, "call back after 3")
	xdotool("key", "--window", win, "Return")
	base, token := e.sandboxAPI()
	var body string
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(body, "Note: call back after 3") {
		if time.Now().After(deadline) {
			t.Fatalf("the communication's body is %q, want the note; ledger: %+v", body, e.call(n))
		}
		time.Sleep(100 * time.Millisecond)
		var comm struct{ Body string }
		getJSON(t, base, token, fmt.Sprintf("/api/v4/communications/%d.json?fields=body", c.CommID), &comm)
		body = comm.Body
	}
	// The card has no billable choice: B logs nothing more.
	press(t, "b")
	time.Sleep(500 * time.Millisecond)
	for _, r := range e.calls() {
		if r.Kind == "call" {
			t.Errorf("B on a missed card made a call record: %+v", r)
		}
	}
}

// TestLiveSettingThenEnter: a settings change applies to the next decision
// without a restart.
func TestLiveSettingThenEnter(t *testing.T) {
	e := startSandbox(t)
	const n = "+19075550144"
	e.answeredCall(n, "live-1")
	e.waitState(n, "awaiting_decision", 10*time.Second)
	e.mustRun("settings", "set", "default_billable", "true")
	press(t, "Return")
	c := e.waitState(n, "delivered", 30*time.Second)
	if !c.Billable {
		t.Fatalf("Enter after turning billable on logged %+v, want billable", c)
	}
}

// TestEventWhileAppDown: the hook records the call itself and starts the
// app, which shows it.
func TestEventWhileAppDown(t *testing.T) {
	e := newEnv(t)
	t.Cleanup(func() { stopStarted(e) })
	const n = "+19075550155"
	out := e.mustRun("event", "ringing", "--number", n, "--id", "down-1")
	if !strings.Contains(out, "recorded") {
		t.Errorf("event with the app down printed %q", out)
	}
	waitFor(t, "the app the hook started", 30*time.Second, func() bool { return e.status().Running })
	waitFor(t, "the pop of the recorded call", 20*time.Second, func() bool { return findPop() != "" })
	e.mustRun("event", "answered", "--id", "down-1")
	e.mustRun("event", "ended", "--id", "down-1")
	c := e.waitState(n, "awaiting_decision", 10*time.Second)
	if len(e.calls()) != 1 {
		t.Errorf("calls = %+v, want the one call", e.calls())
	}
	_ = c
}

// stopStarted stops a tray app the test did not start itself.
func stopStarted(e *env) {
	b, err := os.ReadFile(filepath.Join(e.home, "ipc.json"))
	if err != nil {
		return
	}
	var ep struct{ PID int }
	if json.Unmarshal(b, &ep) == nil && ep.PID > 0 {
		syscall.Kill(ep.PID, syscall.SIGTERM)
		for i := 0; i < 100 && syscall.Kill(ep.PID, 0) == nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// TestHealthStates: the app says truthfully when Clio is unreachable,
// refuses the sign-in, or a call source lost its link.
func TestHealthStates(t *testing.T) {
	const token = "health-token"
	f, ts := startClio(t, token)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	e := newEnv(t, "CALLDOCKET_CLIO_URL="+ts.URL, "CALLDOCKET_CLIO_TOKEN="+token)
	for _, kv := range [][2]string{{"call_source", "ami"}, {"ami.addr", closed}, {"ami.user", "cd"}, {"ami.extension", "201"}} {
		e.mustRun("settings", "set", kv[0], kv[1])
	}
	e.start()
	waitFor(t, "the app to start", 30*time.Second, func() bool { return e.status().Running })
	waitFor(t, "Phone link down", 30*time.Second, func() bool { return len(e.status().PhoneDown) > 0 })

	// Clio answers 503 to everything: Offline within 30 s of the first failing delivery.
	f.InjectFaults(fake.Fault{PathPrefix: "/api/v4/", Kind: fake.FaultStatus, Status: 503})
	e.mustRun("log", "--number", "+12125550142", "--duration", "60", "--non-billable")
	start := time.Now()
	waitFor(t, "Offline", 30*time.Second, func() bool { return !e.status().Online })
	t.Logf("Offline %s after the first failing delivery", time.Since(start).Round(time.Second))
	if st := e.status(); st.Delivering != 1 {
		t.Errorf("while offline: %d waiting for delivery, want 1", st.Delivering)
	}
	f.ClearFaults()
	waitFor(t, "Online again and delivered", 90*time.Second, func() bool {
		st := e.status()
		return st.Online && st.Delivering == 0
	})

	// Clio refuses the token: Sign-in needed.
	f.InjectFaults(fake.Fault{PathPrefix: "/api/v4/", Kind: fake.FaultStatus, Status: 401})
	e.mustRun("log", "--number", "+12125550143", "--duration", "60", "--non-billable")
	waitFor(t, "Sign-in needed", 30*time.Second, func() bool { return e.status().SignIn })
}
