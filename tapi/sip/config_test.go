package sip

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

func TestNewConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		server  string
		network string
		user    string
		err     bool
	}{
		{"defaults", Config{Server: "pbx.example", AOR: "sip:1001@pbx.example"}, "pbx.example:5060", "udp", "1001", false},
		{"tls default port", Config{Server: "pbx.example", Transport: "TLS", AOR: "1001@pbx.example"}, "pbx.example:5061", "tls", "1001", false},
		{"explicit user", Config{Server: "127.0.0.1:5080", Transport: "tcp", AOR: "sip:1001@x", Username: "u"}, "127.0.0.1:5080", "tcp", "u", false},
		{"missing server", Config{AOR: "sip:1001@x"}, "", "", "", true},
		{"bad transport", Config{Server: "x", Transport: "sctp", AOR: "sip:1001@x"}, "", "", "", true},
		{"aor without user", Config{Server: "x", AOR: "sip:pbx.example"}, "", "", "", true},
		{"aor scheme", Config{Server: "x", AOR: "tel:+12125550123"}, "", "", "", true},
		{"bad port", Config{Server: "x:99999", AOR: "sip:1@x"}, "", "", "", true},
		{"negative expires", Config{Server: "x", AOR: "sip:1@x", Expires: -time.Second}, "", "", "", true},
		{"local addr not ip", Config{Server: "x", AOR: "sip:1@x", LocalAddr: "localhost:0"}, "", "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := New(tc.cfg, nil)
			if tc.err {
				if !errors.Is(err, ErrConfig) {
					t.Fatalf("New(%+v) error = %v, want ErrConfig", tc.cfg, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%+v) error = %v", tc.cfg, err)
			}
			if w.cfg.server != tc.server || w.cfg.network != tc.network || w.cfg.username != tc.user || w.cfg.expires != DefaultExpires {
				t.Errorf("New(%+v) = server %q network %q user %q expires %v, want %q %q %q %v",
					tc.cfg, w.cfg.server, w.cfg.network, w.cfg.username, w.cfg.expires, tc.server, tc.network, tc.user, DefaultExpires)
			}
		})
	}
}

func TestRefreshAfter(t *testing.T) {
	for in, want := range map[time.Duration]time.Duration{
		10 * time.Second: 8 * time.Second, 10 * time.Minute: 9 * time.Minute, time.Hour: 59 * time.Minute,
	} {
		if got := refreshAfter(in); got != want {
			t.Errorf("refreshAfter(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestParseSubscriptionState(t *testing.T) {
	st, p := parseSubscriptionState("Terminated;reason=probation; retry-after=30")
	if st != "terminated" || p["reason"] != "probation" || p["retry-after"] != "30" {
		t.Errorf("parseSubscriptionState = %q, %v, want terminated, probation, 30", st, p)
	}
}

// TestRunUnreachable: with nothing listening the watcher keeps retrying
// (no permanent error) until cancelled, and then returns ctx.Err().
func TestRunUnreachable(t *testing.T) {
	w, err := New(Config{Server: "127.0.0.1:9", AOR: "sip:1001@127.0.0.1", Expires: 10 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	if err := w.Run(ctx, func(tapi.Event) {}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run() = %v, want context.DeadlineExceeded", err)
	}
	if err := w.Run(ctx, nil); err == nil {
		t.Fatalf("Run(nil emit) = nil, want an error")
	}
}
