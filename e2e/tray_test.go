//go:build e2e

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/e2e/trayctl"
)

type communication struct {
	ID         int64
	Type       string
	Subject    string
	Body       string
	ReceivedAt string `json:"received_at"`
	Matter     *struct{ ID int64 }
	Senders    []struct {
		ID   int64
		Type string
	}
	Receivers []struct {
		ID   int64
		Type string
	}
	ExternalProperties []struct{ Name, Value string } `json:"external_properties"`
}

type activity struct {
	ID            int64
	Type          string
	Date          string
	Quantity      float64
	NonBillable   bool `json:"non_billable"`
	Matter        *struct{ ID int64 }
	User          *struct{ ID int64 }
	Communication *struct{ ID int64 }
}

// TestSandboxCallFromTray is the walking skeleton end to end: the tray's
// "Simulate incoming call" (clicked over D-Bus) rings a call, the pop window
// appears, the call ends, the B key confirms it as billable, and the sandbox
// Clio emulator receives exactly one PhoneCommunication and one TimeEntry.
func TestSandboxCallFromTray(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	w, err := trayctl.StartWatcher(ctx)
	if err != nil {
		t.Fatalf("start StatusNotifierWatcher: %v", err)
	}
	defer w.Close()

	e := newEnv(t, "CALLDOCKET_SIMULATE=known")
	e.start("--sandbox")

	item, err := w.WaitItem(ctx)
	if err != nil {
		t.Fatalf("tray item never registered: %v", err)
	}
	if _, err := item.WaitLabel(ctx, func(l string) bool { return strings.HasPrefix(l, "Sandbox") }); err != nil {
		t.Fatalf("tray status line: %v", err)
	}
	// The directory sync of the sample firm must be done before a known caller can ring.
	waitFor(t, "the directory to sync", 60*time.Second, func() bool { return e.status().Directory })
	if st := e.status(); st.Mode != "sandbox" || !st.Running {
		t.Fatalf("status = %+v, want running in sandbox mode", st)
	}

	if err := item.Click(ctx, "Simulate incoming call"); err != nil {
		t.Fatalf("click Simulate incoming call: %v", err)
	}
	var win string
	waitFor(t, "the screen pop window", 10*time.Second, func() bool {
		win = findPop()
		return win != ""
	})
	title := windowTitle(win)
	if !strings.Contains(title, "(Sandbox)") {
		t.Errorf("pop title %q does not say Sandbox", title)
	}
	if strings.HasPrefix(title, "+") || strings.HasPrefix(title, "(") {
		t.Errorf("pop title %q names a number, want the known contact's name", title)
	}
	var callID string
	waitFor(t, "the simulated call to be answered", 10*time.Second, func() bool {
		for _, c := range e.status().ActiveCalls {
			if c.Phase == "active" {
				callID = c.ID
				return true
			}
		}
		return false
	})
	time.Sleep(1200 * time.Millisecond) // a call of a second or more
	screenshot(t, win, "pop.png")

	e.mustRun("event", "ended", "--id", callID)
	waitFor(t, "the call to end", 5*time.Second, func() bool { return len(e.status().ActiveCalls) == 0 })
	time.Sleep(300 * time.Millisecond)
	screenshot(t, win, "wrapup.png")

	// The wrap-up key: B for billable, typed into the pop window.
	if _, err := xdotool("windowfocus", "--sync", win); err != nil {
		t.Logf("windowfocus: %v (continuing)", err)
	}
	if _, err := xdotool("key", "--window", win, "b"); err != nil {
		t.Fatalf("xdotool key b: %v", err)
	}

	base, token := e.sandboxAPI()
	var comms []communication
	var acts []activity
	waitFor(t, "the call to reach the Clio sandbox", 20*time.Second, func() bool {
		getJSON(t, base, token, "/api/v4/activities.json?fields=id,type,date,quantity,non_billable,matter,user,communication", &acts)
		return len(acts) > 0
	})
	getJSON(t, base, token, "/api/v4/communications.json?fields=id,type,subject,body,received_at,matter,senders,receivers,external_properties", &comms)
	if len(comms) != 1 || len(acts) != 1 {
		t.Fatalf("Clio sandbox has %d communications and %d activities, want exactly 1 and 1", len(comms), len(acts))
	}
	c, a := comms[0], acts[0]
	if c.Type != "PhoneCommunication" || !strings.HasPrefix(c.Subject, "Inbound call from ") {
		t.Errorf("communication = %+v, want an inbound PhoneCommunication", c)
	}
	if len(c.Senders) != 1 || c.Senders[0].Type == "User" || len(c.Receivers) != 1 || c.Receivers[0].Type != "User" {
		t.Errorf("senders/receivers = %+v / %+v, want the contact calling the user", c.Senders, c.Receivers)
	}
	if c.ReceivedAt == "" {
		t.Errorf("communication has no received_at")
	}
	if len(c.ExternalProperties) != 1 || c.ExternalProperties[0].Name != "calldocket_event_id" || c.ExternalProperties[0].Value == "" {
		t.Errorf("external_properties = %+v, want the item's event id", c.ExternalProperties)
	}
	if a.Type != "TimeEntry" || a.NonBillable || a.Quantity < 1 {
		t.Errorf("activity = %+v, want a billable TimeEntry of at least 1 s", a)
	}
	if a.Communication == nil || a.Communication.ID != c.ID {
		t.Errorf("time entry not linked to communication %d: %+v", c.ID, a.Communication)
	}
	if a.User == nil || a.User.ID == 0 {
		t.Errorf("time entry has no user")
	}
	if c.Matter == nil || c.Matter.ID == 0 {
		t.Errorf("communication has no matter; the top suggestion should be preselected for an active client")
	} else if a.Matter == nil || a.Matter.ID != c.Matter.ID {
		t.Errorf("time entry matter %+v differs from communication matter %+v", a.Matter, c.Matter)
	}

	// The outbox agrees: one delivered call carrying Clio's id.
	out := e.mustRun("queue", "list", "--json")
	if !strings.Contains(out, `"state":"delivered"`) || !strings.Contains(out, `"billable":true`) {
		t.Errorf("queue list = %s, want one delivered billable call", out)
	}

	// The decided call leaves the pop, which then hides.
	waitFor(t, "the pop to close after the decision", 10*time.Second, func() bool { return findPop() == "" })

	// The review list and settings, opened from the tray, for the README.
	if err := item.Click(ctx, "Review calls…"); err != nil {
		t.Fatalf("click Review calls: %v", err)
	}
	var rw string
	waitFor(t, "the review window", 10*time.Second, func() bool {
		rw = findWindow("Review calls")
		return rw != ""
	})
	if title := windowTitle(rw); !strings.Contains(title, "(Sandbox)") {
		t.Errorf("review title %q does not say Sandbox", title)
	}
	settle(rw)
	screenshot(t, rw, "review.png")
	if err := item.Click(ctx, "Settings…"); err != nil {
		t.Fatalf("click Settings: %v", err)
	}
	var sw string
	waitFor(t, "the settings window", 10*time.Second, func() bool {
		sw = findWindow("Settings")
		return sw != ""
	})
	if title := windowTitle(sw); !strings.Contains(title, "(Sandbox)") {
		t.Errorf("settings title %q does not say Sandbox", title)
	}
	settle(sw)
	screenshot(t, sw, "settings.png")

	// Starting CallDocket again hands over to the running one.
	if out, _, code := e.run("--sandbox"); code != 0 || !strings.Contains(out, "already running") {
		t.Errorf("second start: exit %d, %q; want a hand-over", code, out)
	}
	if err := item.Click(ctx, "Quit"); err != nil {
		t.Fatalf("click Quit: %v", err)
	}
	waitFor(t, "the app to quit", 10*time.Second, func() bool { return !e.status().Running })
}

