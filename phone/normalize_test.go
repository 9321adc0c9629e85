package phone

import (
	"errors"
	"strings"
	"testing"
)

var normalizeTests = []struct {
	name, raw, region string
	want              string // E.164; "" when an error is expected
	reason            string // Error.Reason when want is ""
}{
	{"parentheses", "(212) 555-0123", "US", "+12125550123", ""},
	{"dashes", "212-555-0123", "US", "+12125550123", ""},
	{"dots", "212.555.0123", "US", "+12125550123", ""},
	{"spaces", "212 555 0123", "US", "+12125550123", ""},
	{"E.164", "+12125550123", "US", "+12125550123", ""},
	{"international format", "+1 212-555-0123", "US", "+12125550123", ""},
	{"trunk 1", "1-212-555-0123", "US", "+12125550123", ""},
	{"empty region means US", "212 555 0123", "", "+12125550123", ""},
	{"lowercase region", "020 7946 0958", "gb", "+442079460958", ""},
	{"bracketed label", "212-555-0123 (Jane's cell)", "US", "+12125550123", ""},
	{"label prefix", "Mobile: 212 555 0123", "US", "+12125550123", ""},
	{"label word before", "cell 212-555-0123", "US", "+12125550123", ""},
	{"label word after", "212-555-0123 home", "US", "+12125550123", ""},
	{"extension ext", "212-555-0123 ext 4", "US", "+12125550123", ""},
	{"extension ext.", "212-555-0123 ext. 4", "US", "+12125550123", ""},
	{"extension x", "212-555-0123 x4", "US", "+12125550123", ""},
	{"extension hash", "212 555 0123 #4", "US", "+12125550123", ""},
	{"international prefix 00 from US", "001 212 555 0123", "US", "+12125550123", ""},
	{"international prefix 011 from US", "011 44 20 7946 0958", "US", "+442079460958", ""},
	{"trunk (0) after country code", "+44 (0)20 7946 0958", "US", "+442079460958", ""},
	{"trunk (0) spaced", "+44 (0) 20 7946 0958", "GB", "+442079460958", ""},
	{"national GB", "020 7946 0958", "GB", "+442079460958", ""},
	{"00 prefix in GB", "00442079460958", "GB", "+442079460958", ""},
	{"00 prefix in US", "00442079460958", "US", "+442079460958", ""},
	{"country code without plus", "44 20 7946 0958", "US", "+442079460958", ""},
	{"vanity", "1-800-FLOWERS", "US", "+18003569377", ""},
	{"vanity with label", "Orders: 1-800-FLOWERS", "US", "+18003569377", ""},
	{"tel URI", "tel:+1-212-555-0123;ext=4", "US", "+12125550123", ""},
	{"sip URI", "<sip:+12125550123@pbx.example.com;user=phone>", "US", "+12125550123", ""},
	{"sip name-addr", `"Jane" <sip:2125550123@pbx.example.com>`, "US", "+12125550123", ""},
	{"callto URI", "callto:+12125550123", "US", "+12125550123", ""},
	{"full-width digits", "２１２５５５０１２３", "US", "+12125550123", ""},
	{"Australia from GB", "+61 2 9876 5432", "GB", "+61298765432", ""},
	{"Canada shares +1", "416-555-0123", "US", "+14165550123", ""},

	{"empty", "", "US", "", ReasonEmpty},
	{"blank", "   ", "US", "", ReasonEmpty},
	{"anonymous", "anonymous", "US", "", ReasonWithheld},
	{"Anonymous capitalised", "Anonymous", "US", "", ReasonWithheld},
	{"withheld", "Withheld", "US", "", ReasonWithheld},
	{"private number", "Private Number", "US", "", ReasonWithheld},
	{"unknown", "unknown", "US", "", ReasonWithheld},
	{"restricted", "RESTRICTED", "US", "", ReasonWithheld},
	{"anonymous sip", "<sip:anonymous@anonymous.invalid>", "US", "", ReasonWithheld},
	{"too short", "12", "US", "", ReasonTooShort},
	{"extension only", "4012", "US", "", ReasonTooShort},
	{"local only", "555-0123", "US", "", ReasonTooShort},
	{"too long", "1234567890123456789012", "US", "", ReasonTooLong},
	{"too long input", strings.Repeat("1", 4*maxInput+1), "US", "", ReasonTooLong},
	{"GB national in US", "020 7946 0958", "US", "", ReasonTooLong},
	{"no digits", "call me", "US", "", ReasonNotANumber},
	{"punctuation only", "--", "US", "", ReasonNotANumber},
	{"all zeros after country code", "+610000000", "US", "", ReasonNotANumber},
	{"all zeros", "0000000000", "US", "", ReasonNotANumber},
	{"all zeros after 00", "00610000000", "US", "", ReasonTooLong},
}

