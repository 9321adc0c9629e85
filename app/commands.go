package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/deliver"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/ipc"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/hook"
)

func cmdEvent(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("event")
	var r hook.Request
	fs.StringVar(&r.Number, "number", "", "the remote number")
	fs.StringVar(&r.Name, "name", "", "caller-ID name")
	fs.StringVar(&r.ID, "id", "", "the call's id at its source")
	fs.StringVar(&r.Direction, "direction", "in", "in or out")
	fs.StringVar(&r.Text, "text", "", "the message text (event sms)")
	noStart := fs.Bool("no-start", false, "when CallDocket is not running, record the event without starting it")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("event: want exactly one STATE (ringing, answered, ended or sms)")
	}
	if pos[0] == hook.KindSMS {
		r.Kind = hook.KindSMS
		m, err := r.SMS(time.Now())
		if err != nil {
			return usagef("event sms: %v", err)
		}
		err = postEvent(ctx, r, stdout)
		if errors.Is(err, ipc.ErrNotRunning) {
			// A text message needs no window: queue it here.
			return enqueueSMS(ctx, m, stdout)
		}
		return err
	}
	if r.Text != "" {
		return usagef("event: --text goes with 'event sms'")
	}
	r.State = pos[0]
	ev, err := r.Event(time.Now())
	if err != nil {
		return usagef("event: %v", err)
	}
	err = postEvent(ctx, r, stdout)
	if errors.Is(err, ipc.ErrNotRunning) {
		return recordOffline(ctx, ev, *noStart, stdout)
	}
	return err
}

func cmdEventURL(ctx context.Context, raw string, stdout io.Writer) error {
	r, err := hook.ParseURL(raw)
	if err != nil {
		return usagef("%v", err)
	}
	if r.IsSMS() {
		m, err := r.SMS(time.Now())
		if err != nil {
			return usagef("%v", err)
		}
		err = postEvent(ctx, r, stdout)
		if errors.Is(err, ipc.ErrNotRunning) {
			return enqueueSMS(ctx, m, stdout)
		}
		return err
	}
	ev, err := r.Event(time.Now())
	if err != nil {
		return usagef("%v", err)
	}
	err = postEvent(ctx, r, stdout)
	if errors.Is(err, ipc.ErrNotRunning) {
		return recordOffline(ctx, ev, false, stdout)
	}
	return err
}

func postEvent(ctx context.Context, r hook.Request, stdout io.Writer) error {
	p, _, _, err := home.Setup()
	if err != nil {
		return err
	}
	e, err := ipc.FindRunning(ctx, p.Endpoint())
	if err != nil {
		return err
	}
	return hook.Post(ctx, e.BaseURL(), e.Secret, r)
}

// enqueueSMS logs a text message without the tray app.
func enqueueSMS(ctx context.Context, m tapi.Message, stdout io.Writer) error {
	core, closeAll, _, err := openCLICore(ctx)
	if err != nil {
		return err
	}
	defer closeAll()
	r, err := core.HandleMessage(ctx, m)
	if err != nil {
		return fmt.Errorf("event sms: %w", err)
	}
	if r.ID == 0 {
		fmt.Fprintln(stdout, "SMS logging is off in Settings: not logged.")
		return nil
	}
	fmt.Fprintf(stdout, "queued #%d (%s); run 'calldocket flush' or start CallDocket to deliver it\n", r.OutboxID, r.EventID)
	return nil
}

// lookupJSON is the stable `lookup --json` shape.
type lookupJSON struct {
	Number  string            `json:"number"`
	Matches []lookupMatchJSON `json:"matches"`
}

type lookupMatchJSON struct {
	ContactID    int64              `json:"contact_id"`
	Name         string             `json:"name"`
	Strength     string             `json:"strength"`
	ClientStatus string             `json:"client_status"`
	Matters      []lookupMatterJSON `json:"matters"`
}

type lookupMatterJSON struct {
	ID                  int64  `json:"id"`
	DisplayNumber       string `json:"display_number"`
	Description         string `json:"description"`
	Status              string `json:"status"`
	ResponsibleAttorney string `json:"responsible_attorney"`
}

