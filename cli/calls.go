package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/ipc"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/settings"
)

// callJSON is the stable `calls --json` shape.
type callJSON struct {
	ID                  int64      `json:"id"`
	Kind                string     `json:"kind"`
	State               string     `json:"state"`
	Number              string     `json:"number"`
	E164                string     `json:"e164"`
	Direction           string     `json:"direction"`
	StartedAt           time.Time  `json:"started_at"`
	EndedAt             *time.Time `json:"ended_at"`
	DurationS           *int64     `json:"duration_s"` // null when unknown
	ContactID           int64      `json:"contact_id"`
	MatterID            int64      `json:"matter_id"`
	Billable            bool       `json:"billable"`
	Note                string     `json:"note"`
	Reason              string     `json:"reason"`
	OutboxID            int64      `json:"outbox_id"`
	ClioCommunicationID int64      `json:"clio_communication_id"`
}

func toCallJSON(r calls.Record) callJSON {
	j := callJSON{ID: r.ID, Kind: string(r.Kind), State: string(r.State), Number: r.Number, E164: r.E164,
		Direction: r.Direction, StartedAt: r.StartedAt, ContactID: r.ContactID, MatterID: r.MatterID,
		Billable: r.Billable, Note: r.Note, Reason: r.Reason, OutboxID: r.OutboxID,
		ClioCommunicationID: r.CommunicationID}
	if !r.EndedAt.IsZero() {
		t := r.EndedAt
		j.EndedAt = &t
	}
	if r.DurationKnown {
		d := r.DurationS
		j.DurationS = &d
	}
	return j
}

// openCLICore opens the call ledger for a command: the same rules as the
// tray app, without starting anything (the tray app may be running).
// lenient goes on despite bad values in the settings file (setupLenient).
func openCLICore(ctx context.Context, lenient bool) (*calls.Core, func(), home.Paths, error) {
	var p home.Paths
	var cfg settings.Settings
	var log *slog.Logger
	var err error
	if lenient {
		p, cfg, log, _, err = setupLenient()
	} else {
		p, cfg, log, err = home.Setup()
	}
	if err != nil {
		return nil, nil, p, err
	}
	core, led, ob, dir, err := home.OpenCore(ctx, p, settings.NewStore("", cfg), home.ModeFor(cfg, false), log, calls.Options{}, false)
	if err != nil {
		return nil, nil, p, err
	}
	return core, func() { led.Close(); ob.Close(); dir.Close() }, p, nil
}

// Calls is `calldocket calls [list|decide|later|discard|undo]`.
func Calls(ctx context.Context, args []string, stdout io.Writer) error {
	sub := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "list":
		return callsList(ctx, args, stdout)
	case "decide", "later", "discard", "undo":
		return callsAct(ctx, sub, args, stdout)
	}
	return Usagef("calls: unknown subcommand %s (list, decide, later, discard or undo)", show(sub))
}