func TestNormalize(t *testing.T) {
	for _, tt := range normalizeTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.raw, tt.region)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Errorf("Normalize(%q, %q) = %q, %v, want %q", tt.raw, tt.region, got, err, tt.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Reason != tt.reason || !errors.Is(err, ErrInvalid) || got != "" {
				t.Errorf("Normalize(%q, %q) = %q, %v, want error %q", tt.raw, tt.region, got, err, tt.reason)
			}
		})
	}
}

func TestErrorHidesInput(t *testing.T) {
	_, err := Normalize("555-0123", "US")
	if err == nil || strings.Contains(err.Error(), "555") {
		t.Errorf("Normalize(%q) error = %v, want an error without the number", "555-0123", err)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in, region, want string
	}{
		{"+12125550123", "US", "(212) 555-0123"},
		{"(212) 555-0123", "US", "(212) 555-0123"},
		{"212.555.0123 x4", "US", "(212) 555-0123"},
		{"+14165550123", "US", "(416) 555-0123"},
		{"+442079460958", "US", "+44 20 7946 0958"},
		{"+442079460958", "GB", "020 7946 0958"},
		{"+442079460958", "gb", "020 7946 0958"},
		{"+44 (0)20 7946 0958", "", "+44 20 7946 0958"},
		{"+12125550123", "GB", "+1 212-555-0123"},
		{"+12025557112", "GB", "+1 202-555-7112"},
		{"anonymous", "US", "anonymous"},
		{"4012", "US", "4012"},
		{"", "US", ""},
		{"not a number", "US", "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Format(tt.in, tt.region); got != tt.want {
				t.Errorf("Format(%q, %q) = %q, want %q", tt.in, tt.region, got, tt.want)
			}
		})
	}
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		raw, region            string
		e164, national, digits string
		count                  int
		withheld               bool
		display                string
	}{
		{"(212) 555-0123", "US", "+12125550123", "2125550123", "12125550123", 10, false, "(212) 555-0123"},
		{"212-555-0123 ext 4", "US", "+12125550123", "2125550123", "12125550123", 10, false, "(212) 555-0123"},
		{"+44 (0)20 7946 0958", "US", "+442079460958", "2079460958", "442079460958", 13, false, "+44 20 7946 0958"},
		{"555-0123", "US", "", "5550123", "5550123", 7, false, ""},
		{"020 7946 0958", "US", "", "2079460958", "2079460958", 11, false, ""},
		{"1001", "US", "", "1001", "1001", 4, false, ""},
		{"anonymous", "US", "", "", "", 0, true, ""},
		{"", "US", "", "", "", 0, true, ""},
		{"call me", "US", "", "", "", 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			k := Analyze(tt.raw, tt.region)
			if k.E164 != tt.e164 || k.National != tt.national || k.Digits != tt.digits || k.Count != tt.count {
				t.Errorf("Analyze(%q, %q) = {E164 %q, National %q, Digits %q, Count %d}, want {%q, %q, %q, %d}",
					tt.raw, tt.region, k.E164, k.National, k.Digits, k.Count, tt.e164, tt.national, tt.digits, tt.count)
			}
			if (k.E164 == "") != (k.Err != nil) {
				t.Errorf("Analyze(%q, %q).Err = %v with E164 %q, want an error exactly when E164 is empty", tt.raw, tt.region, k.Err, k.E164)
			}
			if got := k.Withheld(); got != tt.withheld {
				t.Errorf("Analyze(%q, %q).Withheld() = %v, want %v", tt.raw, tt.region, got, tt.withheld)
			}
			if got := k.Display(); got != tt.display {
				t.Errorf("Analyze(%q, %q).Display() = %q, want %q", tt.raw, tt.region, got, tt.display)
			}
		})
	}
}

func TestRegion(t *testing.T) {
	tests := []struct {
		in, want string
		known    bool
	}{
		{"", "US", true},
		{"gb", "GB", true},
		{"AU", "AU", true},
		{"XX", "XX", false},
		{"usa", "USA", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Region(tt.in); got != tt.want {
				t.Errorf("Region(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := KnownRegion(tt.in); got != tt.known {
				t.Errorf("KnownRegion(%q) = %v, want %v", tt.in, got, tt.known)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, tt := range normalizeTests {
		f.Add(tt.raw, tt.region)
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := Normalize(raw, region)
		if err != nil {
			if !errors.Is(err, ErrInvalid) || got != "" {
				t.Fatalf("Normalize(%q, %q) = %q, %v, want an ErrInvalid", raw, region, got, err)
			}
			return
		}
		if len(got) < 3 || len(got) > 18 || got[0] != '+' || strings.Trim(got[1:], "0123456789") != "" {
			t.Fatalf("Normalize(%q, %q) = %q, want E.164", raw, region, got)
		}
		if again, err := Normalize(got, region); err != nil || again != got {
			t.Fatalf("Normalize(%q, %q) = %q, %v, want %q (idempotent)", got, region, again, err, got)
		}
		if Format(raw, region) == "" {
			t.Fatalf("Format(%q, %q) = \"\", want a display form of %q", raw, region, got)
		}
	})
}
