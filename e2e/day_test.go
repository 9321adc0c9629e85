//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var daySeed = flag.Uint64("day-seed", 0, "TestScriptedDayWithKills: the seed of its kills (0: from the clock)")

// The scripted day's knobs.
const (
	dayKills     = 50               // random SIGKILLs of the tray app over the script
	dayGrace     = 15 * time.Second // CALLDOCKET_RESTART_GRACE: short, yet far longer than any step
	dayMinDurS   = 5                // min_duration_s: shorter calls get no time entry
	dayDownSteps = 2                // at most this many steps run while the app is down
)

// ledgerCall is one entry of `calldocket calls --json`.
type ledgerCall struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	State     string     `json:"state"`
	Number    string     `json:"number"`
	E164      string     `json:"e164"`
	Direction string     `json:"direction"`
	StartedAt time.Time  `json:"started_at"`
	EndedAt   *time.Time `json:"ended_at"`
	DurationS *int64     `json:"duration_s"`
	Billable  bool       `json:"billable"`
	Note      string     `json:"note"`
	Reason    string     `json:"reason"`
	OutboxID  int64      `json:"outbox_id"`
	CommID    int64      `json:"clio_communication_id"`
}

// dayCall is one call of the script and what must become of it.
type dayCall struct {
	id       string // the hook's call id
	number   string
	out      bool
	final    string // the state it must end in
	reason   string // for a call left in Review: why it is there
	kind     string // call or missed
	billable bool
	durS     int64 // the duration it is decided with; -1: as measured
}

// step is one thing the attorney's day does. run is one attempt; it is
// retried when it fails (the app died under it). check verifies the
// ledger afterwards.
type step struct {
	name     string
	run      func() error
	check    func() error
	kind     string // event, decide, later, pause, esc: steps of a kind take about as long
	needApp  bool   // it needs the tray app up (Esc on the pop)
	scripted bool   // a kill the script itself makes: no random kills here
}

// day drives the tray app through the script.
type day struct {
	t   *testing.T
	e   *env
	rng *rand.Rand

	cmd      *exec.Cmd
	exited   chan struct{} // closed when cmd has exited
	logf     *os.File      // every run of the app logs here
	up       bool
	downFor  int // steps run since the app went down
	calls    map[string]*dayCall
	ids      map[string]int64 // ledger id by number
	restarts []time.Duration
	took     map[string]time.Duration // how long a step of each kind took, lately

	killsInside, killsBetween, killsAfterStep, retries int
}

