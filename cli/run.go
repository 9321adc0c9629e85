package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/calldocket/calldocket/phone"
)

// TrayArgs reports whether args start the tray app rather than a command:
// no arguments, or --sandbox alone (then sandbox is true).
func TrayArgs(args []string) (tray, sandbox bool) {
	switch {
	case len(args) == 0:
		return true, false
	case len(args) == 1 && isSandboxFlag(args[0]):
		return true, true
	}
	return false, false
}

func isSandboxFlag(s string) bool { return s == "--sandbox" || s == "-sandbox" }

// Run runs the command args name (the words after the program name; see
// Usage), writing its output to stdout and notices to stderr; version is
// what `calldocket version` prints. The tray app is app's to run (see
// TrayArgs): Run refuses its arguments. Bad command lines are
// *UsageErrors.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, version string) error {
	if tray, _ := TrayArgs(args); tray {
		return Usagef("no command given (run 'calldocket' alone to start the tray app)")
	}
	cmd, rest := args[0], args[1:]
	noArgs := func() error {
		if len(rest) > 0 {
			return Usagef("%s takes no arguments, not %s", cmd, show(rest[0]))
		}
		return nil
	}
	switch cmd {
	case "--sandbox", "-sandbox":
		return Usagef("--sandbox takes no further arguments, not %s", show(rest[0]))
	case "help", "-h", "--help", "-help":
		if err := noArgs(); err != nil {
			return err
		}
		_, err := fmt.Fprint(stdout, Usage)
		return err
	case "version", "--version":
		if err := noArgs(); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "calldocket %s\n", version)
		return err
	case "event":
		return Event(ctx, rest, stdout)
	case "lookup":
		return Lookup(ctx, rest, stdout, stderr)
	case "sync":
		return Sync(ctx, rest, stdout)
	case "log":
		return Log(ctx, rest, stdout)
	case "calls":
		return Calls(ctx, rest, stdout)
	case "settings":
		return Settings(ctx, rest, stdout)
	case "queue":
		return Queue(ctx, rest, stdout)
	case "flush":
		return Flush(ctx, rest, stdout)
	case "status":
		return Status(ctx, rest, stdout)
	case "monitor":
		return Monitor(ctx, rest, stdout, stderr)
	case "login":
		return Login(ctx, rest, stdout, stderr)
	case "logout":
		return Logout(ctx, rest, stdout)
	}
	return runBare(ctx, cmd, rest, stdout)
}

// runBare handles what a softphone or the desktop passes as the only
// argument: a calldocket:// URL, a SIP, tel or callto URI, or a bare
// number; each means 'event ringing --number N'.
func runBare(ctx context.Context, arg string, rest []string, stdout io.Writer) error {
	if hasScheme(arg, "calldocket:") {
		if len(rest) > 0 {
			return Usagef("a calldocket:// URL takes no further arguments, not %s", show(rest[0]))
		}
		return EventURL(ctx, arg, stdout)
	}
	if n, ok := phone.FromURI(arg); ok || looksLikeURI(arg) {
		if len(rest) > 0 {
			return Usagef("a call URI takes no further arguments, not %s", show(rest[0]))
		}
		if !ok {
			return Usagef("%s has no number in it; a call URI looks like sip:+12125550123@pbx or tel:+1-212-555-0123", show(arg))
		}
		if err := checkNumber("call URI "+show(arg), "number", n, true); err != nil {
			return err
		}
		return Event(ctx, []string{"ringing", "--number", n}, stdout)
	}
	if LooksLikeNumber(arg) {
		if len(rest) > 0 {
			return Usagef("a bare number takes no further arguments, not %s", show(rest[0]))
		}
		return Event(ctx, []string{"ringing", "--number", arg}, stdout)
	}
	return Usagef("unknown command %s", show(arg))
}

// looksLikeURI reports whether s is meant as a sip:, sips:, tel: or
// callto: URI, possibly with a display name, though FromURI found no
// number in it.
func looksLikeURI(s string) bool {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		s = s[i+1:]
	}
	for _, p := range []string{"sip:", "sips:", "tel:", "callto:"} {
		if hasScheme(s, p) {
			return true
		}
	}
	return false
}

func hasScheme(s, scheme string) bool {
	return len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme)
}
