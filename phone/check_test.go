package phone

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		in     string
		reason string // "" for a good number
	}{
		{"+12125550123", ""},
		{"(212) 555-0123", ""},
		{"212.555.0123", ""},
		{"555-0123", ""}, // local only
		{"201", ""},      // an extension
		{"*72", ""},
		{"+44 20 7946 0958", ""},
		{"1-800-FLOWERS", ""},
		{"sip:+12125550123@pbx;user=phone", ""},
		{`"Jane" <sip:%2B12125550123@pbx>`, ""},
		{"tel:+1-212-555-0123", ""},
		{"", ReasonEmpty},
		{"   ", ReasonEmpty},
		{"abc", ReasonNotANumber},
		{"12abc", ReasonNotANumber},
		{"sip:alice@example.com", ReasonNotANumber},
		{"1+2", ReasonNotANumber},
		{"anonymous", ReasonWithheld},
		{"1234567890123456", ReasonTooLong}, // 16 digits
		{strings.Repeat("9", 120000), ReasonTooLong},
		{"+1 212 555 0123 " + strings.Repeat(" ", 20), ""},   // trailing blanks are trimmed
		{"+1 (212) 555-0123 / 4 / 5 / 6 / 7", ReasonTooLong}, // 34 characters
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			err := Check(tt.in, "US")
			if tt.reason == "" {
				if err != nil {
					t.Errorf("Check(%q) = %v, want nil", name, err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Reason != tt.reason || !errors.Is(err, ErrInvalid) {
				t.Errorf("Check(%q) = %v, want reason %q", name, err, tt.reason)
			}
		})
	}
}