// TestScriptedDayWithKills is an attorney's day of 20 calls against the
// tray app in Sandbox mode, driven through the hook CLI, `calls decide`
// and `calls later`, and Esc on the pop, while the app is SIGKILLed at 50
// random moments between and inside steps (sometimes left down for a step
// or two, so the CLI records the events itself). The mix: answered calls
// decided billable and not, missed calls (logged on their own), two calls
// at once (twice), calls ended while pop-ups are paused, calls sent to
// Review with Esc or `calls later` and decided there, and a call whose
// app is killed mid-call: after the restart grace it is in Review with its
// duration unknown and is decided with --duration. At the end every call
// is in the state it must be in and Clio holds exactly one Communication
// per logged call and one time entry per logged call of at least the
// minimum duration: nothing lost, nothing twice.
func TestScriptedDayWithKills(t *testing.T) {
	seed := *daySeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -args -day-seed %d)", seed, seed)
	began := time.Now()
	d := &day{
		t:     t,
		e:     newEnv(t, "CALLDOCKET_LOG=info", "CALLDOCKET_RESTART_GRACE="+dayGrace.String()),
		rng:   rand.New(rand.NewPCG(seed, 0xda7)),
		calls: map[string]*dayCall{},
		ids:   map[string]int64{},
		took:  map[string]time.Duration{},
	}
	var err error
	if d.logf, err = os.Create(filepath.Join(t.TempDir(), "app.log")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.stop)
	d.e.mustRun("settings", "set", "min_duration_s", strconv.Itoa(dayMinDurS))
	d.start()

	script := d.script()
	kills := d.plan(script)
	for i, s := range script {
		d.do(i, s, kills[i])
	}
	t.Logf("script done in %s: %d kills inside a step, %d between steps, %d just after a step ended; %d retries; %d restarts (median %s, max %s)",
		time.Since(began).Round(time.Millisecond), d.killsInside, d.killsBetween, d.killsAfterStep, d.retries,
		len(d.restarts), medianOf(d.restarts), slices.Max(d.restarts))
	if got := d.killsInside + d.killsBetween + d.killsAfterStep; got != dayKills {
		t.Errorf("%d random kills, want %d", got, dayKills)
	}

	// No more kills. The call whose app was killed mid-call is in Review
	// with its duration unknown once the grace has passed.
	d.ensureUp()
	lost := d.calls["day-09"]
	var rec ledgerCall
	waitFor(t, "the call lost at a restart to go to Review", dayGrace+30*time.Second, func() bool {
		rec = d.ledger()[lost.number]
		return rec.State == "later"
	})
	if rec.DurationS != nil || !strings.Contains(rec.Reason, "closed during the call") {
		t.Errorf("lost call = %+v, want later with duration_s null and the reason", rec)
	}
	id := strconv.FormatInt(rec.ID, 10)
	if _, errs, code := d.e.run("calls", "decide", id, "--billable"); code != 2 || !strings.Contains(errs, "duration") {
		t.Errorf("deciding the lost call without --duration: exit %d, %q; want exit 2 asking for the duration", code, errs)
	}
	d.e.mustRun("calls", "decide", id, "--billable", "--duration", "4:12")

	d.drain()
	d.assertLedger()
	d.assertClio()
	t.Logf("the day took %s", time.Since(began).Round(time.Millisecond))
}