func toLookupJSON(r directory.Result) lookupJSON {
	out := lookupJSON{Number: r.Number, Matches: []lookupMatchJSON{}}
	for _, m := range r.Matches {
		jm := lookupMatchJSON{ContactID: m.ContactID, Name: m.Name, Strength: m.Strength, ClientStatus: m.ClientStatus, Matters: []lookupMatterJSON{}}
		for _, mt := range m.Matters {
			jm.Matters = append(jm.Matters, lookupMatterJSON{
				ID: mt.ID, DisplayNumber: mt.DisplayNumber, Description: mt.Description,
				Status: mt.Status, ResponsibleAttorney: mt.ResponsibleAttorney,
			})
		}
		out.Matches = append(out.Matches, jm)
	}
	return out
}

func cmdLookup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("lookup")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("lookup: want exactly one number")
	}
	p, cfg, log, err := home.Setup()
	if err != nil {
		return err
	}
	dir, err := home.OpenDirectory(ctx, p, cfg, home.ModeFor(cfg, false), log)
	if err != nil {
		return err
	}
	defer dir.Close()
	if n, err := dir.Numbers(ctx, 1); err == nil && len(n) == 0 {
		fmt.Fprintln(stderr, "calldocket: the local directory is empty; syncing from Clio first…")
		if _, err := syncOnce(ctx, p, cfg, dir, false, nil); err != nil {
			return err
		}
	}
	res, err := dir.Lookup(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("lookup: %w", err)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(toLookupJSON(res))
	}
	if len(res.Matches) == 0 {
		fmt.Fprintf(stdout, "%s: no matching contact\n", res.Display)
		return nil
	}
	fmt.Fprintf(stdout, "%s\n", res.Display)
	for _, m := range res.Matches {
		fmt.Fprintf(stdout, "  %s (%s, %s match)\n", m.Name, m.ClientStatus, m.Strength)
		for _, mt := range m.Matters {
			fmt.Fprintf(stdout, "    %s  %s  [%s]  %s\n", mt.DisplayNumber, mt.Description, mt.Status, mt.ResponsibleAttorney)
		}
	}
	return nil
}

// syncOnce reads changes (or, with full, everything) from Clio into the
// local directory; progress, if set, sees each stored page.
func syncOnce(ctx context.Context, p home.Paths, cfg Config, dir *directory.Directory, full bool, progress func(directory.Progress)) (directory.SyncStats, error) {
	be, err := home.OpenBackend(ctx, p, cfg, false, home.NewLogger(io.Discard, 0))
	if err != nil {
		return directory.SyncStats{}, err
	}
	defer be.Close(ctx)
	if err := be.Ready(); err != nil {
		return directory.SyncStats{}, err
	}
	src := directory.NewClioSource(be.Client, home.ClioSourceOptions(be.Client))
	defer src.Close()
	st, err := dir.SyncWith(ctx, src, directory.SyncOptions{Full: full, Progress: progress})
	if err != nil {
		return st, fmt.Errorf("sync: %w", err)
	}
	return st, nil
}

func cmdSync(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("sync")
	full := fs.Bool("full", false, "re-read everything, not only what changed")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("sync: unexpected argument %q", pos[0])
	}
	p, cfg, log, err := home.Setup()
	if err != nil {
		return err
	}
	dir, err := home.OpenDirectory(ctx, p, cfg, home.ModeFor(cfg, false), log)
	if err != nil {
		return err
	}
	defer dir.Close()
	st, err := syncOnce(ctx, p, cfg, dir, *full, func(p directory.Progress) { fmt.Fprintf(os.Stderr, "\r%s   ", p) })
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "synced %d contacts and %d matters in %s\n", st.Contacts, st.Matters, st.Duration.Round(time.Millisecond))
	return nil
}

