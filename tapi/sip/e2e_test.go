//go:build unix

package sip

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

const (
	externalCaller = "+12125550123" // the sipp caller's number
	externalCallee = "+12125550199" // what the attorney dials (the sipp gateway)
	eventTimeout   = 10 * time.Second
)

// recorder is the emit callback under test: it keeps every event, folds it
// into a real tapi.Tracker, and hands it to the test in order.
type recorder struct {
	mu      sync.Mutex
	tracker *tapi.Tracker
	calls   map[string]tapi.Call
	ch      chan tapi.Event
}

func newRecorder() *recorder {
	return &recorder{tracker: tapi.NewTracker(tapi.TrackerOptions{}), calls: map[string]tapi.Call{}, ch: make(chan tapi.Event, 256)}
}

func (r *recorder) emit(ev tapi.Event) {
	r.mu.Lock()
	if c, changed := r.tracker.Apply(ev); changed {
		r.calls[c.ID] = c
	}
	r.mu.Unlock()
	r.ch <- ev
}

func (r *recorder) call(id string) tapi.Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[id]
}

// next returns the next event and fails unless it has the wanted state (and,
// when callID is set, call).
func (r *recorder) next(t *testing.T, want tapi.State, callID string) tapi.Event {
	t.Helper()
	select {
	case ev := <-r.ch:
		if ev.State != want || (callID != "" && ev.CallID != callID) {
			t.Fatalf("next event = %+v, want state %s for call %q", ev, want, callID)
		}
		if ev.Source != SourceName || ev.At.IsZero() {
			t.Fatalf("event %+v: want source %q and a time", ev, SourceName)
		}
		return ev
	case <-time.After(eventTimeout):
		t.Fatalf("no %s event within %v", want, eventTimeout)
	}
	return tapi.Event{}
}

// quiet fails if an event arrives within d (repeats must not be emitted).
func (r *recorder) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case ev := <-r.ch:
		t.Fatalf("unexpected event %+v", ev)
	case <-time.After(d):
	}
}

// rig is one PBX, the attorney's phone and a watcher on its AOR.
type rig struct {
	pbx    *pbx
	phone  *softphone
	rec    *recorder
	link   *links
	logs   *logBuffer
	cancel context.CancelFunc
	done   chan error
}

func (g *rig) subscriptions() int { return strings.Count(g.logs.String(), "sip subscription active") }

