package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Version is set at build time with -ldflags "-X github.com/calldocket/calldocket/app.Version=…".
var Version = "0.1.0-dev"

// exit codes
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError marks a bad command line; it exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

const usageText = `Usage:
  calldocket [--sandbox]              run the tray app (the default); --sandbox forces Sandbox mode
  calldocket event STATE --number N [--name NAME] [--id CALLID] [--direction in|out]
                 [--no-start]         hand a call event to the running app; STATE is ringing, answered or ended.
                                      When the app is not running, the event is recorded and the app started
  calldocket N                        a bare number means 'event ringing --number N'
  calldocket calldocket://call?...    the URL-scheme form of 'event'
  calldocket lookup N [--json]        who is calling, answered from the local directory
  calldocket sync [--full]            refresh the local directory from Clio now
  calldocket log --number N --duration D [--matter ID] [--billable|--non-billable] [--note T]
                 [--at RFC3339] [--direction in|out] [--name NAME] [--contact ID]
                                      enqueue a confirmed call log, without the UI
  calldocket calls [--json] [--since 24h]
                                      every call, missed call, SMS and fax, newest first, with its state
  calldocket calls decide ID --billable|--non-billable [--matter ID] [--note T] [--duration D]
  calldocket calls later ID | discard ID | undo ID
                                      decide a call, move it to Review, discard it, or take a discard back
  calldocket settings [--json] | settings keys | settings set KEY VALUE
                                      show or change a setting (e.g. default_billable true); applies at once
  calldocket queue [list] [--json]    what is waiting, delivered or failed, and why
  calldocket queue retry ID           put a failed item back in line
  calldocket queue discard ID         remove an item that must not be delivered
  calldocket flush                    deliver queued items now
  calldocket status [--json]
  calldocket monitor [--json] [--ami HOST:PORT --ami-user U --ami-pass P --extension E]
                     [--sip-server HOST:PORT --sip-aor URI [--sip-user U --sip-pass P] [--sip-transport udp|tcp|tls]]
                                      print call events live from the given sources
  calldocket event sms --number N --text T [--direction in|out]
                                      log a text message (a Communication, no time entry)
  calldocket login [--region us|eu|ca|au] [--client-id ID] [--client-secret S] [--port 53682]
                                      connect to Clio in the browser; tokens go to the OS keychain
  calldocket logout                   revoke CallDocket's access and delete the tokens
  calldocket version

Environment:
  CALLDOCKET_HOME        keep all settings and data under this folder
  CALLDOCKET_CLIO_URL    Clio's base URL (API under /api/v4), e.g. https://eu.app.clio.com
  CALLDOCKET_CLIO_TOKEN  an access token to use directly (scripts and CI)
  CALLDOCKET_CLIO_CLIENT_ID, CALLDOCKET_CLIO_CLIENT_SECRET
                         the firm's Clio developer application, for 'login'
  CALLDOCKET_LOG         debug|info|warn (default info)
`

// Run runs CallDocket with the command-line arguments (without the program
// name) and returns the process exit code.
func Run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := dispatch(ctx, args, os.Stdout, os.Stderr)
	if errors.Is(err, errRestart) {
		err = respawn(ctx)
	}
	if err == nil {
		return exitOK
	}
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	fmt.Fprintf(os.Stderr, "calldocket: %s\n", msg)
	var ue *usageError
	var ce *exitError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "Run 'calldocket help' for usage.")
		return exitUsage
	case errors.As(err, &ce):
		return ce.code
	}
	return exitFail
}

// exitError carries a specific exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return runTray(ctx, false)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "--sandbox", "-sandbox":
		if len(rest) > 0 {
			return usagef("--sandbox takes no further arguments")
		}
		return runTray(ctx, true)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usageText)
		return nil
	case "version", "--version":
		fmt.Fprintf(stdout, "calldocket %s\n", Version)
		return nil
	case "event":
		return cmdEvent(ctx, rest, stdout)
	case "lookup":
		return cmdLookup(ctx, rest, stdout, stderr)
	case "sync":
		return cmdSync(ctx, rest, stdout)
	case "log":
		return cmdLog(ctx, rest, stdout)
	case "calls":
		return cmdCalls(ctx, rest, stdout)
	case "settings":
		return cmdSettings(ctx, rest, stdout)
	case "queue":
		return cmdQueue(ctx, rest, stdout)
	case "flush":
		return cmdFlush(ctx, rest, stdout)
	case "status":
		return cmdStatus(ctx, rest, stdout)
	case "monitor":
		return cmdMonitor(ctx, rest, stdout)
	case "login":
		return cmdLogin(ctx, rest, stdout, stderr)
	case "logout":
		return cmdLogout(ctx, rest, stdout)
	}
	if strings.HasPrefix(cmd, "calldocket:") {
		if len(rest) > 0 {
			return usagef("a calldocket:// URL takes no further arguments")
		}
		return cmdEventURL(ctx, cmd, stdout)
	}
	if looksLikeNumber(cmd) && len(rest) == 0 {
		return cmdEvent(ctx, []string{"ringing", "--number", cmd}, stdout)
	}
	return usagef("unknown command %q", cmd)
}

// looksLikeNumber accepts what softphones pass as the bare caller number.
func looksLikeNumber(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-(). *#", r):
		default:
			return false
		}
	}
	return digits >= 2
}

// newFlagSet makes a flag set that reports errors as usage errors, not output.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseArgs parses flags that may come before or after positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usagef("%s: see 'calldocket help'", fs.Name())
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
