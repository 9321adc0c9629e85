package ui

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/settings"
)

// Clio regions, as the settings offer them.
var ClioRegions = []string{"US", "EU", "CA", "AU"}

// Call sources, as the settings offer them.
const (
	SourceSandbox   = settings.SourceSandbox
	SourceSIP       = settings.SourceSIP
	SourceAMI       = settings.SourceAMI
	SourceDeskPhone = settings.SourceDeskPhone
	SourceTAPI      = settings.SourceTAPI
)

// Pop timings.
const (
	PopOnRing   = settings.PopOnRing
	PopOnAnswer = settings.PopOnAnswer
)

// Secrets are the passwords the settings form edits. They are never part
// of a settings.Settings: the app keeps them in the OS keychain.
type Secrets struct {
	ClioClientSecret string
	SIPPassword      string
	AMIPassword      string
}

// ApplyForm returns cur with every field the settings form edits taken
// from form, the value its Save handed back. The fields the form does not
// show (the sign-in, pause, redirect port, sync interval, time zone and
// where the firm numbers came from) keep cur's value, so a change made
// while the form was open, such as "Pause pop-ups" from the tray, is not
// undone by saving.
func ApplyForm(cur, form settings.Settings) settings.Settings {
	out := form.Clone()
	out.SignedIn = cur.SignedIn
	out.RedirectPort = cur.RedirectPort
	out.FirmNumbersFromClio = cur.FirmNumbersFromClio
	out.SyncIntervalMinutes = cur.SyncIntervalMinutes
	out.TimeZone = cur.TimeZone
	out.PausePopups = cur.PausePopups
	out.SIP.ExpiresSeconds = cur.SIP.ExpiresSeconds // set with `calldocket settings set`
	out.Normalize()
	return out
}

// Validation errors, explained next to their field.
var (
	ErrRegion       = errors.New("enter a two-letter country code, like US or GB")
	ErrHostPort     = errors.New("enter a host and port, like pbx.example.com:5038")
	ErrHost         = errors.New("enter a host name or address, optionally with :port")
	ErrIncrement    = errors.New("enter a whole number of minutes greater than 0")
	ErrMinDuration  = errors.New("enter a whole number of seconds, 0 or more")
	ErrExtension    = errors.New("enter a number of digits from 0 to 10")
	ErrConfirmDelay = errors.New("enter a whole number of minutes greater than 0")
	ErrReminderTime = errors.New("enter a time of day like 17:30")
	ErrRequired     = errors.New("this field is required")
)

// ValidateRegion checks an ISO 3166 country code phone numbers are read in.
func ValidateRegion(s string) error {
	r := strings.ToUpper(strings.TrimSpace(s))
	if len(r) != 2 || !phone.KnownRegion(r) {
		return ErrRegion
	}
	return nil
}

// ParseNumbers splits a multi-line list of phone numbers (also commas or
// semicolons), skipping blank lines. It fails on the first number that does
// not parse in region, naming it.
func ParseNumbers(text, region string) ([]string, error) {
	var out []string
	for _, raw := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		if _, err := phone.Normalize(raw, region); err != nil {
			return nil, &NumberError{Number: raw}
		}
		out = append(out, raw)
	}
	return out, nil
}

// NumberError is a number ParseNumbers could not read.
type NumberError struct{ Number string }

func (e *NumberError) Error() string {
	return "“" + e.Number + "” is not a phone number; write one number per line, like +1 212 555 0100"
}

// ValidateHostPort checks "host:port" with a port from 1 to 65535.
func ValidateHostPort(s string) error {
	host, port, err := net.SplitHostPort(strings.TrimSpace(s))
	if err != nil || host == "" || strings.ContainsAny(host, " /") {
		return ErrHostPort
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return ErrHostPort
	}
	return nil
}

// ValidateHost checks a host name or address with an optional :port.
func ValidateHost(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " /") {
		return ErrHost
	}
	if strings.Contains(strings.Trim(s, "[]"), ":") && strings.Count(s, ":") == 1 {
		return ValidateHostPort(s)
	}
	if strings.HasPrefix(s, "[") {
		return ValidateHostPort(s)
	}
	return nil
}

// ParseMinutes reads a whole number of minutes greater than 0.
func ParseMinutes(s string) (time.Duration, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 || n > 24*60 {
		return 0, ErrIncrement
	}
	return time.Duration(n) * time.Minute, nil
}

// ParseSeconds reads a whole number of seconds, 0 or more.
func ParseSeconds(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 24*3600 {
		return 0, ErrMinDuration
	}
	return time.Duration(n) * time.Second, nil
}

// ParseExtensionLength reads the extension length: 0 to 10 digits.
func ParseExtensionLength(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 10 {
		return 0, ErrExtension
	}
	return n, nil
}

// ValidateTimeOfDay checks "HH:MM" on a 24-hour clock.
func ValidateTimeOfDay(s string) error {
	if _, err := time.Parse("15:04", strings.TrimSpace(s)); err != nil {
		return ErrReminderTime
	}
	return nil
}

// message is an error as the sentence shown next to a field.
func message(err error) string {
	if err == nil {
		return ""
	}
	r := []rune(err.Error())
	if len(r) == 0 {
		return ""
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:]) + "."
}
