package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/internal/sqlitefile"
	"github.com/calldocket/calldocket/ipc"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/hook"
)

// Event is `calldocket event STATE --number N …` (and `event sms`): it hands
// the event to the running app, or, when none runs, records it in the
// ledger itself and starts the app (unless --no-start).
func Event(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("event")
	var r hook.Request
	fs.StringVar(&r.Number, "number", "", "the remote number")
	fs.StringVar(&r.Name, "name", "", "caller-ID name")
	fs.StringVar(&r.ID, "id", "", "the call's id at its source")
	fs.StringVar(&r.Direction, "direction", "in", "in or out")
	fs.StringVar(&r.Text, "text", "", "the message text (event sms)")
	fs.StringVar(&r.Reason, "reason", "", "why the call ended, with ended: rejected (or declined) when it was declined at the phone")
	noStart := fs.Bool("no-start", false, "when CallDocket is not running, record the event without starting it")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("event: want exactly one STATE (ringing, answered, ended or sms)")
	}
	if err := checkRequest("event", "--", r, pos[0] == hook.KindSMS); err != nil {
		return err
	}
	if pos[0] == hook.KindSMS {
		if r.Reason != "" {
			return Usagef("event sms: --reason goes with 'event ended'")
		}
		r.Kind = hook.KindSMS
		m, err := r.SMS(time.Now())
		if err != nil {
			return Usagef("event sms: %v", err)
		}
		err = postEvent(ctx, r, stdout)
		if smsFallBack(err, m) {
			// A text message needs no window: queue it here.
			return enqueueSMS(ctx, m, stdout)
		}
		return err
	}
	if r.Text != "" {
		return Usagef("event: --text goes with 'event sms'")
	}

	r.State = pos[0]
	ev, err := r.Event(time.Now())
	if err != nil {
		return Usagef("event: %v", err)
	}
	err = postEvent(ctx, r, stdout)
	if fallBack(err) {
		return recordOffline(ctx, r, ev, *noStart, stdout)
	}
	return err
}

// EventURL is the calldocket://call?… form of Event.
func EventURL(ctx context.Context, raw string, stdout io.Writer) error {
	r, err := hook.ParseURL(raw)
	if err != nil {
		return Usagef("call URL: %v", err)
	}
	if err := checkRequest("call URL", "", r, r.IsSMS()); err != nil {
		return err
	}
	if r.IsSMS() {
		m, err := r.SMS(time.Now())
		if err != nil {
			return Usagef("call URL: %v", err)
		}
		err = postEvent(ctx, r, stdout)
		if smsFallBack(err, m) {
			return enqueueSMS(ctx, m, stdout)
		}
		return err
	}
	ev, err := r.Event(time.Now())
	if err != nil {
		return Usagef("call URL: %v", err)
	}
	err = postEvent(ctx, r, stdout)
	if fallBack(err) {
		return recordOffline(ctx, r, ev, false, stdout)
	}
	return err
}

// checkRequest refuses a number (the flag --number, or the URL's number
// with dashes "") that is neither a phone number nor an
// extension (a withheld caller, "anonymous", is a number a softphone may
// report), and names that are too long or hold control characters. The
// other fields are hook.Request's to check.
func checkRequest(cmd, dashes string, r hook.Request, sms bool) error {
	if r.Number != "" {
		if err := checkNumber(cmd, dashes+"number", r.Number, !sms); err != nil {
			return err
		}
	}
	return checkText(cmd, dashes+"name", r.Name, hook.MaxNameLen, false)
}

// fallBack reports whether a call event the running app did not take is
// recorded here instead: the app is not running, died during the request,
// or could not record it. A refused event (bad input, wrong secret) is not:
// its error is the answer. Recording twice is harmless: the ledger keeps
// one call per call id, and a repeated ringing by number is dropped.
func fallBack(err error) bool {
	var rej *hook.RejectedError
	return err != nil && !errors.As(err, &rej) && !errors.Is(err, hook.ErrSecretRefused)
}

// smsFallBack is fallBack for a text message: only when the app is not
// running, or the message has an id that makes a second recording a
// repeat (a message without one could be logged twice).
func smsFallBack(err error, m tapi.Message) bool {
	return errors.Is(err, ipc.ErrNotRunning) || (m.ID != "" && fallBack(err))
}

func postEvent(ctx context.Context, r hook.Request, stdout io.Writer) error {
	p, _, _, _, err := setupLenient()
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
	core, closeAll, _, err := openCLICore(ctx, true)
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

// recordOffline writes a call event into the ledger while the tray app is
// not running (same rules, same dedupe as the app), then starts the app
// unless noStart, so the call is on screen or in Review when it is up.
//
// When the ledger or the outbox is damaged the command line cannot record
// the call (it never sets a file aside: the tray app owns them). Then it
// starts the app, which sets the damaged file aside and opens a new one,
// and hands it the event, so the ring is not lost.
func recordOffline(ctx context.Context, r hook.Request, ev tapi.Event, noStart bool, stdout io.Writer) error {
	core, closeAll, _, err := openCLICore(ctx, true)
	if errors.Is(err, sqlitefile.ErrDamaged) && !noStart {
		return handToNewApp(ctx, r, err, stdout)
	}
	if err != nil {
		return err
	}
	_, err = core.Load(ctx)
	if err == nil {
		var r calls.Record
		var changed bool
		r, changed, err = core.HandleEvent(ctx, ev)
		if err == nil && changed {
			fmt.Fprintf(stdout, "CallDocket is not running: call %d recorded (%s)\n", r.ID, r.State)
		} else if err == nil {
			fmt.Fprintln(stdout, "CallDocket is not running: nothing new in this event (a repeat or an internal call)")
		}
	}
	closeAll()
	if err != nil {
		return fmt.Errorf("record the call: %w", err)
	}
	if noStart {
		return nil
	}
	if err := startApp(ctx); err != nil {
		fmt.Fprintf(stdout, "could not start CallDocket (%v); the call waits in Review for the next start\n", err)
	}
	return nil
}

// handToNewAppWithin bounds how long a hook waits for the app it started
// to take the event over.
const handToNewAppWithin = 30 * time.Second

// handToNewApp starts the tray app and posts r to it once it answers.
// damaged is the error that kept the command line from recording r.
func handToNewApp(ctx context.Context, r hook.Request, damaged error, stdout io.Writer) error {
	if err := startApp(ctx); err != nil {
		return fmt.Errorf("record the call: %w; and CallDocket could not be started to repair it: %v", damaged, err)
	}
	ctx, cancel := context.WithTimeout(ctx, handToNewAppWithin)
	defer cancel()
	for {
		err := postEvent(ctx, r, stdout)
		if err == nil || !fallBack(err) {
			if err == nil {
				fmt.Fprintln(stdout, "CallDocket was started to repair a damaged file; the call went to it")
			}
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("record the call: %w; CallDocket was started to repair it but did not take the call within %v",
				damaged, handToNewAppWithin)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