// script builds the day: 20 calls and what happens to each.
func (d *day) script() []step {
	c := func(n int, out bool, final, kind string, billable bool, durS int64) *dayCall {
		dc := &dayCall{id: fmt.Sprintf("day-%02d", n), number: fmt.Sprintf("+1907555%04d", 100+n), out: out,
			final: final, kind: kind, billable: billable, durS: durS}
		d.calls[dc.id] = dc
		return dc
	}
	var (
		c01 = c(1, false, "delivered", "call", true, -1)
		c02 = c(2, false, "delivered", "call", false, 120)
		c03 = c(3, false, "delivered", "missed", false, -1)
		c04 = c(4, false, "delivered", "call", true, 252)
		c05 = c(5, false, "delivered", "call", false, 95)
		c06 = c(6, true, "delivered", "call", true, 720)
		c07 = c(7, false, "delivered", "call", true, 420)
		c08 = c(8, false, "delivered", "call", false, 30)
		c09 = c(9, false, "delivered", "call", true, 252)
		c10 = c(10, false, "delivered", "missed", false, -1)
		c11 = c(11, false, "delivered", "call", false, 180)
		c12 = c(12, true, "delivered", "call", false, -1)
		c13 = c(13, false, "delivered", "missed", false, -1)
		c14 = c(14, false, "later", "call", false, -1)
		c15 = c(15, false, "later", "call", false, -1)
		c16 = c(16, false, "delivered", "call", true, 45)
		c17 = c(17, false, "delivered", "missed", false, -1)
		c18 = c(18, false, "later", "call", false, -1)
		c19 = c(19, false, "delivered", "call", true, 90)
		c20 = c(20, false, "awaiting_decision", "call", false, -1)
	)
	var s []step
	add := func(steps ...step) { s = append(s, steps...) }
	// A call answered and ended: it waits for the decision (or, paused, in Review).
	talk := func(dc *dayCall, paused bool) {
		add(d.ev(dc, "ringing", "ringing"), d.ev(dc, "answered", "answered"))
		if paused {
			add(d.ev(dc, "ended", "later"))
		} else {
			add(d.ev(dc, "ended", "awaiting_decision"))
		}
	}
	missed := func(dc *dayCall) { add(d.ev(dc, "ringing", "ringing"), d.ev(dc, "ended", "queued", "delivered")) }

	talk(c01, false)
	add(d.decide(c01))
	talk(c02, false)
	add(d.decide(c02))
	missed(c03)
	// Two calls at once: both ring, both are answered (call waiting), then end.
	add(d.ev(c04, "ringing", "ringing"), d.ev(c05, "ringing", "ringing"), d.ev(c05, "answered", "answered"),
		d.ev(c04, "answered", "answered"), d.ev(c04, "ended", "awaiting_decision"),
		d.ev(c05, "ended", "awaiting_decision"), d.decide(c04), d.decide(c05))
	talk(c06, false) // outbound
	add(d.decide(c06))
	talk(c07, false)
	add(d.esc(c07), d.decide(c07)) // Esc on the pop, then decided in Review
	add(d.pause(true))
	talk(c08, true)
	missed(c10) // missed calls are logged while paused too
	add(d.pause(false), d.decide(c08))
	// Killed mid-call: nothing more is heard of this call.
	add(d.ev(c09, "ringing", "ringing"), d.ev(c09, "answered", "answered"), d.killMidCall(c09))
	talk(c11, false)
	add(d.later(c11), d.decide(c11))
	add(d.ev(c12, "ringing", "ringing"), d.ev(c12, "ended", "awaiting_decision"), d.decide(c12)) // outbound, unanswered
	// Two at once again: one is missed, the other sent to Review with Esc and left there.
	add(d.ev(c13, "ringing", "ringing"), d.ev(c14, "ringing", "ringing"), d.ev(c14, "answered", "answered"),
		d.ev(c13, "ended", "queued", "delivered"), d.ev(c14, "ended", "awaiting_decision"), d.esc(c14))
	add(d.pause(true))
	talk(c15, true) // left in Review
	add(d.pause(false))
	talk(c16, false)
	add(d.decide(c16))
	missed(c17)
	talk(c18, false)
	add(d.later(c18)) // left in Review
	talk(c19, false)
	add(d.decide(c19))
	talk(c20, false) // left waiting on the pop
	c14.reason, c15.reason, c18.reason = "Esc on the pop", "pop-ups paused", "moved to Review from the command line"
	if len(d.calls) != 20 {
		d.t.Fatalf("script has %d calls, want 20", len(d.calls))
	}
	return s
}

// killAt is where the random kills of one step land.
type killAt struct{ before, inside bool }

// plan spreads dayKills kills over the steps: before a step or inside it.
func (d *day) plan(script []step) []killAt {
	var slots []int // 2*i: before step i; 2*i+1: inside it
	for i, s := range script {
		if !s.scripted {
			slots = append(slots, 2*i, 2*i+1)
		}
	}
	d.rng.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	out := make([]killAt, len(script))
	for _, sl := range slots[:dayKills] {
		if sl%2 == 0 {
			out[sl/2].before = true
		} else {
			out[sl/2].inside = true
		}
	}
	return out
}

// do runs one step with its kills, retrying it until it succeeds.
func (d *day) do(i int, s step, k killAt) {
	d.t.Helper()
	if k.before {
		d.ensureUp()
		d.kill()
		d.killsBetween++
		d.afterKill(s)
	}
	if !d.up && (s.needApp || d.downFor >= dayDownSteps) {
		d.start()
	}
	for try := 0; ; try++ {
		var err error
		if k.inside && try == 0 {
			d.ensureUp()
			err = d.runKilled(s)
		} else {
			t0 := time.Now()
			err = s.run()
			if el := time.Since(t0); err == nil && d.up {
				if prev, ok := d.took[s.kind]; ok {
					el = (prev + el) / 2
				}
				d.took[s.kind] = el
			}
		}
		if err == nil {
			break
		}
		if try >= 30 {
			d.t.Fatalf("step %d %s: still failing after %d tries: %v", i, s.name, try+1, err)
		}
		d.retries++
		d.t.Logf("step %d %s: retry (%v)", i, s.name, oneLine(err.Error()))
		switch {
		case d.exitedOnItsOwn():
			d.t.Errorf("step %d %s: the app exited on its own", i, s.name)
			d.up = false
			d.start()
		case !d.up && s.needApp:
			d.start()
		case d.up:
			time.Sleep(200 * time.Millisecond) // up but not taking it yet: poll again
		}
	}
	if !d.up {
		d.downFor++
	}
	if s.check != nil {
		if err := s.check(); err != nil {
			d.t.Fatalf("step %d %s: %v", i, s.name, err)
		}
	}
}

