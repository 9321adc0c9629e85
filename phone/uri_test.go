package phone

import (
	"strings"
	"testing"
)

var fromURITests = []struct {
	in   string
	want string
	ok   bool
}{
	{"sip:+12125550123@pbx", "+12125550123", true},
	{"sip:+12125550123@pbx.example.com;user=phone", "+12125550123", true},
	{"SIPS:201@pbx:5061;transport=tls", "201", true},
	{"sip:201@pbx?Subject=hello&Priority=urgent", "201", true},
	{"sip:%2B12125550123@pbx", "+12125550123", true},
	{"sip:%2b12125550123@pbx", "+12125550123", true},
	{`"Jane Client" <sip:+12125550123@pbx>;tag=1`, "+12125550123", true},
	{"Jane <sip:1002@pbx>", "1002", true},
	{"<tel:+1-212-555-0123>", "+1-212-555-0123", true},
	{"tel:+1-212-555-0123", "+1-212-555-0123", true},
	{"tel:+1-212-555-0123;ext=4", "+1-212-555-0123", true},
	{"tel:2125550123;phone-context=+1", "2125550123", true},
	{"callto:+12125550123", "+12125550123", true},
	{"callto://+12125550123", "+12125550123", true},
	{"callto:2125550123?call", "2125550123", true},
	{"  sip:201@pbx  ", "201", true},
	{"sip:alice@example.com", "alice", true}, // a URI, not a number: Check refuses it
	{"sip:@pbx", "", false},
	{"sip:", "", false},
	{"tel:;ext=1", "", false},
	{"sip:%zz@pbx", "", false},
	{"Jane <sip:1002@pbx", "", false},
	{"mailto:jane@example.com", "", false},
	{"+12125550123", "", false},
	{"http://example.com", "", false},
	{"", "", false},
	{"sip:%40@pbx", "", false}, // an escaped '@' in the user part
}

func TestFromURI(t *testing.T) {
	for _, tt := range fromURITests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := FromURI(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("FromURI(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzFromURI(f *testing.F) {
	for _, tt := range fromURITests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := FromURI(s)
		if !ok {
			if got != "" {
				t.Fatalf("FromURI(%q) = %q, false, want \"\" when not ok", s, got)
			}
			return
		}
		if got == "" || strings.TrimSpace(got) != got || strings.ContainsAny(got, "@;?<>") {
			t.Fatalf("FromURI(%q) = %q, want a trimmed user part without @ ; ? < >", s, got)
		}
		if len(got) > len(s) {
			t.Fatalf("FromURI(%q) = %q, longer than its input", s, got)
		}
		_ = Check(s, "US") // never panics
	})
}
