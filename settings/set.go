package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrInvalid is wrapped by every error about a setting's value.
var ErrInvalid = errors.New("invalid setting")

// readOnly keys are kept by CallDocket itself, never set by hand.
var readOnly = map[string]bool{"signed_in": true, "firm_numbers_from_clio": true}

// Keys lists the names Set accepts ("default_billable", "sip.server", …).
func Keys() []string {
	m := flatten(Default())
	out := make([]string, 0, len(m))
	for k := range m {
		if !readOnly[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// flatten turns s into its JSON fields, nested ones as "sip.server".
func flatten(s Settings) map[string]json.RawMessage {
	b, _ := json.Marshal(s)
	var top map[string]json.RawMessage
	_ = json.Unmarshal(b, &top)
	// Fields left out when empty are still settable.
	for _, k := range []string{"clio_client_id", "firm_numbers", "tapi_line", "watched_folder", "time_zone"} {
		if _, ok := top[k]; !ok {
			top[k] = json.RawMessage(`""`)
		}
	}
	top["firm_numbers"] = json.RawMessage(`[]`)
	out := map[string]json.RawMessage{}
	for k, v := range top {
		var nested map[string]json.RawMessage
		if len(v) > 0 && v[0] == '{' && json.Unmarshal(v, &nested) == nil {
			for _, nk := range nestedKeys[k] {
				out[k+"."+nk] = json.RawMessage(`""`)
			}
			for nk, nv := range nested {
				out[k+"."+nk] = nv
			}
			continue
		}
		out[k] = v
	}
	return out
}

var nestedKeys = map[string][]string{
	"sip":        {"server", "transport", "aor", "user", "expires_seconds"},
	"ami":        {"addr", "user", "extension", "auth", "tls", "tls_ca_file"},
	"desk_phone": {"enabled", "addr"},
}

// Set changes one setting by its JSON name from text, as typed on a command
// line: true/false, a whole number, text, or comma-separated numbers for
// firm_numbers. The result must pass Validate; on any error s is unchanged.
func Set(s *Settings, key, value string) error {
	key = strings.ToLower(strings.TrimSpace(key))
	fields := flatten(*s)
	cur, ok := fields[key]
	if !ok || readOnly[key] {
		return fmt.Errorf("%w: unknown setting %q (see 'calldocket settings keys')", ErrInvalid, key)
	}
	var raw []byte
	switch {
	case string(cur) == "true" || string(cur) == "false":
		b, err := strconv.ParseBool(strings.TrimSpace(value))
		if err != nil {
			return fmt.Errorf("%w: %s wants true or false, not %q", ErrInvalid, key, value)
		}
		raw, _ = json.Marshal(b)
	case len(cur) > 0 && (cur[0] == '-' || (cur[0] >= '0' && cur[0] <= '9')):
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return fmt.Errorf("%w: %s wants a whole number, not %q", ErrInvalid, key, value)
		}
		raw, _ = json.Marshal(n)
	case len(cur) > 0 && cur[0] == '[':
		var list []string
		for _, p := range strings.Split(value, ",") {
			if p = strings.TrimSpace(p); p != "" {
				list = append(list, p)
			}
		}
		raw, _ = json.Marshal(list)
	default:
		raw, _ = json.Marshal(strings.TrimSpace(value))
	}
	next := s.Clone()
	if err := setRaw(&next, key, raw); err != nil {
		return err
	}
	if err := next.Validate(); err != nil {
		return err
	}
	*s = next
	return nil
}

func setRaw(s *Settings, key string, raw []byte) error {
	b, _ := json.Marshal(s)
	var top map[string]any
	_ = json.Unmarshal(b, &top)
	var v any
	_ = json.Unmarshal(raw, &v)
	if parent, child, ok := strings.Cut(key, "."); ok {
		m, _ := top[parent].(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		m[child] = v
		top[parent] = m
	} else {
		top[key] = v
	}
	b, _ = json.Marshal(top)
	var out Settings
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInvalid, key, err)
	}
	*s = out
	return nil
}

// Validate says, in one line naming the value, what is wrong with s.
func (s Settings) Validate() error {
	bad := func(key string, v any, want string) error {
		return fmt.Errorf("%w: %s %v: %s", ErrInvalid, key, v, want)
	}
	switch {
	case s.IncrementMinutes < 1 || s.IncrementMinutes > 60:
		return bad("increment_minutes", s.IncrementMinutes, "enter whole minutes from 1 to 60")
	case s.MinDurationS < 0 || s.MinDurationS > 3600:
		return bad("min_duration_s", s.MinDurationS, "enter seconds from 0 to 3600")
	case s.ConfirmWithinMinutes < 1 || s.ConfirmWithinMinutes > 24*60:
		return bad("confirm_within_minutes", s.ConfirmWithinMinutes, "enter minutes from 1 to 1440")
	case s.MinDigits < 1 || s.MinDigits > 11:
		return bad("min_digits", s.MinDigits, "enter a number of digits from 1 to 11")
	case s.SyncIntervalMinutes < 1 || s.SyncIntervalMinutes > 24*60:
		return bad("sync_interval_minutes", s.SyncIntervalMinutes, "enter minutes from 1 to 1440")
	case s.RedirectPort < 1 || s.RedirectPort > 65535:
		return bad("redirect_port", s.RedirectPort, "enter a port from 1 to 65535")
	case s.PopTiming != PopOnRing && s.PopTiming != PopOnAnswer:
		return bad("pop_timing", strconv.Quote(s.PopTiming), "enter ring or answer")
	case s.SIP.ExpiresSeconds < MinSIPExpiresSeconds || s.SIP.ExpiresSeconds > MaxSIPExpiresSeconds:
		return bad("sip.expires_seconds", s.SIP.ExpiresSeconds, "enter seconds from 60 to 86400")
	case len(s.DefaultRegion) != 2:
		return bad("default_region", strconv.Quote(s.DefaultRegion), "enter a two-letter country code, like US or GB")
	}
	switch strings.ToLower(s.ClioRegion) {
	case "us", "eu", "ca", "au":
	default:
		return bad("clio_region", strconv.Quote(s.ClioRegion), "enter us, eu, ca or au")
	}
	switch s.CallSource {
	case SourceSandbox, SourceSIP, SourceAMI, SourceDeskPhone, SourceTAPI:
	default:
		return bad("call_source", strconv.Quote(s.CallSource), "enter sandbox, sip, ami, deskphone or tapi")
	}
	if s.AMI.Addr != "" && !validHostPort(s.AMI.Addr) {
		return bad("ami.addr", strconv.Quote(s.AMI.Addr), "enter HOST:PORT with a port from 1 to 65535, like pbx.example.com:5038")
	}
	switch strings.ToLower(s.AMI.Auth) {
	case AMIAuthAuto, "auto", AMIAuthMD5, AMIAuthPlain:
	default:
		return bad("ami.auth", strconv.Quote(s.AMI.Auth), "enter auto, md5 or plain")
	}
	if s.AMI.TLSCAFile != "" && !filepath.IsAbs(s.AMI.TLSCAFile) {
		return bad("ami.tls_ca_file", strconv.Quote(s.AMI.TLSCAFile), "enter the full path of a PEM certificate file")
	}
	if _, err := time.Parse("15:04", s.ReminderTime); err != nil {
		return bad("reminder_time", strconv.Quote(s.ReminderTime), "enter a time of day like 17:30")
	}
	if s.TimeZone != "" {
		if _, err := time.LoadLocation(s.TimeZone); err != nil {
			return bad("time_zone", strconv.Quote(s.TimeZone), "enter an IANA zone like America/New_York")
		}
	}
	return s.DeskPhone.check()
}

// validHostPort reports whether s is HOST:PORT with a host and a port from
// 1 to 65535.
func validHostPort(s string) bool {
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" || strings.ContainsAny(host, " /") {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}
