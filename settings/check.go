package settings

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/calldocket/calldocket/phone"
)

// FieldError is one setting with a value no form would accept. It wraps
// ErrInvalid.
type FieldError struct {
	Key   string // its JSON name: "increment_minutes", "sip.transport"
	Value string // the value as found, quoted when it is text
	Want  string // what to enter instead: "enter whole minutes from 1 to 60"
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%v: %s %s: %s", ErrInvalid, e.Key, e.Value, e.Want)
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// FileError says the settings file holds bad values. Load returns it with
// settings that are still usable: the good values kept, the bad ones
// replaced by their defaults. The file itself is left as it is. It wraps
// ErrInvalid.
type FileError struct {
	Path     string
	Problems []*FieldError
}

func (e *FileError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = fmt.Sprintf("%s %s: %s", p.Key, p.Value, p.Want)
	}
	fix := "fix it in Settings or the file"
	if len(parts) > 1 {
		fix = "fix them in Settings or the file"
	}
	return fmt.Sprintf("%s: %s — %s", filepath.Base(e.Path), strings.Join(parts, "; "), fix)
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FileError) Unwrap() error { return ErrInvalid }

// check is one rule of Validate: bad reports a bad value (shown) and what
// to enter; reset puts the default back.
type check struct {
	key   string
	want  string
	bad   func(s *Settings) (shown string, bad bool)
	reset func(s *Settings, d Settings)
}

func intRange(key string, lo, hi int, want string, f func(s *Settings) *int) check {
	return check{key: key, want: want,
		bad: func(s *Settings) (string, bool) {
			v := *f(s)
			return strconv.Itoa(v), v < lo || v > hi
		},
		reset: func(s *Settings, d Settings) { *f(s) = *f(&d) },
	}
}

func text(key, want string, f func(s *Settings) *string, ok func(string) bool) check {
	return check{key: key, want: want,
		bad: func(s *Settings) (string, bool) {
			v := *f(s)
			return quoteCut(v), !ok(v)
		},
		reset: func(s *Settings, d Settings) { *f(s) = *f(&d) },
	}
}

// quoteCut quotes a value for a one-line message, cut after 40
// characters with its length said.
func quoteCut(v string) string {
	r := []rune(v)
	if len(r) <= 40 {
		return strconv.Quote(v)
	}
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(string(r[:20])), len(r))
}

func oneOf(vals ...string) func(string) bool {
	return func(v string) bool {
		for _, w := range vals {
			if v == w {
				return true
			}
		}
		return false
	}
}

func optional(ok func(string) bool) func(string) bool {
	return func(v string) bool { return v == "" || ok(v) }
}

