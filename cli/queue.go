package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/deliver"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// queueItemJSON is the stable `queue list --json` shape.
type queueItemJSON struct {
	ID                  int64  `json:"id"`
	Kind                string `json:"kind"`
	State               string `json:"state"`
	Number              string `json:"number"`
	ContactID           int64  `json:"contact_id"`
	MatterID            int64  `json:"matter_id"`
	Billable            bool   `json:"billable"`
	DurationS           int64  `json:"duration_s"`
	ClioCommunicationID int64  `json:"clio_communication_id"`
	Error               string `json:"error"`
}

// Queue is `calldocket queue [list|retry ID|discard ID]`.
func Queue(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("queue")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	sub := "list"
	if len(pos) > 0 {
		sub, pos = pos[0], pos[1:]
	}
	// The command line is checked before the outbox is opened.
	var id int64
	switch sub {
	case "list":
		if len(pos) != 0 {
			return Usagef("queue list: unexpected argument %s", show(pos[0]))
		}
	case "retry", "discard":
		if len(pos) != 1 {
			return Usagef("queue %s: want exactly one item ID", sub)
		}
		id, err = strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id <= 0 {
			return Usagef("queue %s: %s is not an item ID (a positive number from 'calldocket queue')", sub, show(pos[0]))
		}
		if *asJSON {
			return Usagef("queue %s: --json goes with 'queue list'", sub)
		}
	default:
		return Usagef("queue: unknown subcommand %s (list, retry, discard)", show(sub))
	}
	p, cfg, log, err := home.Setup()
	if err != nil {
		return err
	}
	ob, err := queue.Open(ctx, p.Outbox(home.ModeFor(cfg, false)), log)
	if err != nil {
		return err
	}
	defer ob.Close()
	switch sub {
	case "list":
		items, err := ob.List(ctx, queue.ListOptions{})
		if err != nil {
			return err
		}
		if *asJSON {
			out := make([]queueItemJSON, 0, len(items))
			for _, it := range items {
				out = append(out, queueItemJSON{
					ID: it.ID, Kind: string(it.Kind), State: string(it.State), Number: it.Number,
					ContactID: it.ContactID, MatterID: it.MatterID, Billable: it.Billable,
					DurationS: it.DurationS, ClioCommunicationID: it.CommunicationID, Error: it.LastError,
				})
			}
			return json.NewEncoder(stdout).Encode(out)
		}
		if len(items) == 0 {
			fmt.Fprintln(stdout, "The outbox is empty.")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tSTATE\tWHO\tDURATION\tBILLABLE\tCLIO\tWHY")
		for _, it := range items {
			who := it.Name
			if who == "" {
				who = phone.Mask(it.Number)
			}
			clioRef := "-"
			if it.CommunicationID != 0 {
				clioRef = fmt.Sprintf("comm %d", it.CommunicationID)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%t\t%s\t%s\n", it.ID, it.Kind, it.State, who,
				deliver.Clock(time.Duration(it.DurationS)*time.Second), it.Billable, clioRef, it.LastError)
		}
		return tw.Flush()
	case "retry":
		if err := ob.Requeue(ctx, id); err != nil {
			return queueActError(sub, id, err)
		}
		fmt.Fprintf(stdout, "#%d is back in line; run 'calldocket flush' or wait for the app\n", id)
	case "discard":
		if err := ob.Discard(ctx, id); err != nil {
			return queueActError(sub, id, err)
		}
		fmt.Fprintf(stdout, "#%d discarded; it will not be sent to Clio\n", id)
	}
	return nil
}

// queueActError makes an unknown item, or one in the wrong state for the
// action, a usage error (exit 2) like 'calls'.
func queueActError(sub string, id int64, err error) error {
	switch {
	case errors.Is(err, queue.ErrNotFound):
		return Usagef("queue %s: no item %d (see 'calldocket queue')", sub, id)
	case errors.Is(err, queue.ErrWrongState):
		return Usagef("queue %s %d: %v", sub, id, err)
	}
	return fmt.Errorf("queue %s %d: %w", sub, id, err)
}

// Flush is `calldocket flush`: deliver the queued items now; it exits 1
// while some are not delivered.
func Flush(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("flush")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return Usagef("flush: unexpected argument %s", show(pos[0]))
	}
	p, cfg, log, err := home.Setup()
	if err != nil {
		return err
	}
	store := settings.NewStore("", cfg)
	core, led, ob, dir, err := home.OpenCore(ctx, p, store, home.ModeFor(cfg, false), log, calls.Options{}, false)
	if err != nil {
		return err
	}
	defer func() { led.Close(); ob.Close(); dir.Close() }()
	be, err := home.OpenBackend(ctx, p, cfg, false, log)
	if err != nil {
		return err
	}
	defer be.Close(ctx)
	if err := be.Ready(); err != nil {
		return err
	}
	// The ledger follows every delivery, as in the tray app.
	f := queue.NewFlusher(ob, deliver.New(be.Client, store.Get), queue.FlusherOptions{Logger: log,
		OnOutcome: func(it queue.Item, err error) { core.Outcome(ctx, it, err) }})
	res, err := f.Drain(ctx, true)
	if err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	fmt.Fprintf(stdout, "delivered %d, retrying %d, failed %d, remaining %d\n", res.Delivered, res.Retrying, res.Failed, res.Remaining)
	if res.Remaining > 0 || res.Retrying > 0 || res.Failed > 0 {
		return &ExitError{Code: ExitFail, Msg: "some items are not delivered yet; see 'calldocket queue'"}
	}
	return nil
}
