//go:build unix

package sip

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// restartsEnv sets how many Kamailio restarts TestPBXRestartRecovery
// measures (3 by default; the figures use 10).
const restartsEnv = "CALLDOCKET_SIP_RESTARTS"

// drain forgets the link reports so far.
func (l *links) drain() {
	for {
		select {
		case <-l.ch:
		default:
			return
		}
	}
}

// scenarioRestart: with the default Expires (600 s), Kamailio stops under
// the running watcher; the link is reported down while it is away; it
// starts again (having forgotten the subscription), the watcher subscribes
// again within 10 s, and a call placed 20 s after the restart is seen.
func scenarioRestart(t *testing.T, g *rig) {
	g.link.drain()
	g.pbx.proc.stop()
	stopped := time.Now()
	down := g.link.next(t, false, 15*time.Second)
	t.Logf("link reported down %v after Kamailio stopped: %s", down.at.Sub(stopped).Round(time.Millisecond), down.why)
	g.pbx.start()
	answering := time.Now()
	up := g.link.next(t, true, 15*time.Second)
	blind := up.at.Sub(answering)
	t.Logf("re-subscribed %v after Kamailio answered again", blind.Round(time.Millisecond))
	if blind > 10*time.Second {
		t.Errorf("re-subscribed %v after Kamailio answered again, want within 10 s", blind)
	}
	time.Sleep(time.Until(answering.Add(20 * time.Second)))
	scenarioAnswered(t, g)
}

// TestPBXRestartRecovery measures, with the default Expires, the time from
// Kamailio answering again after a restart to the watcher's new
// subscription and to the first call seen again. Even restarts are fast
// (stop, start at once: only the verification refresh can notice), odd
// ones keep Kamailio down 3 s (the keep-alive notices). A call is placed
// as soon as the link is back.
func TestPBXRestartRecovery(t *testing.T) {
	mpath := requirePeers(t)
	restarts := 3
	if v := os.Getenv(restartsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a whole number of restarts", restartsEnv, v)
		}
		restarts = n
	}
	g := &rig{pbx: startPBX(t, mpath, false), rec: newRecorder(), link: newLinks(), logs: &logBuffer{}}
	g.phone = startPhone(t, g.pbx.addr(), "1001", "Attorney Desk")
	w, err := New(Config{Server: g.pbx.addr(), AOR: "sip:1001@127.0.0.1", OnLink: g.link.report},
		slog.New(slog.NewTextHandler(g.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, g.rec.emit) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("watcher log:\n%s", g.logs.tail(6000))
		}
	})
	g.link.next(t, true, 10*time.Second)

	var subscribed, seen [2][]time.Duration // by kind: fast, 3 s down
	for i := range restarts {
		kind, gap := i%2, time.Duration(i%2)*3*time.Second
		g.link.drain()
		g.pbx.proc.stop()
		time.Sleep(gap)
		g.pbx.start()
		answering := time.Now()
		up := g.link.next(t, true, 20*time.Second)
		s := startSipp(t, "caller_cancel.xml", callerArgs(t, g)...)
		ring := g.rec.next(t, tapi.StateRinging, "")
		g.rec.next(t, tapi.StateEnded, ring.CallID)
		sctx, scancel := context.WithTimeout(t.Context(), 30*time.Second)
		s.wait(t, sctx)
		scancel()
		subscribed[kind] = append(subscribed[kind], up.at.Sub(answering))
		seen[kind] = append(seen[kind], ring.At.Sub(answering))
		t.Logf("restart %d (down %v): re-subscribed %v, first call seen %v after Kamailio answered again",
			i+1, gap, up.at.Sub(answering).Round(time.Millisecond), ring.At.Sub(answering).Round(time.Millisecond))
	}
	all := func(d [2][]time.Duration) []time.Duration { return append(slices.Clone(d[0]), d[1]...) }
	for _, r := range []struct {
		name       string
		sub, first []time.Duration
	}{
		{"fast restarts", subscribed[0], seen[0]},
		{"restarts with 3 s down", subscribed[1], seen[1]},
		{"all restarts", all(subscribed), all(seen)},
	} {
		if len(r.sub) == 0 {
			continue
		}
		t.Logf("%s (%d): re-subscribed p50 %v max %v; first call seen p50 %v max %v", r.name, len(r.sub),
			p50(r.sub), slices.Max(r.sub).Round(time.Millisecond), p50(r.first), slices.Max(r.first).Round(time.Millisecond))
	}
	if m := slices.Max(all(subscribed)); m > 10*time.Second {
		t.Errorf("re-subscribed up to %v after Kamailio answered again, want within 10 s", m)
	}
}

func p50(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}