// hostPort accepts "host:port" with a host and a port from 1 to 65535.
func hostPort(v string) bool {
	host, port, err := net.SplitHostPort(v)
	if err != nil || host == "" || strings.ContainsAny(host, " /") {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// checks are the rules of Validate, in the order the form shows them.
var checks = []check{
	intRange("increment_minutes", 1, 60, "enter whole minutes from 1 to 60",
		func(s *Settings) *int { return &s.IncrementMinutes }),
	intRange("min_duration_s", 0, 3600, "enter seconds from 0 to 3600",
		func(s *Settings) *int { return &s.MinDurationS }),
	intRange("confirm_within_minutes", 1, 24*60, "enter minutes from 1 to 1440",
		func(s *Settings) *int { return &s.ConfirmWithinMinutes }),
	intRange("min_digits", 1, 11, "enter a number of digits from 1 to 11",
		func(s *Settings) *int { return &s.MinDigits }),
	intRange("sync_interval_minutes", 1, 24*60, "enter minutes from 1 to 1440",
		func(s *Settings) *int { return &s.SyncIntervalMinutes }),
	intRange("redirect_port", 1, 65535, "enter a port from 1 to 65535",
		func(s *Settings) *int { return &s.RedirectPort }),
	text("pop_timing", "enter ring or answer",
		func(s *Settings) *string { return &s.PopTiming }, oneOf(PopOnRing, PopOnAnswer)),
	text("default_region", "enter a two-letter country code, like US or GB",
		func(s *Settings) *string { return &s.DefaultRegion },
		func(v string) bool { return len(v) == 2 && phone.KnownRegion(v) }),
	text("clio_region", "enter us, eu, ca or au",
		func(s *Settings) *string { return &s.ClioRegion },
		func(v string) bool { return oneOf("us", "eu", "ca", "au")(strings.ToLower(v)) }),
	text("call_source", "enter sandbox, sip, ami, deskphone or tapi",
		func(s *Settings) *string { return &s.CallSource },
		oneOf(SourceSandbox, SourceSIP, SourceAMI, SourceDeskPhone, SourceTAPI)),
	text("reminder_time", "enter a time of day like 17:30",
		func(s *Settings) *string { return &s.ReminderTime },
		func(v string) bool { _, err := time.Parse("15:04", v); return err == nil }),
	text("time_zone", "enter an IANA zone like America/New_York",
		func(s *Settings) *string { return &s.TimeZone },
		optional(func(v string) bool { _, err := time.LoadLocation(v); return err == nil })),
	text("sip.transport", "enter udp, tcp or tls",
		func(s *Settings) *string { return &s.SIP.Transport },
		optional(func(v string) bool { return oneOf("udp", "tcp", "tls")(strings.ToLower(v)) })),
	text("ami.addr", "enter HOST:PORT with a port from 1 to 65535, like pbx.example.com:5038",
		func(s *Settings) *string { return &s.AMI.Addr }, optional(hostPort)),
	text("ami.auth", "enter auto, md5 or plain",
		func(s *Settings) *string { return &s.AMI.Auth },
		func(v string) bool { return oneOf(AMIAuthAuto, "auto", AMIAuthMD5, AMIAuthPlain)(strings.ToLower(v)) }),
	text("ami.tls_ca_file", "enter the full path of a PEM certificate file",
		func(s *Settings) *string { return &s.AMI.TLSCAFile }, optional(filepath.IsAbs)),
	intRange("sip.expires_seconds", MinSIPExpiresSeconds, MaxSIPExpiresSeconds, "enter seconds from 60 to 86400",
		func(s *Settings) *int { return &s.SIP.ExpiresSeconds }),
	text("desk_phone.addr", "enter an IP address and port like "+DefaultDeskPhoneAddr+
		" (this computer only) or this computer's LAN address like 192.168.1.20:8089",
		func(s *Settings) *string { return &s.DeskPhone.Addr },
		func(v string) bool { _, _, ok := DeskPhone{Addr: v}.Listen(); return ok }),
	{key: "firm_numbers", want: "enter phone numbers, like +1 212 555 0100",
		bad: func(s *Settings) (string, bool) {
			for _, n := range s.FirmNumbers {
				if _, err := phone.Normalize(n, s.DefaultRegion); err != nil {
					return strconv.Quote(phone.Mask(n)), true // masked: the message may be logged
				}
			}
			return "", false
		},
		reset: func(s *Settings, d Settings) { s.FirmNumbers = d.FirmNumbers }},
}

// Problems lists every setting of s that Validate refuses, in the form's
// order; nil when s is valid.
func (s Settings) Problems() []*FieldError {
	var out []*FieldError
	for _, c := range checks {
		if shown, bad := c.bad(&s); bad {
			out = append(out, &FieldError{Key: c.key, Value: shown, Want: c.want})
		}
	}
	return out
}

// repair puts the default back for every setting Problems refuses, and
// returns what it replaced.
func (s *Settings) repair() []*FieldError {
	d := Default()
	var out []*FieldError
	for _, c := range checks {
		if shown, bad := c.bad(s); bad {
			out = append(out, &FieldError{Key: c.key, Value: shown, Want: c.want})
			c.reset(s, d)
		}
	}
	return out
}

// fillBlank is what Normalize does for text settings an older or
// hand-edited file left empty: the default, which is not a problem.
func (s *Settings) fillBlank() {
	d := Default()
	for _, f := range []struct{ v, def *string }{
		{&s.DefaultRegion, &d.DefaultRegion}, {&s.PopTiming, &d.PopTiming}, {&s.ReminderTime, &d.ReminderTime},
		{&s.ClioRegion, &d.ClioRegion}, {&s.CallSource, &d.CallSource}, {&s.FaxFolderName, &d.FaxFolderName},
	} {
		if strings.TrimSpace(*f.v) == "" {
			*f.v = *f.def
		}
	}
}
