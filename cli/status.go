package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/ipc"
)

// Status is `calldocket status [--json]`: the running app's, or the
// ledger's when none runs.
func Status(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("status")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return Usagef("status: unexpected argument %s", show(pos[0]))
	}
	p, cfg, _, err := home.Setup()
	if err != nil {
		return err
	}
	var st ipc.Status
	running := true
	if e, err := ipc.FindRunning(ctx, p.Endpoint()); err == nil {
		if err := ipc.Call(ctx, e, http.MethodGet, ipc.PathStatus, nil, &st); err != nil {
			return err
		}
	} else {
		running = false
		core, closeAll, _, err := openCLICore(ctx, false)
		if err != nil {
			return err
		}
		st, err = offlineStatus(ctx, core)
		closeAll()
		if err != nil {
			return err
		}
		st.Mode = string(home.ModeFor(cfg, false))
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(struct {
			Running bool `json:"running"`
			ipc.Status
		}{running, st})
	}
	if !running {
		fmt.Fprintln(stdout, "CallDocket is not running.")
	} else {
		fmt.Fprintf(stdout, "CallDocket is running (%s", st.Mode)
		if st.User != "" {
			fmt.Fprintf(stdout, ", signed in as %s", st.User)
		}
		fmt.Fprintln(stdout, ").")
		fmt.Fprintf(stdout, "Active calls: %d\n", len(st.ActiveCalls))
	}
	fmt.Fprintf(stdout, "Waiting for review or delivery: %d (pending %d, failed %d, delivered %d)\n",
		st.Waiting, st.Queue["pending"], st.Queue["failed"], st.Queue["delivered"])
	for _, d := range st.Damaged {
		fmt.Fprintf(stdout, "Damaged file: %s\n", d)
	}
	fmt.Fprintf(stdout, "Data folder: %s\n", p.Data)
	return nil
}

// offlineStatus is `status` while the tray app is not running: the ledger's
// and the outbox's counts.
func offlineStatus(ctx context.Context, core *calls.Core) (ipc.Status, error) {
	st := ipc.NewStatus()
	counts, err := core.Ledger().Counts(ctx)
	if err != nil {
		return st, err
	}
	for k, v := range counts {
		st.Calls[string(k)] = v
	}
	st.Deciding, st.Delivering = home.WaitingCounts(counts)
	st.Waiting = st.Deciding + st.Delivering
	return st, nil
}
