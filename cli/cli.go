package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitFail  = 1 // the command failed
	ExitUsage = 2 // a bad command line
)

// UsageError marks a bad command line; it exits 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef makes a *UsageError.
func Usagef(format string, a ...any) error { return &UsageError{fmt.Sprintf(format, a...)} }

// Usage is what `calldocket help` prints.
const Usage = `Usage:
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
  calldocket settings deskphone-token [new]
                                      the desk phones' action-URL token and URL; new replaces the token
  calldocket queue [list] [--json]    what is waiting, delivered or failed, and why
  calldocket queue retry ID           put a failed item back in line
  calldocket queue discard ID         remove an item that must not be delivered
  calldocket flush                    deliver queued items now
  calldocket status [--json]
  calldocket monitor [--json] [--ami HOST:PORT --ami-user U --ami-pass P --extension E]
                     [--sip-server HOST:PORT --sip-aor URI [--sip-user U --sip-pass P] [--sip-transport udp|tcp|tls]]
                     [--expires SECONDS]  SIP subscription lifetime, 60 to 86400 (default sip.expires_seconds, 600)
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

// ExitError carries a specific exit code.
type ExitError struct {
	Code int
	Msg  string
}

func (e *ExitError) Error() string { return e.Msg }

// Exit reports err on stderr as one line, "calldocket: …" (with a pointer
// to the usage after a *UsageError), and returns the process exit code: 0
// for nil, 2 for a *UsageError, an *ExitError's own code, else 1.
func Exit(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	fmt.Fprintf(stderr, "calldocket: %s\n", msg)
	var ue *UsageError
	var ce *ExitError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "Run 'calldocket help' for usage.")
		return ExitUsage
	case errors.As(err, &ce):
		return ce.Code
	}
	return ExitFail
}

// LooksLikeNumber accepts what softphones pass as the bare caller number:
// `calldocket N` means `calldocket event ringing --number N`.
func LooksLikeNumber(s string) bool {
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
				return nil, Usagef("%s: see 'calldocket help'", fs.Name())
			}
			return nil, Usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
