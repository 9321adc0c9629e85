package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
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

// Validate says, in one line naming the value, what is wrong with s: the
// first of Problems.
func (s Settings) Validate() error {
	if ps := s.Problems(); len(ps) > 0 {
		return ps[0]
	}
	return nil
}