// parseDuration accepts "252", "4m12s" and "4:12" / "1:04:12".
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return 0, errors.New("duration must not be negative")
		}
		return time.Duration(n) * time.Second, nil
	}
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, fmt.Errorf("duration %q: want h:mm:ss, m:ss, seconds or 4m12s", s)
		}
		var total int64
		for _, p := range parts {
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil || n < 0 {
				return 0, fmt.Errorf("duration %q: want h:mm:ss, m:ss, seconds or 4m12s", s)
			}
			total = total*60 + n
		}
		return time.Duration(total) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: want h:mm:ss, m:ss, seconds or 4m12s", s)
	}
	if d < 0 {
		return 0, errors.New("duration must not be negative")
	}
	return d, nil
}

func cmdLog(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("log")
	number := fs.String("number", "", "the remote number")
	name := fs.String("name", "", "who the call was with")
	durS := fs.String("duration", "", "call duration: seconds, 4m12s or 4:12")
	matter := fs.Int64("matter", 0, "Clio matter id")
	contact := fs.Int64("contact", 0, "Clio contact id (default: the directory's best match)")
	billable := fs.Bool("billable", false, "log as billable")
	nonBillable := fs.Bool("non-billable", false, "log as non-billable (the default)")
	note := fs.String("note", "", "a note for the time entry")
	at := fs.String("at", "", "when the call started, RFC 3339 (default: now minus the duration)")
	direction := fs.String("direction", "in", "in or out")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("log: unexpected argument %q", pos[0])
	}
	if *number == "" {
		return usagef("log: --number is required")
	}
	if *durS == "" {
		return usagef("log: --duration is required")
	}
	if *billable && *nonBillable {
		return usagef("log: --billable and --non-billable contradict each other")
	}
	dur, err := parseDuration(*durS)
	if err != nil {
		return usagef("log: %v", err)
	}
	dir, err := tapi.ParseDirection(*direction)
	if err != nil {
		return usagef("log: %v", err)
	}
	started := time.Now().Add(-dur)
	if *at != "" {
		started, err = time.Parse(time.RFC3339, *at)
		if err != nil {
			return usagef("log: --at %q is not an RFC 3339 time (e.g. 2026-05-04T14:03:00-04:00)", *at)
		}
	}
	core, closeAll, p, err := openCLICore(ctx)
	if err != nil {
		return err
	}
	defer closeAll()
	r, err := core.Log(ctx, calls.Entry{Number: strings.TrimSpace(*number), Name: *name, Direction: string(dir),
		At: started, Duration: dur, ContactID: *contact, MatterID: *matter, Billable: *billable, Note: *note, Source: "cli"})
	if err != nil {
		return fmt.Errorf("log: %w", err)
	}
	fmt.Fprintf(stdout, "queued #%d (%s)\n", r.OutboxID, r.EventID)
	// Wake the running app's flusher, if any; `calldocket flush` also delivers.
	tellRunning(ctx, p, r.ID)
	return nil
}

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

func cmdQueue(ctx context.Context, args []string, stdout io.Writer) error {
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
		if len(pos) != 0 {
			return usagef("queue list: unexpected argument %q", pos[0])
		}
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
	case "retry", "discard":
		if len(pos) != 1 {
			return usagef("queue %s: want exactly one item ID", sub)
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id <= 0 {
			return usagef("queue %s: %q is not an item ID", sub, pos[0])
		}
		if sub == "retry" {
			if err := ob.Requeue(ctx, id); err != nil {
				return fmt.Errorf("queue retry %d: %w", id, err)
			}
			fmt.Fprintf(stdout, "#%d is back in line; run 'calldocket flush' or wait for the app\n", id)
			return nil
		}
		if err := ob.Discard(ctx, id); err != nil {
			return fmt.Errorf("queue discard %d: %w", id, err)
		}
		fmt.Fprintf(stdout, "#%d discarded; it will not be sent to Clio\n", id)
		return nil
	}
	return usagef("queue: unknown subcommand %q (list, retry, discard)", sub)
}

func cmdFlush(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("flush")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("flush: unexpected argument %q", pos[0])
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
		return &exitError{code: exitFail, msg: "some items are not delivered yet; see 'calldocket queue'"}
	}
	return nil
}

func cmdStatus(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("status")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("status: unexpected argument %q", pos[0])
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
		core, closeAll, _, err := openCLICore(ctx)
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
	fmt.Fprintf(stdout, "Data folder: %s\n", p.Data)
	return nil
}
