package phone

import "testing"

func TestUserPart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sip:+12125550123@pbx.example.com;user=phone", "+12125550123"},
		{"SIP:1002@127.0.0.1", "1002"},
		{"sips:alice@example.com", "alice"},
		{"tel:+1-212-555-0123;ext=1", "+1-212-555-0123"},
		{"callto:+12125550123", "+12125550123"},
		{"callto:2125550123?call", "2125550123"},
		{"sip: 1002 @pbx", "1002"},
		{"+12125550123", "+12125550123"},
		{"sip", "sip"},
		{"", ""},
		{"Jane <sip:1002@pbx>", "Jane <sip:1002@pbx>"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := UserPart(tt.in); got != tt.want {
				t.Errorf("UserPart(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsExtension(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"1001", true},
		{" 1001 ", true},
		{"sip:1002@127.0.0.1;transport=udp", true},
		{"+12125550123", false},
		{"sip:+12125550123@pbx", false},
		{"tel:204", true},
		{"callto:204", true},
		{"", false},
		{"alice", false},
		{"555-0123", false},
		{"555-012", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := IsExtension(tt.in, 7); got != tt.want {
				t.Errorf("IsExtension(%q, 7) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsInternal(t *testing.T) {
	tests := []struct {
		remote, local string
		want          bool
	}{
		{"1001", "1002", true},
		{"sip:1001@pbx", "sip:alice@pbx", true},
		{"1001", "", true},
		{"1001", "+12125550123", false},
		{"+12125550123", "1002", false},
		{"", "1002", false},
		{"alice", "bob", false},
	}
	for _, tt := range tests {
		t.Run(tt.remote+"|"+tt.local, func(t *testing.T) {
			if got := IsInternal(tt.remote, tt.local, 7); got != tt.want {
				t.Errorf("IsInternal(%q, %q, 7) = %v, want %v", tt.remote, tt.local, got, tt.want)
			}
		})
	}
}
