package phone

import (
	"strings"
	"testing"
)

var maskTests = []struct{ in, want string }{
	{"", ""},
	{"+12125550123", "+*********23"},
	{"+1 (212) 555-0123", "+*********23"},
	{" +12125550123", "+*********23"},
	{"(212) 555-0123", "********23"},
	{"2125550123", "********23"},
	{"42", "42"},
	{"7", "7"},
	{"alice", "***"},
	{"anonymous", "***"},
	{"sip:1002@127.0.0.1", "********01"},
	{"２１２", "***"}, // only ASCII digits count
}

func TestMask(t *testing.T) {
	for _, tt := range maskTests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Mask(tt.in); got != tt.want {
				t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzMask(f *testing.F) {
	for _, tt := range maskTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Mask(s)
		d := Digits(s)
		hidden := max(0, len(d)-2)
		if Digits(got) != d[hidden:] || strings.Count(got, "*") != hidden && d != "" {
			t.Fatalf("Mask(%q) = %q, want %d '*' and the last digits %q", s, got, hidden, d[hidden:])
		}
		if strings.Trim(got, "+*0123456789") != "" {
			t.Fatalf("Mask(%q) = %q, want only '+', '*' and digits", s, got)
		}
	})
}