// runKilled runs the step and kills the app at a random moment within
// about the time such a step takes.
func (d *day) runKilled(s step) error {
	done := make(chan error, 1)
	go func() { done <- s.run() }()
	w := d.took[s.kind]
	if w <= 0 {
		w = 60 * time.Millisecond
	}
	select {
	case err := <-done:
		d.kill() // the step was quicker than the kill: it lands right after
		d.killsAfterStep++
		d.afterKill(s)
		return err
	case <-time.After(time.Duration(d.rng.Int64N(int64(w)))):
	}
	d.kill()
	d.killsInside++
	err := <-done
	d.afterKill(s)
	return err
}

// afterKill restarts the app, or one time in three leaves it down for
// the coming steps (at most dayDownSteps of them), so that the CLI
// records events and decisions itself.
func (d *day) afterKill(next step) {
	if next.needApp || d.rng.IntN(3) > 0 {
		d.start()
	}
}

// read reads `calls --json`, by number; it may run on any goroutine.
func (d *day) read() (map[string]ledgerCall, error) {
	out, errs, code := d.cli("calls", "--json")
	if code != 0 {
		return nil, fmt.Errorf("calls --json: exit %d: %s", code, errs)
	}
	var rs []ledgerCall
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		return nil, fmt.Errorf("calls --json: %w", err)
	}
	byNumber := map[string]ledgerCall{}
	for _, r := range rs {
		if _, dup := byNumber[r.E164]; dup {
			return nil, fmt.Errorf("two calls in the ledger for %s: %+v and %+v", r.E164, byNumber[r.E164], r)
		}
		byNumber[r.E164] = r
	}
	return byNumber, nil
}

// ledger is read for the test goroutine: an error fails the test.
func (d *day) ledger() map[string]ledgerCall {
	d.t.Helper()
	led, err := d.read()
	if err != nil {
		d.t.Fatal(err)
	}
	return led
}

// expect checks that dc's record is in one of states.
func (d *day) expect(dc *dayCall, states ...string) error {
	r, ok := d.ledger()[dc.number]
	if !ok {
		return fmt.Errorf("call %s is not in the ledger (lost)", dc.id)
	}
	if !slices.Contains(states, r.State) {
		return fmt.Errorf("call %s is %s (%s), want %s", dc.id, r.State, r.Reason, strings.Join(states, " or "))
	}
	d.ids[dc.number] = r.ID
	return nil
}

// ev is a hook event; once the command succeeded the ledger has it.
func (d *day) ev(dc *dayCall, state string, want ...string) step {
	args := []string{"event", state, "--number", dc.number, "--id", dc.id, "--no-start"}
	if dc.out {
		args = append(args, "--direction", "out")
	}
	return step{
		name:  dc.id + " " + state,
		kind:  "event",
		run:   func() error { return d.try(args...) },
		check: func() error { return d.expect(dc, want...) },
	}
}

// decide decides dc from the command line, with its duration if set.
func (d *day) decide(dc *dayCall) step {
	how := "--non-billable"
	if dc.billable {
		how = "--billable"
	}
	return step{
		name: dc.id + " decide " + how,
		run: func() error {
			led, err := d.read()
			if err != nil {
				return err
			}
			r := led[dc.number]
			if r.State == "queued" || r.State == "delivered" {
				return nil // an earlier attempt decided it, then failed
			}
			args := []string{"calls", "decide", strconv.FormatInt(r.ID, 10), how}
			if dc.durS >= 0 {
				args = append(args, "--duration", strconv.FormatInt(dc.durS, 10))
			}
			return d.try(args...)
		},
		check: func() error { return d.expect(dc, "queued", "delivered") },
		kind:  "decide",
	}
}

