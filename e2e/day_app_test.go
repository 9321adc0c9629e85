//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// The scripted day's tray app: started, killed and restarted, and the CLI
// run against it.

// start starts the tray app and waits until it answers `status`.
func (d *day) start() {
	d.t.Helper()
	t0 := time.Now()
	fmt.Fprintf(d.logf, "--- test: start %d\n", len(d.restarts)+1)
	cmd := exec.Command(bin, "--sandbox")
	cmd.Env = d.e.vars
	cmd.Stdout, cmd.Stderr = d.logf, d.logf
	if err := cmd.Start(); err != nil {
		d.t.Fatalf("start the app: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	d.cmd, d.exited = cmd, exited
	waitFor(d.t, "the app to answer status", 60*time.Second, func() bool {
		out, _, code := d.cli("status", "--json")
		var st status
		return code == 0 && json.Unmarshal([]byte(out), &st) == nil && st.Running
	})
	d.up, d.downFor = true, 0
	d.restarts = append(d.restarts, time.Since(t0))
}

// ensureUp starts the app if it is down.
func (d *day) ensureUp() {
	if !d.up {
		d.start()
	}
}

// kill SIGKILLs the tray app and waits until it is gone.
func (d *day) kill() {
	d.t.Helper()
	if err := d.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		d.t.Fatalf("kill the app: %v", err)
	}
	select {
	case <-d.exited:
	case <-time.After(10 * time.Second):
		d.t.Fatal("the killed app is still there after 10 s")
	}
	fmt.Fprintln(d.logf, "--- test: SIGKILL")
	d.up = false
}

// exitedOnItsOwn reports whether the app the test thinks is up has exited.
func (d *day) exitedOnItsOwn() bool {
	if !d.up {
		return false
	}
	select {
	case <-d.exited:
		return true
	default:
		return false
	}
}

// stop quits the app at the end (as the user would) and, when the test
// failed, shows the end of the log of all its runs.
func (d *day) stop() {
	if d.cmd != nil && d.up {
		d.cmd.Process.Signal(os.Interrupt)
		select {
		case <-d.exited:
		case <-time.After(10 * time.Second):
			d.cmd.Process.Kill()
			<-d.exited
		}
	}
	d.logf.Close()
	if d.t.Failed() {
		b, _ := os.ReadFile(d.logf.Name())
		d.t.Logf("app log (every run):\n%s", tail(string(b), 60000))
	}
}

// cli runs a command without failing the test (it may run on another goroutine).
func (d *day) cli(args ...string) (string, string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = d.e.vars
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return out.String(), errb.String(), ee.ExitCode()
	case err != nil:
		return out.String(), err.Error(), -1
	}
	return out.String(), errb.String(), 0
}

// try runs a command as one attempt of a step.
func (d *day) try(args ...string) error {
	out, errs, code := d.cli(args...)
	if code != 0 {
		return fmt.Errorf("calldocket %s: exit %d: %s%s", strings.Join(args, " "), code, out, errs)
	}
	return nil
}
