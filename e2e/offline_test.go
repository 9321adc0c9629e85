//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio/fake"
)

// TestOfflineThenRateLimited: 1,000 items are enqueued while Clio cannot be
// reached; `calldocket flush` fails without losing any. When Clio comes
// back with a tight rate limit, one `calldocket flush` delivers them all,
// exactly once, within 1.1× the time the rate limit allows: the flusher
// paces itself by X-RateLimit-Remaining and -Reset instead of hammering.
//
// The items are written with package queue directly (enqueueDirect), the
// way the app enqueues a confirmed call; 1,000 runs of `calldocket log`
// would spend the test starting processes.
func TestOfflineThenRateLimited(t *testing.T) {
	const (
		n      = 1000
		limit  = 100
		window = 2 * time.Second
	)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	e := newEnv(t, "CALLDOCKET_CLIO_URL="+dead, "CALLDOCKET_CLIO_TOKEN=e2e-token", "CALLDOCKET_LOG=info")
	want := enqueueDirect(t, e, workload(n, time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local)))

	if out, errs, code := e.run("flush"); code == 0 {
		t.Fatalf("flush with Clio unreachable exited 0: %s %s", out, tail(errs, 2000))
	}
	var listed []struct{ State string }
	if err := json.Unmarshal([]byte(e.mustRun("queue", "list", "--json")), &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed) != n {
		t.Fatalf("after the failed flush the outbox has %d items, want %d", len(listed), n)
	}
	for _, it := range listed {
		if it.State != "pending" {
			t.Fatalf("after the failed flush an item is %s, want pending", it.State)
		}
	}

	f, ts := startEmulator(t, fake.Options{RateLimit: limit, RateWindow: window})
	e.vars = append(filterEnv(e.vars, "CALLDOCKET_CLIO_URL"), "CALLDOCKET_CLIO_URL="+ts.URL)

	requests := requestsFor(want)
	bound := time.Duration(float64(requests) / limit * float64(window))
	ctx, cancel := context.WithTimeout(t.Context(), 3*bound)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "flush")
	cmd.Env = e.vars
	var so, se strings.Builder
	cmd.Stdout, cmd.Stderr = &so, &se
	start := time.Now()
	err = cmd.Run()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("flush after Clio came back: %v\nstdout: %s\nstderr: %s", err, so.String(), tail(se.String(), 3000))
	}
	tooMany := 0
	for _, r := range f.Requests() {
		if r.Status == 429 {
			tooMany++
		}
	}
	t.Logf("delivered %d items (%d requests, %d answered 429) in %s; the rate limit allows %s (%d per %s)",
		n, len(f.Requests()), tooMany, took.Round(time.Millisecond), bound.Round(time.Millisecond), limit, window)
	if max := bound + bound/10; took > max {
		t.Errorf("delivery took %s, want at most 1.1 × %s = %s", took.Round(time.Millisecond), bound, max)
	}
	if tooMany > requests/limit+2 {
		t.Errorf("%d requests answered 429, want about none: the flusher must pace itself", tooMany)
	}
	assertExactlyOnce(t, e, f, want)
}
