package home

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi/sip"
)

// TestSIPSourceExpires: the sip.expires_seconds setting reaches the watcher.
func TestSIPSourceExpires(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		seconds int
		want    time.Duration
	}{
		{0, sip.DefaultExpires},
		{settings.DefaultSIPExpiresSeconds, 10 * time.Minute},
		{120, 2 * time.Minute},
		{86400, 24 * time.Hour},
	} {
		s := settings.Default()
		s.CallSource = settings.SourceSIP
		s.SIP = settings.SIP{Server: "127.0.0.1:5060", AOR: "sip:1001@127.0.0.1", ExpiresSeconds: tc.seconds}
		src, err := SourceFromSettings(t.Context(), settings.SourceSIP, s, Passwords{}, nil, log)
		if err != nil {
			t.Fatal(err)
		}
		if got := src.(*sip.Watcher).Expires(); got != tc.want {
			t.Errorf("expires_seconds %d: watcher Expires() = %v, want %v", tc.seconds, got, tc.want)
		}
	}
}
