package cli

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/calldocket/calldocket/phone"
)

// MaxCallDuration is the longest call a command accepts: a call of more
// than a day is a typing mistake.
const MaxCallDuration = 24 * time.Hour

// maxAtAge is how far from now --at may be: a call log is for a call of
// the past year (and not of the future).
const maxAtAge = 365 * 24 * time.Hour

// atSlack tolerates a clock or time-zone slip for an --at in the future.
const atSlack = 24 * time.Hour

// maxShown is how many characters of a bad value a message repeats.
const maxShown = 40

// show quotes a value typed on the command line for a one-line message:
// control characters escaped, and a long value cut after maxShown
// characters with its length said.
func show(s string) string {
	if utf8.RuneCountInString(s) <= maxShown {
		return strconv.Quote(s)
	}
	r := []rune(s)
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(string(r[:maxShown/2])), len(r))
}

// checkNumber refuses a --number that is neither a phone number nor an
// extension (phone.Check); withheld numbers ("anonymous") pass only when
// withheldOK, for a call event reporting a hidden caller.
func checkNumber(cmd, flag, number string, withheldOK bool) error {
	err := phone.Check(number, "")
	var pe *phone.Error
	switch {
	case err == nil:
		return nil
	case withheldOK && errors.As(err, &pe) && pe.Reason == phone.ReasonWithheld:
		return nil
	case errors.As(err, &pe) && pe.Reason == phone.ReasonEmpty:
		return Usagef("%s: %s is empty; give a phone number like +12125550123 or an extension like 201", cmd, flag)
	case errors.As(err, &pe) && pe.Reason == phone.ReasonTooLong:
		return Usagef("%s: %s %s is too long for a phone number (at most %d characters and 15 digits)",
			cmd, flag, show(number), phone.MaxNumberLen)
	}
	return Usagef("%s: %s %s is not a phone number or an extension; give one like +12125550123 or 201", cmd, flag, show(number))
}

// checkHostPort refuses a HOST:PORT flag value a connection could never use.
func checkHostPort(cmd, flag, v string) error {
	host, port, err := net.SplitHostPort(strings.TrimSpace(v))
	if err != nil || host == "" || strings.ContainsAny(host, " /") {
		return Usagef("%s: %s %s is not HOST:PORT; give one like pbx.example.com:5038", cmd, flag, show(v))
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return Usagef("%s: %s %s: the port must be a number from 1 to 65535", cmd, flag, show(v))
	}
	return nil
}

// checkID refuses a negative Clio ID flag (0 means none).
func checkID(cmd, flag string, id int64) error {
	if id < 0 {
		return Usagef("%s: %s %d is not a Clio ID; give a positive number (or leave it out)", cmd, flag, id)
	}
	return nil
}

// parseAt reads --at: an RFC 3339 time within the past year, not in the
// future (beyond a day's slip).
func parseAt(cmd, v string, now time.Time) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, Usagef("%s: --at %s is not an RFC 3339 time (e.g. 2026-05-04T14:03:00-04:00)", cmd, show(v))
	}
	if t.Before(now.Add(-maxAtAge)) || t.After(now.Add(atSlack)) {
		return time.Time{}, Usagef("%s: --at %s is not within the past year; give when the call started", cmd, show(v))
	}
	return t, nil
}

// badDuration is parseDuration's error.
func badDuration(s, why string) error {
	return fmt.Errorf("duration %s: %s", show(s), why)
}

const durationForms = "write seconds, m:ss, h:mm:ss or 4m12s"

// parseDuration accepts "252", "4m12s" and "4:12" / "1:04:12" (minutes
// and seconds after the first part from 0 to 59), from 0 to
// MaxCallDuration.
func parseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, badDuration(s, "empty; "+durationForms)
	}
	if strings.HasPrefix(t, "-") {
		return 0, badDuration(s, "must not be negative")
	}
	tooLong := badDuration(s, fmt.Sprintf("a call lasts at most %d hours", int(MaxCallDuration/time.Hour)))
	var d time.Duration
	switch {
	case allDigits(t):
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil || n > int64(MaxCallDuration/time.Second) {
			return 0, tooLong
		}
		d = time.Duration(n) * time.Second
	case strings.Contains(t, ":"):
		parts := strings.Split(t, ":")
		if len(parts) > 3 {
			return 0, badDuration(s, durationForms)
		}
		var total int64
		for i, p := range parts {
			if !allDigits(p) {
				return 0, badDuration(s, durationForms)
			}
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil || n > int64(MaxCallDuration/time.Second) {
				return 0, tooLong
			}
			if i > 0 && n > 59 {
				return 0, badDuration(s, "minutes and seconds go from 0 to 59; "+durationForms)
			}
			total = total*60 + n
			if total > int64(MaxCallDuration/time.Second) {
				return 0, tooLong
			}
		}
		d = time.Duration(total) * time.Second
	default:
		var err error
		d, err = time.ParseDuration(t)
		if err != nil && goDuration.MatchString(t) {
			return 0, tooLong // well formed, too large for time.Duration
		}
		if err != nil {
			return 0, badDuration(s, durationForms)
		}
		if d < 0 {
			return 0, badDuration(s, "must not be negative")
		}
	}
	if d > MaxCallDuration {
		return 0, tooLong
	}
	return d, nil
}

// goDuration is the syntax time.ParseDuration reads (without a sign).
var goDuration = regexp.MustCompile(`^([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+$`)

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Text flag limits, in characters (a note as calls.AddNote allows).
const (
	maxNameLen = 128
	maxNoteLen = 4000
)

// checkText refuses a text flag that is too long, not UTF-8, or holds
// control characters (line breaks and tabs only when multiline).
func checkText(cmd, flag, v string, max int, multiline bool) error {
	if !utf8.ValidString(v) {
		return Usagef("%s: %s is not valid UTF-8", cmd, flag)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return Usagef("%s: %s is too long (%d characters, at most %d)", cmd, flag, n, max)
	}
	for _, r := range v {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return Usagef("%s: %s %s contains a control character", cmd, flag, show(v))
		}
	}
	return nil
}
