package cli

import (
	"strconv"
	"strings"
	"time"

	"github.com/calldocket/calldocket/settings"
)

// parseExpires reads `monitor --expires`: whole seconds of SIP
// subscription lifetime, within the bounds of the sip.expires_seconds
// setting. Empty means the setting (or the default).
func parseExpires(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(v, "s"))
	if err != nil || n < settings.MinSIPExpiresSeconds || n > settings.MaxSIPExpiresSeconds {
		return 0, Usagef("monitor: --expires %q: enter whole seconds from %d to %d, like --expires 600",
			shortArg(v), settings.MinSIPExpiresSeconds, settings.MaxSIPExpiresSeconds)
	}
	return time.Duration(n) * time.Second, nil
}

// shortArg keeps an absurdly long argument out of a one-line message.
func shortArg(v string) string {
	if r := []rune(v); len(r) > 24 {
		return string(r[:24]) + "…"
	}
	return v
}
