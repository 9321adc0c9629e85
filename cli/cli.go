package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/calldocket/calldocket/settings"
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
  calldocket event STATE --number N [--name NAME] [--id CALLID] [--direction in|out] [--reason rejected]
                 [--no-start]         hand a call event to the running app; STATE is ringing, answered or ended.
                                      When the app is not running, the event is recorded and the app started
  calldocket N                        a bare number means 'event ringing --number N'; so does a
                                      sip:, sips:, tel: or callto: URI (its user part is the number)
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
  calldocket monitor [--json] [--all] [--ami HOST:PORT --ami-user U --ami-pass P --extension E]
                     [--sip-server HOST:PORT --sip-aor URI [--sip-user U --sip-pass P] [--sip-transport udp|tcp|tls]]
                     [--expires SECONDS]  SIP subscription lifetime, 60 to 86400 (default sip.expires_seconds, 600)
                     [--ami-auth auto|md5|plain] [--ami-tls [--ami-ca-file F]]
                                      print call events live from the given sources; --all also
                                      prints internal calls (numbers under min_digits), marked internal
  calldocket event sms --number N --text T [--direction in|out]
                                      log a text message (a Communication, no time entry)
  calldocket login [--region us|eu|ca|au] [--client-id ID] [--client-secret S] [--port 53682]
                                      connect to Clio in the browser; tokens go to the OS keychain
  calldocket logout                   revoke CallDocket's access and delete the tokens
  calldocket version

Values: a number is a phone number or an extension (at most 32 characters and 15 digits);
a duration is seconds, m:ss, h:mm:ss or 4m12s, at most 24 hours; --at is within the past year;
IDs are positive. A bad command line or a bad value in config.json exits 2 and stores nothing.

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
// for nil, 2 for a *UsageError or a bad value in the settings file
// (*settings.FileError), an *ExitError's own code, else 1.
func Exit(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
	fmt.Fprintf(stderr, "calldocket: %s\n", msg)
	var ue *UsageError
	var ce *ExitError
	var fe *settings.FileError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "Run 'calldocket help' for usage.")
		return ExitUsage
	case errors.As(err, &fe):
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

// parseArgs parses flags that may come before or after positional
// arguments. A negative number ("-1") is a positional argument unless it
// is the value of the flag before it ("--matter -7"), so that
// 'calls decide -1' and 'settings set min_digits -5' reach the checks
// that explain what is wrong with them.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if negativeNumber(args[0]) {
			pos, args = append(pos, args[0]), args[1:]
			continue
		}
		cut := nextNegative(fs, args)
		if err := fs.Parse(args[:cut]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, Usagef("%s: see 'calldocket help'", fs.Name())
			}
			return nil, Usagef("%s: %v", fs.Name(), err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			args = args[cut:]
			continue
		}
		pos = append(pos, rest[0])
		args = append(append([]string{}, rest[1:]...), args[cut:]...)
	}
	return pos, nil
}

// nextNegative is the index of the first negative number in args that is
// not a flag's value, or len(args).
func nextNegative(fs *flag.FlagSet, args []string) int {
	for i, a := range args {
		if a == "--" {
			break
		}
		if negativeNumber(a) && (i == 0 || !takesValue(fs, args[i-1])) {
			return i
		}
	}
	return len(args)
}

// takesValue reports whether tok is a flag of fs that takes the next
// word as its value ("--matter", not "--billable" or "--matter=7").
func takesValue(fs *flag.FlagSet, tok string) bool {
	name, ok := strings.CutPrefix(tok, "-")
	if !ok || strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimPrefix(name, "-"))
	if f == nil {
		return false
	}
	b, isBool := f.Value.(interface{ IsBoolFlag() bool })
	return !isBool || !b.IsBoolFlag()
}

func negativeNumber(s string) bool {
	return len(s) > 1 && s[0] == '-' && allDigits(s[1:])
}
