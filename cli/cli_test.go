package cli

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var parseDurationTests = []struct {
	in      string
	want    time.Duration
	wantErr bool
}{
	{"252", 252 * time.Second, false},
	{"4m12s", 252 * time.Second, false},
	{"4:12", 252 * time.Second, false},
	{"1:04:12", time.Hour + 4*time.Minute + 12*time.Second, false},
	{" 30 ", 30 * time.Second, false},
	{"0", 0, false},
	{"0:00", 0, false},
	{"59:59", 59*time.Minute + 59*time.Second, false},
	{"90:00", 90 * time.Minute, false}, // the first part may pass 59
	{"24:00:00", 24 * time.Hour, false},
	{"86400", 24 * time.Hour, false},
	{"24h", 24 * time.Hour, false},
	{"1.5h", 90 * time.Minute, false},
	{"-5", 0, true},
	{"-5s", 0, true},
	{"ten", 0, true},
	{"1:2:3:4", 0, true},
	{"4:xx", 0, true},
	{"", 0, true},
	{"::", 0, true},
	{"+5", 0, true},
	{"4:+5", 0, true},
	{"1:99", 0, true},
	{"1:60:00", 0, true},
	{"0:00:60", 0, true},
	{"86401", 0, true},
	{"24:00:01", 0, true},
	{"25h", 0, true},
	{"99999999999", 0, true},
	{"2562047h", 0, true},
	{"2562048h", 0, true},
	{"9223372036854775807", 0, true},
	{"99999999999999999999999", 0, true},
	{"99999999999:00", 0, true},
	{"1e3", 0, true},
}

func TestParseDuration(t *testing.T) {
	for _, tt := range parseDurationTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseDuration(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, tt := range parseDurationTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDuration(s)
		if err != nil {
			if d != 0 || strings.Contains(err.Error(), "\n") {
				t.Errorf("parseDuration(%q) = %v, %q; want 0 and a one-line error", s, d, err)
			}
			return
		}
		if d < 0 || d > MaxCallDuration {
			t.Errorf("parseDuration(%q) = %v, want 0 to %v", s, d, MaxCallDuration)
		}
	})
}

func TestLooksLikeNumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+12125550123", true},
		{"(212) 555-0123", true},
		{"212.555.0123", true},
		{"*72", true},
		{"status", false},
		{"--json", false},
		{"1", false},
		{"12abc", false},
	}
	for _, tt := range tests {
		if got := LooksLikeNumber(tt.in); got != tt.want {
			t.Errorf("LooksLikeNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestExit(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
		want string
	}{
		{"ok", nil, 0, ""},
		{"usage", Usagef("unknown command %q", "frob"), 2, "calldocket: unknown command \"frob\"\nRun 'calldocket help' for usage.\n"},
		{"wrapped usage", fmt.Errorf("x: %w", Usagef("bad")), 2, "calldocket: x: bad\nRun 'calldocket help' for usage.\n"},
		{"exit code", &ExitError{Code: 1, Msg: "some items are not delivered yet"}, 1, "calldocket: some items are not delivered yet\n"},
		{"failure on two lines", errors.New("one\ntwo"), 1, "calldocket: one two\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if got := Exit(&b, tt.err); got != tt.code || b.String() != tt.want {
				t.Errorf("Exit(%v) = %d, %q; want %d, %q", tt.err, got, b.String(), tt.code, tt.want)
			}
		})
	}
}
