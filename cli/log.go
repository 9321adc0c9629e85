package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/tapi"
)

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
		return Usagef("log: unexpected argument %s", show(pos[0]))
	}
	if *number == "" {
		return Usagef("log: --number is required")
	}
	if err := checkNumber("log", "--number", *number, false); err != nil {
		return err
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
	if err := checkID("log", "--matter", *matter); err != nil {
		return err
	}
	if err := checkID("log", "--contact", *contact); err != nil {
		return err
	}
	if err := checkText("log", "--name", *name, maxNameLen, false); err != nil {
		return err
	}
	if err := checkText("log", "--note", *note, maxNoteLen, true); err != nil {
		return err
	}
	dir, err := tapi.ParseDirection(*direction)
	if err != nil {
		return Usagef("log: %v", err)
	}
	now := time.Now()
	started := now.Add(-dur)
	if *at != "" {
		if started, err = parseAt("log", *at, now); err != nil {
			return err
		}
	}
	core, closeAll, p, err := openCLICore(ctx, false)
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
