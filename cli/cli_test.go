package cli

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
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
		{"-5", 0, true},
		{"-5s", 0, true},
		{"ten", 0, true},
		{"1:2:3:4", 0, true},
		{"4:xx", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseDuration(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"252", "4m12s", "4:12", "1:04:12", "-5", "", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDuration(s)
		if err == nil && d < 0 {
			t.Errorf("parseDuration(%q) = %v, want no negative durations", s, d)
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
