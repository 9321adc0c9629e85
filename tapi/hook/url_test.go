package hook

import (
	"errors"
	"strings"
	"testing"
)

var parseURLTests = []struct {
	in      string
	want    Request
	wantErr bool
}{
	{"calldocket://call?number=%2B12125550123&state=answered&name=Jane%20Client&id=abc&direction=in",
		Request{State: "answered", Number: "+12125550123", Name: "Jane Client", ID: "abc", Direction: "in"}, false},
	{"calldocket://call?number=+12125550123&name=Jane+Client",
		Request{State: "ringing", Number: "+12125550123", Name: "Jane Client"}, false},
	{"calldocket:call?number=2125550123", Request{State: "ringing", Number: "2125550123"}, false},
	{"calldocket://call/?number=2125550123&state=ended", Request{State: "ended", Number: "2125550123"}, false},
	{"CallDocket://CALL?Number=1002&direction=out", Request{State: "ringing", Number: "1002", Direction: "out"}, false},
	{"  calldocket://call?number=1&number=2&x=y#frag  ", Request{State: "ringing", Number: "1"}, false},
	{"calldocket://call", Request{State: "ringing"}, false},
	{"calldocket://call?state=&number=5", Request{State: "ringing", Number: "5"}, false},
	{"calldocket://call?name=a%26b&number=1", Request{State: "ringing", Number: "1", Name: "a&b"}, false},
	{"calldocket://call?number=2125550123&state=ended&reason=rejected",
		Request{State: "ended", Number: "2125550123", Reason: "rejected"}, false},
	{"calldocket://call?id=c1&state=ended&Reason=Declined", Request{State: "ended", ID: "c1", Reason: "Declined"}, false},
	{"http://call?number=1", Request{}, true},
	{"calldocket://sms?number=1", Request{}, true},
	{"calldocket://call/x?number=1", Request{}, true},
	{"calldocket:", Request{}, true},
	{"", Request{}, true},
	{"calldocket://call?number=%zz", Request{}, true},
	{"calldocket://call?name=%", Request{}, true},
	{"calldocket://call?number=" + strings.Repeat("1", MaxURLLen), Request{}, true},
}

func TestParseURL(t *testing.T) {
	for _, tt := range parseURLTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseURL(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseURL(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseURL(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseURLWrongSchemeIsErrNotCallURL(t *testing.T) {
	for _, in := range []string{"https://example.com/call?number=1", "calldocket://settings"} {
		if _, err := ParseURL(in); !errors.Is(err, ErrNotCallURL) {
			t.Errorf("ParseURL(%q) error = %v, want ErrNotCallURL", in, err)
		}
	}
}

func FuzzParseURL(f *testing.F) {
	for _, tt := range parseURLTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := ParseURL(raw)
		if err != nil {
			return
		}
		if r.State == "" {
			t.Fatalf("ParseURL(%q) = %+v, want a default state", raw, r)
		}
		if ev, err := r.Event(now); err == nil {
			if err := ev.Validate(); err != nil {
				t.Fatalf("ParseURL(%q).Event() = %+v, invalid: %v", raw, ev, err)
			}
		}
	})
}
