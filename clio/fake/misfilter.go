package fake

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// EnvIgnoreExternalFilter names the environment variable that turns on
// Options.IgnoreExternalFilter for the Sandbox and cmd/clio-emulator
// ("1" or "true").
const EnvIgnoreExternalFilter = "CALLDOCKET_FAKE_IGNORE_EXTERNAL_FILTER"

// IgnoreExternalFilterFromEnv reads EnvIgnoreExternalFilter: unset or empty
// is false, otherwise a boolean as strconv.ParseBool reads it.
func IgnoreExternalFilterFromEnv() (bool, error) {
	v := strings.TrimSpace(os.Getenv(EnvIgnoreExternalFilter))
	if v == "" {
		return false, nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("environment variable %s=%q: want 1, true, 0 or false", EnvIgnoreExternalFilter, v)
	}
	return on, nil
}

// unrelatedFirst is a list under Options.IgnoreExternalFilter: every item,
// those match rejects (the ones the ignored filter would have dropped)
// first, then the rest, each group in id order. Paging switches to offsets
// so that the order holds across pages.
func unrelatedFirst[T any](q *listQuery, items []T, match func(T) bool) []T {
	out := make([]T, 0, len(items))
	for _, it := range items {
		if !match(it) {
			out = append(out, it)
		}
	}
	for _, it := range items {
		if match(it) {
			out = append(out, it)
		}
	}
	q.page.useOff = true
	return out
}
