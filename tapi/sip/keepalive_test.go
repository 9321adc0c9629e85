package sip

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// linkReport is one OnLink call.
type linkReport struct {
	up  bool
	why string
	at  time.Time
}

// links records OnLink calls and hands them to the test in order.
type links struct {
	mu  sync.Mutex
	all []linkReport
	ch  chan linkReport
}

func newLinks() *links { return &links{ch: make(chan linkReport, 1024)} }

func (l *links) report(up bool, why string) {
	r := linkReport{up: up, why: why, at: time.Now()}
	l.mu.Lock()
	l.all = append(l.all, r)
	l.mu.Unlock()
	l.ch <- r
}

// next waits for the next report with the wanted state, skipping others.
func (l *links) next(t *testing.T, up bool, within time.Duration) linkReport {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case r := <-l.ch:
			if r.up == up {
				return r
			}
		case <-deadline:
			t.Fatalf("no link up=%v report within %v", up, within)
		}
	}
}

// startWatcher runs a watcher on the fake PBX with short keep-alive
// timings; tune may change them before Run.
func startWatcher(t *testing.T, p *fakePBX, l *links, tune func(*Watcher)) *Watcher {
	t.Helper()
	w, err := New(Config{Server: p.addr(), AOR: "sip:1001@127.0.0.1", OnLink: l.report}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.keepAlive, w.pingTimeout, w.maxProbe, w.requestTimeout = 100*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond, time.Second
	w.minBackoff = 50 * time.Millisecond
	if tune != nil {
		tune(w)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, func(tapi.Event) {}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run() = %v, want context.Canceled", err)
		}
	})
	return w
}

// TestStartUpNoBindRace: the first SUBSCRIBE of a fresh watcher goes out
// on its UDP socket, never failing with "address already in use".
func TestStartUpNoBindRace(t *testing.T) {
	p := startFakePBX(t)
	const starts = 20
	failures := 0
	for i := range starts {
		l := newLinks()
		w, err := New(Config{Server: p.addr(), AOR: "sip:1001@127.0.0.1", OnLink: l.report}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx, func(tapi.Event) {}) }()
		select {
		case r := <-l.ch:
			if !r.up {
				failures++
				t.Logf("start %d: first report is link down: %s", i+1, r.why)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("start %d: no link report within 5 s", i+1)
		}
		cancel()
		<-done
	}
	if failures != 0 {
		t.Fatalf("%d of %d starts failed their first SUBSCRIBE, want 0", failures, starts)
	}
}

// TestResubscribeOn481: a PBX that forgot the subscription (restarted
// between two keep-alives) answers the next refresh with 481: the link goes
// down and a new subscription is made at once.
func TestResubscribeOn481(t *testing.T) {
	p := startFakePBX(t)
	l := newLinks()
	startWatcher(t, p, l, func(w *Watcher) { w.verify = 300 * time.Millisecond })
	l.next(t, true, 2*time.Second)
	p.restart()
	down := l.next(t, false, 2*time.Second)
	if !strings.Contains(down.why, "481") {
		t.Errorf("link down because %q, want the 481", down.why)
	}
	up := l.next(t, true, 2*time.Second)
	if d := up.at.Sub(down.at); d > 500*time.Millisecond {
		t.Errorf("re-subscribed %v after the 481, want at once", d)
	}
	if initial, _, gone, _ := p.counts(); initial != 2 || gone < 1 {
		t.Errorf("initial SUBSCRIBEs = %d, 481s = %d, want 2 and at least 1", initial, gone)
	}
}

// TestResubscribeOn481ToOptions: a 481 to the keep-alive also means the
// subscription is gone.
func TestResubscribeOn481ToOptions(t *testing.T) {
	p := startFakePBX(t)
	l := newLinks()
	startWatcher(t, p, l, nil)
	l.next(t, true, 2*time.Second)
	p.setOptionsStatus(481)
	down := l.next(t, false, 2*time.Second)
	if !strings.Contains(down.why, "options response 481") {
		t.Errorf("link down because %q, want the OPTIONS 481", down.why)
	}
	p.setOptionsStatus(0)
	l.next(t, true, 2*time.Second)
}

// TestResubscribeAfterOutage: while the PBX answers nothing the link is
// down; once it answers again (having forgotten the subscription) the
// watcher subscribes again within a probe interval.
func TestResubscribeAfterOutage(t *testing.T) {
	p := startFakePBX(t)
	l := newLinks()
	startWatcher(t, p, l, nil)
	l.next(t, true, 2*time.Second)
	p.setSilent(true)
	p.restart()
	down := l.next(t, false, 2*time.Second)
	if !strings.Contains(down.why, "did not answer in 0.3 s") {
		t.Errorf("link down because %q, want no answer", down.why)
	}
	time.Sleep(time.Second) // a few probes go unanswered
	select {
	case r := <-l.ch:
		if r.up {
			t.Fatalf("link up while the PBX is silent: %+v", r)
		}
	default:
	}
	back := time.Now()
	p.setSilent(false)
	up := l.next(t, true, 3*time.Second)
	if d := up.at.Sub(back); d > time.Second {
		t.Errorf("re-subscribed %v after the PBX answered again, want under a second (probes every 0.3 s)", d)
	}
}

// TestFirstAttemptNoAnswer: a PBX that does not answer at all is reported
// as such, not as a subscription.
func TestFirstAttemptNoAnswer(t *testing.T) {
	p := startFakePBX(t)
	p.setSilent(true)
	l := newLinks()
	startWatcher(t, p, l, nil)
	down := l.next(t, false, 3*time.Second)
	want := "the PBX at " + p.addr() + " did not answer in 1 s"
	if !strings.Contains(down.why, want) {
		t.Errorf("link down because %q, want %q", down.why, want)
	}
}

func TestShorten(t *testing.T) {
	long := "challenged by the server, no password configured for this account on the telephone system"
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Forbidden", "Forbidden"},
		{"challenged, no password configured", "challenged, no password configured"},
		{long, "challenged by the server, no password configured for this…"},
		{strings.Repeat("x", 70), strings.Repeat("x", 64) + "…"},
		{strings.Repeat("é", 40), strings.Repeat("é", 32) + "…"},
	} {
		if got := shorten(tc.in); got != tc.want {
			t.Errorf("shorten(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&StatusError{StatusCode: 401, Reason: "Unauthorized", Detail: "the PBX asks for a password and none is configured"},
			"subscribe response 401 Unauthorized: the PBX asks for a password and none is configured"},
		{&StatusError{Method: "OPTIONS", StatusCode: 481, Reason: "Call/Transaction Does Not Exist"},
			"options response 481 Call/Transaction Does Not Exist"},
		{&NoAnswerError{Server: "pbx.example.com:5060", After: 5 * time.Second}, "the PBX at pbx.example.com:5060 did not answer in 5 s"},
		{&NoAnswerError{Server: "pbx:5060", After: 1500 * time.Millisecond}, "the PBX at pbx:5060 did not answer in 1.5 s"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	if !errors.Is(&NoAnswerError{}, ErrUnreachable) || !errors.Is(&TransportError{Err: errors.New("x")}, ErrUnreachable) {
		t.Error("NoAnswerError and TransportError must wrap ErrUnreachable")
	}
}