// TestHookEventPops checks the hook path: `calldocket event ringing` reaches
// the running app, which pops a window titled with the caller.
func TestHookEventPops(t *testing.T) {
	e := newEnv(t)
	e.start("--sandbox")
	waitFor(t, "the app to start", 30*time.Second, func() bool { return e.status().Running })
	waitFor(t, "the directory to sync", 60*time.Second, func() bool { return e.status().Directory })

	start := time.Now()
	e.mustRun("event", "ringing", "--number", "+1 555 010 9999", "--id", "hook-1")
	var win string
	waitFor(t, "the pop for an unknown caller", 10*time.Second, func() bool {
		win = findPop()
		return win != ""
	})
	t.Logf("hook event to visible pop: %s (includes process start of the CLI and xdotool polling)", time.Since(start).Round(time.Millisecond))
	if title := windowTitle(win); !strings.Contains(title, "555") {
		t.Errorf("unknown caller's pop title %q does not show the number", title)
	}
	screenshot(t, "root", "desktop.png")

	// Bad input: a clear one-line error and a non-zero exit, no stack trace.
	_, errs, code := e.run("event", "sideways", "--number", "123")
	if code == 0 || strings.Contains(errs, "goroutine") || strings.Count(strings.TrimSpace(errs), "\n") > 1 {
		t.Errorf("bad state: exit %d, stderr %q", code, errs)
	}
	e.mustRun("event", "answered", "--id", "hook-1")
	e.mustRun("event", "ended", "--id", "hook-1")
	waitFor(t, "the call to end", 5*time.Second, func() bool { return len(e.status().ActiveCalls) == 0 })
	// Esc means later: nothing is queued, and the call waits in Review.
	xdotool("windowfocus", "--sync", win)
	xdotool("key", "--window", win, "Escape")
	waitFor(t, "Esc to move the call to Review", 10*time.Second, func() bool { return e.status().Deciding == 1 })
	if st := e.status(); st.Queue["pending"]+st.Queue["delivered"] != 0 {
		t.Errorf("a call sent to Review was queued: %+v", st.Queue)
	}

	// A call that rings and ends unanswered is a missed call, logged
	// without asking (a Communication only); an SMS is logged the same way.
	e.mustRun("event", "ringing", "--number", "+1 907 555 0142", "--id", "hook-2")
	e.mustRun("event", "ended", "--id", "hook-2")
	e.mustRun("event", "sms", "--number", "+1 907 555 0142", "--text", "Running 10 minutes late")
	waitFor(t, "the missed call and the SMS to be delivered", 10*time.Second, func() bool { return e.status().Queue["delivered"] == 2 })
	out := e.mustRun("queue", "list", "--json")
	if !strings.Contains(out, `"kind":"missed"`) || !strings.Contains(out, `"kind":"sms"`) {
		t.Errorf("queue = %s, want a missed call and an SMS", out)
	}
}

// TestFirstRun: a user who never started CallDocket gets the welcome.
func TestFirstRun(t *testing.T) {
	e := newFirstRunEnv(t)
	e.start("--sandbox")
	var win string
	waitFor(t, "the welcome window", 20*time.Second, func() bool {
		win = findWindow("Welcome to CallDocket")
		return win != ""
	})
	if title := windowTitle(win); !strings.Contains(title, "(Sandbox)") {
		t.Errorf("welcome title %q does not say Sandbox", title)
	}
	time.Sleep(700 * time.Millisecond) // let the first frame paint
	screenshot(t, win, "firstrun.png")
}
