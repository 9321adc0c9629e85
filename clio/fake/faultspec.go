package fake

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrFaultSpec is wrapped by every ParseFaults error.
var ErrFaultSpec = errors.New("invalid fault spec")

// ParseFaults parses fault rules written as text, for the clio-emulator
// -faults flag. Rules are separated by ';'; each is a kind followed by
// comma-separated key=value options:
//
//	status,method=POST,path=/api/v4/communications,p=0.2,status=502
//	reset,times=3;commit-then-drop,p=0.1;429,times=5;latency,latency=150ms
//
// Kinds are latency, status, reset, commit-then-drop and 429. Keys are
// method, path (the path prefix), times, p (probability, 0 to 1), latency
// (a Go duration) and status (400 to 599). Empty rules are skipped.
func ParseFaults(spec string) ([]Fault, error) {
	var out []Fault
	for i, raw := range strings.Split(spec, ";") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		f, err := parseFault(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: rule %d: %w", ErrFaultSpec, i+1, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func parseFault(raw string) (Fault, error) {
	parts := strings.Split(raw, ",")
	var f Fault
	name := strings.ToLower(strings.TrimSpace(parts[0]))
	for k, n := range faultKindNames {
		if n == name {
			f.Kind = k
		}
	}
	if f.Kind == 0 {
		return f, fmt.Errorf("unknown kind %q", name)
	}
	for _, opt := range parts[1:] {
		key, val, ok := strings.Cut(strings.TrimSpace(opt), "=")
		if !ok {
			return f, fmt.Errorf("option %q: want key=value", opt)
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		var err error
		switch key {
		case "method":
			f.Method = strings.ToUpper(val)
		case "path":
			if !strings.HasPrefix(val, "/") {
				return f, fmt.Errorf("path %q: must start with /", val)
			}
			f.PathPrefix = val
		case "times":
			f.Times, err = strconv.Atoi(val)
			if err == nil && f.Times < 0 {
				err = errors.New("must not be negative")
			}
		case "p":
			f.Probability, err = strconv.ParseFloat(val, 64)
			if err == nil && !(f.Probability >= 0 && f.Probability <= 1) {
				err = errors.New("must be between 0 and 1")
			}
		case "latency":
			f.Latency, err = time.ParseDuration(val)
			if err == nil && f.Latency < 0 {
				err = errors.New("must not be negative")
			}
		case "status":
			f.Status, err = strconv.Atoi(val)
			if err == nil && (f.Status < 400 || f.Status > 599) {
				err = errors.New("must be between 400 and 599")
			}
		default:
			return f, fmt.Errorf("unknown option %q", key)
		}
		if err != nil {
			return f, fmt.Errorf("option %s=%q: %w", key, val, err)
		}
	}
	return f, nil
}
