package directory

import (
	"errors"
	"strings"
	"testing"
)

var normalizeTests = []struct {
	name, raw, region string
	want              string // E.164; "" when an error is expected
	reason            string // NumberError.Reason when want is ""
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
	{"GB national in US", "020 7946 0958", "US", "", ReasonTooLong},
	{"no digits", "call me", "US", "", ReasonNotANumber},
	{"punctuation only", "--", "US", "", ReasonNotANumber},
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
			var ne *NumberError
			if !errors.As(err, &ne) || ne.Reason != tt.reason || !errors.Is(err, ErrInvalidNumber) || got != "" {
				t.Errorf("Normalize(%q, %q) = %q, %v, want error %q", tt.raw, tt.region, got, err, tt.reason)
			}
		})
	}
}

func TestNumberErrorHidesInput(t *testing.T) {
	_, err := Normalize("555-0123", "US")
	if err == nil || strings.Contains(err.Error(), "555") {
		t.Errorf("Normalize(%q) error = %v, want an error without the number", "555-0123", err)
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in, region, want string
	}{
		{"+12125550123", "US", "(212) 555-0123"},
		{"(212) 555-0123", "US", "(212) 555-0123"},
		{"212.555.0123 x4", "US", "(212) 555-0123"},
		{"+14165550123", "US", "(416) 555-0123"},
		{"+442079460958", "US", "+44 20 7946 0958"},
		{"+442079460958", "GB", "020 7946 0958"},
		{"+44 (0)20 7946 0958", "", "+44 20 7946 0958"},
		{"+12125550123", "GB", "+1 212-555-0123"},
		{"anonymous", "US", "anonymous"},
		{"4012", "US", "4012"},
		{"", "US", ""},
		{"not a number", "US", "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := FormatNumber(tt.in, tt.region); got != tt.want {
				t.Errorf("FormatNumber(%q, %q) = %q, want %q", tt.in, tt.region, got, tt.want)
			}
		})
	}
}

func TestMaskNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+12125550123", "+*********23"},
		{"(212) 555-0123", "********23"},
		{"12", "12"},
		{"anonymous", ""},
	}
	for _, tt := range tests {
		if got := maskNumber(tt.in); got != tt.want {
			t.Errorf("maskNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, tt := range normalizeTests {
		f.Add(tt.raw, tt.region)
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := Normalize(raw, region)
		if err != nil {
			if !errors.Is(err, ErrInvalidNumber) || got != "" {
				t.Fatalf("Normalize(%q, %q) = %q, %v, want an ErrInvalidNumber", raw, region, got, err)
			}
			return
		}
		if len(got) < 3 || len(got) > 18 || got[0] != '+' || strings.Trim(got[1:], "0123456789") != "" {
			t.Fatalf("Normalize(%q, %q) = %q, want E.164", raw, region, got)
		}
		if again, err := Normalize(got, region); err != nil || again != got {
			t.Fatalf("Normalize(%q, %q) = %q, %v, want %q (idempotent)", got, region, again, err, got)
		}
		_ = FormatNumber(raw, region)
	})
}
