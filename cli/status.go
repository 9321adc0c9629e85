package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/ipc"
	"github.com/calldocket/calldocket/settings"
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
	// A bad config.json does not hide the status: it is part of it.
	p, cfg, _, err := home.Setup()
	var badCfg *settings.FileError
	if errors.As(err, &badCfg) {
		err = nil
	}
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
		core, closeAll, _, err := openCLICore(ctx, true)
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
	if badCfg != nil && st.SettingsProblem == "" {
		st.SettingsProblem = badCfg.Error()
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
		switch {
		case st.SignInNeed:
			fmt.Fprintln(stdout, "Clio: sign-in needed (open Settings → Connect to Clio); calls keep queueing here.")
		case !st.Online && st.LastError != "":
			fmt.Fprintf(stdout, "Clio: offline (%s); calls keep queueing here.\n", st.LastError)
		case !st.Online:
			fmt.Fprintln(stdout, "Clio: offline; calls keep queueing here.")
		}
		for _, d := range st.PhoneDown {
			fmt.Fprintf(stdout, "Phone link down: %s\n", d)
		}
		if st.Paused {
			fmt.Fprintln(stdout, "Pop-ups paused (calls are still recorded).")
		}
		fmt.Fprintf(stdout, "Active calls: %d\n", len(st.ActiveCalls))
	}
	fmt.Fprintf(stdout, "Waiting for review or delivery: %d (pending %d, failed %d, delivered %d)\n",
		st.Waiting, st.Queue["pending"], st.Queue["failed"], st.Queue["delivered"])
	for _, d := range st.Damaged {
		fmt.Fprintf(stdout, "Damaged file: %s\n", d)
	}
	if st.SettingsProblem != "" {
		fmt.Fprintf(stdout, "Settings refused: %s (their defaults are in use)\n", st.SettingsProblem)
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