func callsList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("calls")
	asJSON := fs.Bool("json", false, "print JSON")
	since := fs.String("since", "", "only calls started this long ago or later, e.g. 24h or 7d")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return Usagef("calls: unexpected argument %s", show(pos[0]))
	}
	var from time.Time
	if *since != "" {
		d, err := parseSince(*since)
		if err != nil {
			return Usagef("calls: --since %s: %v", show(*since), err)
		}
		from = time.Now().Add(-d)
	}
	core, closeAll, _, err := openCLICore(ctx, false)
	if err != nil {
		return err
	}
	defer closeAll()
	if err := core.Reconcile(ctx); err != nil {
		return fmt.Errorf("calls: %w", err)
	}
	rs, err := core.Ledger().List(ctx, calls.ListOptions{Since: from})
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]callJSON, 0, len(rs))
		for _, r := range rs {
			out = append(out, toCallJSON(r))
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(rs) == 0 {
		fmt.Fprintln(stdout, "No calls.")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN\tKIND\tSTATE\tNUMBER\tDURATION\tBILLABLE\tREASON")
	for _, r := range rs {
		dur := "unknown"
		if r.DurationKnown {
			dur = r.Duration().String()
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%v\t%s\n", r.ID, r.StartedAt.Local().Format("2006-01-02 15:04"),
			r.Kind, r.State, phone.Mask(r.RemoteNumber()), dur, r.Billable, r.Reason)
	}
	return tw.Flush()
}

// maxSince bounds --since: ten years covers every call the ledger holds.
const maxSince = 3650 * 24 * time.Hour

// parseSince reads 90m, 24h or 7d, up to ten years.
func parseSince(s string) (time.Duration, error) {
	want := errors.New("want a duration like 24h or 7d")
	tooLong := errors.New("want at most 3650d (ten years)")
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if !allDigits(n) {
			return 0, want
		}
		days, err := strconv.Atoi(n)
		if err != nil || days > int(maxSince/(24*time.Hour)) {
			return 0, tooLong
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil && goDuration.MatchString(s) {
		return 0, tooLong
	}
	if err != nil || d < 0 {
		return 0, want
	}
	if d > maxSince {
		return 0, tooLong
	}
	return d, nil
}

func callsAct(ctx context.Context, sub string, args []string, stdout io.Writer) error {
	fs := newFlagSet("calls " + sub)
	billable := fs.Bool("billable", false, "log as billable")
	nonBillable := fs.Bool("non-billable", false, "log as non-billable")
	matter := fs.Int64("matter", 0, "Clio matter id")
	note := fs.String("note", "", "a note")
	durS := fs.String("duration", "", "the call's duration, when CallDocket never saw it end: seconds, 4m12s or 4:12")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("calls %s: want exactly one call ID (see 'calldocket calls')", sub)
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return Usagef("calls %s: %s is not a call ID (a positive number from 'calldocket calls')", sub, show(pos[0]))
	}
	var d calls.Decision
	if sub == "decide" {
		if *billable == *nonBillable {
			return Usagef("calls decide: give exactly one of --billable or --non-billable")
		}
		if err := checkID("calls decide", "--matter", *matter); err != nil {
			return err
		}
		if err := checkText("calls decide", "--note", *note, maxNoteLen, true); err != nil {
			return err
		}
		d = calls.Decision{Billable: *billable, MatterID: *matter, Note: *note, KeepMatter: *matter == 0}
		if *durS != "" {
			dur, err := parseDuration(*durS)
			if err != nil {
				return Usagef("calls decide: --duration: %v", err)
			}
			d.Duration = &dur
		}
	} else if *billable || *nonBillable || *matter != 0 || *note != "" || *durS != "" {
		return Usagef("calls %s takes only a call ID", sub)
	}
	core, closeAll, p, err := openCLICore(ctx, false)
	if err != nil {
		return err
	}
	defer closeAll()
	var r calls.Record
	switch sub {
	case "decide":
		r, err = core.Decide(ctx, id, d)
	case "later":
		r, err = core.Later(ctx, id, "moved to Review from the command line")
	case "discard":
		r, err = core.Discard(ctx, id, "discarded from the command line")
	case "undo":
		r, err = core.Undo(ctx, id)
	}
	var te *calls.TransitionError
	switch {
	case errors.As(err, &te):
		return Usagef("%v", te) // "call 3 is delivered and cannot be decided"
	case errors.Is(err, calls.ErrNotFound):
		return Usagef("calls %s: no call %d (see 'calldocket calls')", sub, id)
	case errors.Is(err, calls.ErrDurationUnknown):
		return Usagef("calls %s: call %d: %v with --duration", sub, id, err)
	case errors.Is(err, calls.ErrInvalid):
		return Usagef("calls %s: %v", sub, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "call %d is %s\n", r.ID, r.State)
	tellRunning(ctx, p, r.ID)
	return nil
}

// tellRunning lets the running tray app show a change made on the command
// line (and deliver what was queued).
func tellRunning(ctx context.Context, p home.Paths, id int64) {
	if e, err := ipc.FindRunning(ctx, p.Endpoint()); err == nil {
		_ = ipc.Call(ctx, e, http.MethodPost, ipc.PathCallsChanged, ipc.CallsChanged{ID: id}, nil)
	}
}
