package ui

import (
	"errors"
	"strings"
	"testing"
)

// TestDeskPhoneListenText: Settings says plainly where desk-phone action
// URLs are heard, who can reach them, and that the token travels in clear
// text.
func TestDeskPhoneListenText(t *testing.T) {
	tests := []struct {
		addr string
		want []string
	}{
		{"", []string{"Listens on 127.0.0.1:8089", "this computer only", "action-token", "clear text", "update your phones"}},
		{":18089", []string{"Listens on 127.0.0.1:18089", "this computer only"}},
		{"192.168.1.20:8089", []string{"Listens on 192.168.1.20:8089", "desk phones on your network", "clear text", "anyone on that network"}},
		{"0.0.0.0:8089", []string{"Listens on 0.0.0.0:8089", "every network", "clear text"}},
		{"pbx.example.com:8089", []string{"IP address and port"}},
	}
	for _, tt := range tests {
		got := DeskPhoneListenText(tt.addr)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("DeskPhoneListenText(%q) = %q, want it to say %q", tt.addr, got, w)
			}
		}
	}
}

func TestValidDeskAddress(t *testing.T) {
	for addr, ok := range map[string]bool{"": true, "127.0.0.1:8089": true, "192.168.1.20:8089": true, ":8089": true,
		"pbx.example.com:8089": false, "127.0.0.1": false, "127.0.0.1:70000": false} {
		if err := validDeskAddress(addr); (err == nil) != ok || (err != nil && !errors.Is(err, ErrDeskAddress)) {
			t.Errorf("validDeskAddress(%q) = %v, want ok %v", addr, err, ok)
		}
	}
}