// later sends dc to Review from the command line.
func (d *day) later(dc *dayCall) step {
	return step{
		name: dc.id + " later",
		run: func() error {
			return d.try("calls", "later", strconv.FormatInt(d.ids[dc.number], 10))
		},
		check: func() error { return d.expect(dc, "later") },
		kind:  "later",
	}
}

// pause turns pop-ups off or on (through the app when it runs).
func (d *day) pause(on bool) step {
	v := strconv.FormatBool(on)
	return step{
		name: "pause_popups " + v,
		run:  func() error { return d.try("settings", "set", "pause_popups", v) },
		check: func() error {
			var s struct {
				Pause bool `json:"pause_popups"`
			}
			if err := json.Unmarshal([]byte(d.e.mustRun("settings", "show", "--json")), &s); err != nil {
				return err
			}
			if s.Pause != on {
				return fmt.Errorf("pause_popups is %v, want %v", s.Pause, on)
			}
			return nil
		},
		kind: "pause",
	}
}

// esc presses Esc on dc's card until dc is in Review. Keys act on the
// expanded card, the one the pop's title names: Up and Down move through
// the cards until it is dc's.
func (d *day) esc(dc *dayCall) step {
	return step{
		name:    dc.id + " Esc",
		needApp: true,
		kind:    "esc",
		run: func() error {
			exited := d.exited
			for range 6 {
				var win string
				deadline := time.Now().Add(20 * time.Second)
				for win = findPop(); win == ""; win = findPop() {
					if time.Now().After(deadline) {
						return errors.New("no pop window")
					}
					select {
					case <-exited:
						return errors.New("the app died")
					default:
					}
					time.Sleep(100 * time.Millisecond)
				}
				xdo("windowfocus", "--sync", win)
				if !expand(win, dc.number[len(dc.number)-4:]) {
					continue // the pop changed under the keys: look again
				}
				if err := xdo("key", "--window", win, "Escape"); err != nil {
					return fmt.Errorf("xdotool key Escape: %w", err)
				}
				deadline = time.Now().Add(1500 * time.Millisecond)
				for time.Now().Before(deadline) {
					if d.state(dc) == "later" {
						return nil
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
			return fmt.Errorf("call %s is %s after Esc", dc.id, d.state(dc))
		},
		check: func() error { return d.expect(dc, "later") },
	}
}

// expand moves the pop's expanded card to the one whose title has digits:
// to the top with Up, then down one card at a time.
func expand(win, digits string) bool {
	if strings.Contains(windowTitle(win), digits) {
		return true
	}
	xdo("key", "--window", win, "Up", "Up", "Up", "Up", "Up", "Up", "Up", "Up")
	for range 8 {
		title := windowTitle(win)
		if strings.Contains(title, digits) {
			return true
		}
		if xdo("key", "--window", win, "Down") != nil {
			return false
		}
		deadline := time.Now().Add(time.Second)
		for windowTitle(win) == title { // the last card: the title stays
			if time.Now().After(deadline) {
				return false
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return false
}

// state is dc's state, read without failing the test (from another goroutine).
func (d *day) state(dc *dayCall) string {
	led, err := d.read()
	if err != nil {
		return ""
	}
	return led[dc.number].State
}

// killMidCall kills the app during dc and restarts it: dc is still on the
// line, waiting for news from its phone for the restart grace.
func (d *day) killMidCall(dc *dayCall) step {
	return step{
		name:     dc.id + " killed mid-call",
		scripted: true,
		run: func() error {
			d.ensureUp()
			d.kill()
			d.start()
			return nil
		},
		check: func() error { return d.expect(dc, "answered") },
	}
}

// xdo runs xdotool with a timeout: a window can vanish under it.
func xdo(args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return exec.CommandContext(ctx, "xdotool", args...).Run()
}
