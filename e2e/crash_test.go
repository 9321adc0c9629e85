//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/queue"
)

// eventIDProperty is the external property CallDocket tags its
// communications with (app/deliver.go).
const eventIDProperty = "calldocket_event_id"

// startEmulator serves the Clio emulator with opts (Token defaults to
// "e2e-token") over real HTTP on 127.0.0.1.
func startEmulator(t *testing.T, opts fake.Options) (*fake.Server, *httptest.Server) {
	t.Helper()
	if opts.Token == "" {
		opts.Token = "e2e-token"
	}
	f, err := fake.NewServer(fake.SampleFirm(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.Handler())
	t.Cleanup(func() { ts.Close(); f.Close() })
	return f, ts
}

// enqueueDirect writes items straight into env's outbox with package queue,
// as the app does when a call is confirmed: `calldocket log` in a loop
// would spend most of the test starting processes.
func enqueueDirect(t *testing.T, e *env, items []queue.Item) []queue.Item {
	t.Helper()
	ob, err := queue.Open(t.Context(), filepath.Join(e.home, "outbox.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	out := make([]queue.Item, 0, len(items))
	for _, it := range items {
		got, err := ob.Enqueue(t.Context(), it)
		if err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		out = append(out, got)
	}
	return out
}

// workload returns n items: mostly calls (billable or not), every tenth a
// missed call and every tenth an SMS, for contacts and matters of the
// sample firm.
func workload(n int, start time.Time) []queue.Item {
	firm := fake.SampleFirm()
	type pair struct{ contact, matter int64 }
	var pairs []pair
	for _, m := range firm.Matters {
		if m.Status == clio.MatterOpen && m.Client != nil {
			pairs = append(pairs, pair{m.Client.ID, m.ID})
		}
	}
	items := make([]queue.Item, n)
	for i := range items {
		p := pairs[i%len(pairs)]
		it := queue.Item{
			EventID: fmt.Sprintf("e2e-%04d", i), Kind: queue.KindCall,
			Number: fmt.Sprintf("+1212555%04d", i), Name: fmt.Sprintf("Caller %d", i),
			ContactID: p.contact, MatterID: p.matter, Direction: "in",
			StartedAt: start.Add(time.Duration(i) * time.Minute), DurationS: int64(60 + i),
			Billable: i%3 != 0, Note: fmt.Sprintf("note %d", i), Source: "e2e",
		}
		switch i % 10 {
		case 4:
			it.Kind, it.DurationS, it.Billable, it.Note = queue.KindMissed, 0, false, ""
		case 7:
			it.Kind, it.DurationS, it.Billable = queue.KindSMS, 0, false
			it.Text = fmt.Sprintf("SMS body %d: running late", i)
		}
		if i%5 == 1 {
			it.Direction = "out"
		}
		items[i] = it
	}
	return items
}

// requestsFor is how many API requests delivering items takes with no
// failure: who_am_i once, one communication each, one time entry per call.
func requestsFor(items []queue.Item) int {
	n := 1
	for _, it := range items {
		n++
		if it.Kind == queue.KindCall {
			n++
		}
	}
	return n
}

// assertExactlyOnce checks that every item reached the emulator exactly
// once with the right fields, that nothing else was written, and that the
// outbox lists every item as delivered.
func assertExactlyOnce(t *testing.T, e *env, f *fake.Server, items []queue.Item) {
	t.Helper()
	comms := f.Communications()
	byEvent := map[string][]clio.Communication{}
	for _, c := range comms {
		for _, p := range c.ExternalProperties {
			if p.Name == eventIDProperty {
				byEvent[p.Value] = append(byEvent[p.Value], c)
			}
		}
	}
	actsByComm := map[int64][]clio.Activity{}
	for _, a := range f.Activities() {
		if a.Communication == nil {
			t.Errorf("time entry %d has no communication", a.ID)
			continue
		}
		actsByComm[a.Communication.ID] = append(actsByComm[a.Communication.ID], a)
	}
	calls := 0
	for _, it := range items {
		got := byEvent[it.EventID]
		if len(got) != 1 {
			t.Errorf("item %s (%s): %d communications in Clio, want exactly 1", it.EventID, it.Kind, len(got))
			continue
		}
		c := got[0]
		if !strings.Contains(c.Subject, it.Name) || !strings.Contains(c.Subject, it.Number) {
			t.Errorf("item %s: subject %q, want the name and number", it.EventID, c.Subject)
		}
		if c.Matter == nil || c.Matter.ID != it.MatterID {
			t.Errorf("item %s: matter %+v, want %d", it.EventID, c.Matter, it.MatterID)
		}
		if !c.ReceivedAt.Equal(it.StartedAt.Truncate(time.Second)) {
			t.Errorf("item %s: received_at %v, want %v", it.EventID, c.ReceivedAt, it.StartedAt)
		}
		switch it.Kind {
		case queue.KindSMS:
			if !strings.HasPrefix(c.Subject, "SMS ") || !strings.Contains(c.Body, it.Text) {
				t.Errorf("item %s: SMS communication %q / %q, want the text in the body", it.EventID, c.Subject, c.Body)
			}
		case queue.KindMissed:
			if !strings.HasPrefix(c.Subject, "Missed call from ") {
				t.Errorf("item %s: subject %q, want a missed call", it.EventID, c.Subject)
			}
		}
		acts := actsByComm[c.ID]
		if it.Kind != queue.KindCall {
			if len(acts) != 0 {
				t.Errorf("item %s (%s): %d time entries, want none", it.EventID, it.Kind, len(acts))
			}
			continue
		}
		calls++
		if len(acts) != 1 {
			t.Errorf("item %s: %d time entries for communication %d, want exactly 1", it.EventID, len(acts), c.ID)
			continue
		}
		a := acts[0]
		if int64(a.Quantity) != it.DurationS || a.NonBillable == it.Billable || a.Matter == nil || a.Matter.ID != it.MatterID {
			t.Errorf("item %s: time entry %+v, want %d s, billable %t, matter %d", it.EventID, a, it.DurationS, it.Billable, it.MatterID)
		}
		if want := it.StartedAt.In(time.Local).Format(time.DateOnly); a.Date != want {
			t.Errorf("item %s: time entry date %s, want %s", it.EventID, a.Date, want)
		}
	}
	if len(comms) != len(items) {
		t.Errorf("Clio has %d communications, want %d (one per item)", len(comms), len(items))
	}
	if n := len(f.Activities()); n != calls {
		t.Errorf("Clio has %d time entries, want %d (one per call)", n, calls)
	}

	var listed []struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(e.mustRun("queue", "list", "--json")), &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed) != len(items) {
		t.Errorf("queue list has %d items, want %d", len(listed), len(items))
	}
	for _, it := range listed {
		if it.State != "delivered" {
			t.Errorf("queue item %d is %s (%s), want delivered", it.ID, it.State, it.Error)
		}
	}
}

// TestCrashExactlyOnce: 200 runs of `calldocket flush` are killed with
// SIGKILL at seeded random moments while the emulator injects 5xx answers,
// connection resets, commits whose answer is dropped, 429 bursts and
// latency. 40 items are waiting at the start and one more call is
// confirmed before each run, so every run finds work. A last clean flush
// must leave every item in Clio exactly once, with the right fields, and
// nothing lost.
func TestCrashExactlyOnce(t *testing.T) {
	const (
		runs  = 200
		items = 40
		seed  = 20260504
	)
	rng := rand.New(rand.NewPCG(seed, 1))
	f, ts := startEmulator(t, fake.Options{
		Seed:       seed,
		RateWindow: time.Second, // an injected 429 asks for at most a second
		Faults: []fake.Fault{
			{Kind: fake.FaultLatency, Probability: 0.5, Latency: 25 * time.Millisecond},
			{Method: "POST", Kind: fake.FaultCommitThenDrop, Probability: 0.08},
			{Method: "POST", Kind: fake.FaultStatus, Status: 503, Probability: 0.05},
			{Kind: fake.FaultReset, Probability: 0.04},
			{Kind: fake.FaultStatus, Status: 502, Probability: 0.02},
			{Kind: fake.Fault429, Probability: 0.02},
		},
	})
	e := newEnv(t, "CALLDOCKET_CLIO_URL="+ts.URL, "CALLDOCKET_CLIO_TOKEN=e2e-token", "CALLDOCKET_LOG=info")
	all := workload(items+runs, time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local))
	want := enqueueDirect(t, e, all[:items])

	start := time.Now()
	killed, finished := 0, 0
	for run := range runs {
		want = append(want, enqueueDirect(t, e, all[items+run:items+run+1])...)
		cmd := exec.Command(bin, "flush")
		cmd.Env = e.vars
		if err := cmd.Start(); err != nil {
			t.Fatalf("run %d: start flush: %v", run, err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
			finished++
		case <-time.After(time.Duration(rng.Int64N(int64(150 * time.Millisecond)))):
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !strings.Contains(err.Error(), "finished") {
				t.Fatalf("run %d: kill: %v", run, err)
			}
			<-done
			killed++
		}
	}
	t.Logf("%d runs in %s: %d killed, %d finished on their own", runs, time.Since(start).Round(time.Millisecond), killed, finished)
	if killed < runs/2 {
		t.Errorf("only %d of %d runs were killed; the test would not exercise crashes", killed, runs)
	}

	t.Logf("before the clean flush Clio has %d communications for %d items", len(f.Communications()), len(want))

	// Faults off: a clean flush delivers whatever is left.
	f.ClearFaults()
	var lastOut, lastErr string
	ok := false
	for range 3 {
		ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
		cmd := exec.CommandContext(ctx, bin, "flush")
		cmd.Env = e.vars
		var so, se strings.Builder
		cmd.Stdout, cmd.Stderr = &so, &se
		err := cmd.Run()
		cancel()
		lastOut, lastErr = so.String(), se.String()
		if err == nil {
			ok = true
			break
		}
		time.Sleep(1100 * time.Millisecond) // past any 429's Retry-After
	}
	if !ok {
		t.Fatalf("final clean flush failed:\nstdout: %s\nstderr: %s", lastOut, tail(lastErr, 3000))
	}
	assertExactlyOnce(t, e, f, want)
	t.Logf("emulator saw %d requests", len(f.Requests()))
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
