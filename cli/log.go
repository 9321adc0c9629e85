package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/tapi"
)

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

// Log is `calldocket log --number N --duration D …`: a confirmed call log,
// queued without the UI.
func Log(ctx context.Context, args []string, stdout io.Writer) error {
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
		return Usagef("log: unexpected argument %q", pos[0])
	}
	if *number == "" {
		return Usagef("log: --number is required")
	}
	if *durS == "" {
		return Usagef("log: --duration is required")
	}
	if *billable && *nonBillable {
		return Usagef("log: --billable and --non-billable contradict each other")
	}
	dur, err := parseDuration(*durS)
	if err != nil {
		return Usagef("log: %v", err)
	}
	dir, err := tapi.ParseDirection(*direction)
	if err != nil {
		return Usagef("log: %v", err)
	}
	started := time.Now().Add(-dur)
	if *at != "" {
		started, err = time.Parse(time.RFC3339, *at)
		if err != nil {
			return Usagef("log: --at %q is not an RFC 3339 time (e.g. 2026-05-04T14:03:00-04:00)", *at)
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