func TestEndToEnd(t *testing.T) {
	mpath := requirePeers(t)
	for _, tc := range []struct {
		name      string
		transport string
		auth      bool
		restart   bool
	}{
		{name: "udp", transport: "udp", restart: true},
		{name: "udp-auth", transport: "udp", auth: true, restart: true},
		{name: "tcp-auth", transport: "tcp", auth: true, restart: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			g := &rig{pbx: startPBX(t, mpath, tc.auth), rec: newRecorder(), link: newLinks(), logs: &logBuffer{}}
			g.phone = startPhone(t, g.pbx.addr(), "1001", "Attorney Desk")
			cfg := Config{
				Server:    g.pbx.addr(),
				Transport: tc.transport,
				AOR:       "sip:1001@127.0.0.1",
				OnLink:    g.link.report, // Expires: the default, 600 s
			}
			if tc.auth {
				cfg.Username, cfg.Password = "watcher", watcherPassword
			}
			w, err := New(cfg, slog.New(slog.NewTextHandler(g.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			g.cancel, g.done = cancel, make(chan error, 1)
			go func() { g.done <- w.Run(ctx, g.rec.emit) }()
			t.Cleanup(func() {
				g.cancel()
				select {
				case err := <-g.done:
					if err != context.Canceled {
						t.Errorf("Run() = %v, want context.Canceled", err)
					}
				case <-time.After(5 * time.Second):
					t.Errorf("Run did not return after cancel")
				}
				if t.Failed() {
					t.Logf("watcher log:\n%s", g.logs.tail(6000))
					t.Logf("kamailio log:\n%s", g.pbx.proc.out.tail(4000))
				}
			})
			waitFor(t, "first subscription", func() bool { return g.subscriptions() >= 1 })

			t.Run("answered", func(t *testing.T) { scenarioAnswered(t, g) })
			t.Run("missed", func(t *testing.T) { scenarioMissed(t, g) })
			t.Run("outbound", func(t *testing.T) { scenarioOutbound(t, g) })
			t.Run("rejected", func(t *testing.T) { scenarioRejected(t, g) })
			if tc.auth {
				t.Run("wrong-password", func(t *testing.T) {
					bad := cfg
					bad.Password = "not-" + watcherPassword
					w, err := New(bad, nil)
					if err != nil {
						t.Fatal(err)
					}
					ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
					defer cancel()
					if err := w.Run(ctx, g.rec.emit); !errors.Is(err, ErrAuth) {
						t.Fatalf("Run(wrong password) = %v, want ErrAuth", err)
					}
				})
			}
			if tc.restart {
				t.Run("pbx-restart", func(t *testing.T) { scenarioRestart(t, g) })
			}
			t.Logf("%s: all scenarios in %v", tc.name, time.Since(start).Round(time.Millisecond))
		})
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 30 s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func checkRemote(t *testing.T, ev tapi.Event, dir tapi.Direction, number string) {
	t.Helper()
	if ev.Direction != dir || ev.Remote != number || ev.RemoteE164 != number || ev.Local != "1001" || ev.CallID == "" {
		t.Fatalf("ringing event = %+v, want direction %s, remote %s, local 1001 and a call id", ev, dir, number)
	}
}

func callerArgs(t *testing.T, g *rig) []string {
	return []string{"-s", "1001", "-p", strconv.Itoa(freePort(t)), g.pbx.addr()}
}

// scenarioAnswered: an external caller rings, the attorney answers after a
// moment, the caller hangs up 1.5 s later.
func scenarioAnswered(t *testing.T, g *rig) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s := startSipp(t, "caller_answered.xml", callerArgs(t, g)...)
	ring := g.rec.next(t, tapi.StateRinging, "")
	checkRemote(t, ring, tapi.DirectionIn, externalCaller)
	time.Sleep(500 * time.Millisecond)
	g.phone.command("accept", "")
	g.rec.next(t, tapi.StateAnswered, ring.CallID)
	g.rec.next(t, tapi.StateEnded, ring.CallID)
	s.wait(t, ctx)
	c := g.rec.call(ring.CallID)
	if c.Missed() || c.Duration() < time.Second || c.Duration() > 5*time.Second {
		t.Fatalf("call = %+v: Missed() = %v, Duration() = %v, want false and about 1.5 s", c, c.Missed(), c.Duration())
	}
	g.rec.quiet(t, 300*time.Millisecond)
}

// scenarioMissed: an external caller gives up (CANCEL) while it rings.
func scenarioMissed(t *testing.T, g *rig) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s := startSipp(t, "caller_cancel.xml", callerArgs(t, g)...)
	ring := g.rec.next(t, tapi.StateRinging, "")
	checkRemote(t, ring, tapi.DirectionIn, externalCaller)
	g.rec.next(t, tapi.StateEnded, ring.CallID)
	s.wait(t, ctx)
	if c := g.rec.call(ring.CallID); !c.Missed() || c.Duration() != 0 {
		t.Fatalf("call = %+v: Missed() = %v, Duration() = %v, want true and 0", c, c.Missed(), c.Duration())
	}
	g.rec.quiet(t, 300*time.Millisecond)
}

// scenarioOutbound: the attorney dials an external number, the far end
// answers after 1 s of ringing, the attorney hangs up 1 s later.
func scenarioOutbound(t *testing.T, g *rig) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s := startSipp(t, "gateway_uas.xml", "-p", strconv.Itoa(g.pbx.gwPort))
	time.Sleep(300 * time.Millisecond) // let sipp bind its port
	g.phone.command("dial", "sip:"+externalCallee+"@"+g.pbx.addr())
	ring := g.rec.next(t, tapi.StateRinging, "")
	checkRemote(t, ring, tapi.DirectionOut, externalCallee)
	g.rec.next(t, tapi.StateAnswered, ring.CallID)
	time.Sleep(time.Second)
	g.phone.command("hangup", "")
	g.rec.next(t, tapi.StateEnded, ring.CallID)
	s.wait(t, ctx)
	if c := g.rec.call(ring.CallID); c.Missed() || c.Direction != tapi.DirectionOut || c.Duration() < 900*time.Millisecond {
		t.Fatalf("call = %+v: Missed() = %v, Duration() = %v, want false and about 1 s", c, c.Missed(), c.Duration())
	}
	g.rec.quiet(t, 300*time.Millisecond)
}

// scenarioRejected: the attorney rejects a ringing call (baresip sends 486).
// Stock Kamailio's dialog-info says only "terminated" (no event or code
// attribute), so the watcher cannot tell it from a cancelled call: it is
// missed, not rejected. TestEndReasonEndToEnd covers a PBX that says why.
func scenarioRejected(t *testing.T, g *rig) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s := startSipp(t, "caller_rejected.xml", callerArgs(t, g)...)
	ring := g.rec.next(t, tapi.StateRinging, "")
	checkRemote(t, ring, tapi.DirectionIn, externalCaller)
	time.Sleep(300 * time.Millisecond)
	g.phone.command("hangup", "")
	g.rec.next(t, tapi.StateEnded, ring.CallID)
	s.wait(t, ctx)
	if c := g.rec.call(ring.CallID); !c.Missed() || c.Rejected() || c.Duration() != 0 {
		t.Fatalf("call = %+v: Missed() = %v, Rejected() = %v, Duration() = %v, want true, false (stock Kamailio does not say) and 0",
			c, c.Missed(), c.Rejected(), c.Duration())
	}
	g.rec.quiet(t, 300*time.Millisecond)
}
