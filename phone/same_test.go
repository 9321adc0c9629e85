package phone

import "testing"

func TestDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+1 (212) 555-0123", "12125550123"},
		{"sip:1002@10.0.0.1", "100210001"},
		{"ext. 4", "4"},
		{"２１２", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Digits(tt.in); got != tt.want {
				t.Errorf("Digits(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSame(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"+12125550123", "(212) 555-0123", true},
		{"(212) 555-0123", "+12125550123", true},
		{"212-555-0123", "212.555.0123", true},
		{"+12125550123", "555-0123", true}, // 7-digit suffix
		{"555-0123", "555-0123", true},     // equal, 7 digits
		{"+12125550123", "55-0123", false}, // suffix too short
		{"1001", "1001", false},            // extensions are not numbers
		{"+12125550123", "+12125550124", false},
		{"+442079460958", "020 7946 0958", false}, // trunk 0: not a suffix
		{"", "", false},
		{"anonymous", "anonymous", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"|"+tt.b, func(t *testing.T) {
			if got := Same(tt.a, tt.b); got != tt.want {
				t.Errorf("Same(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
