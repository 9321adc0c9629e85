package directory

import (
	"errors"
	"testing"
)

var cursorTests = []struct {
	in   string
	want int64
	err  bool
}{
	{"", 0, false},
	{"after:0", 0, false},
	{"after:1234", 1234, false},
	{"after:-1", 0, true},
	{"after:", 0, true},
	{"after:12x", 0, true},
	{"https://app.clio.com/api/v4/contacts.json?page_token=abc", 0, true},
	{"after:99999999999999999999", 0, true},
}

func TestParseCursor(t *testing.T) {
	for _, tt := range cursorTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseCursor(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("parseCursor(%q) = %d, %v, want %d, error %v", tt.in, got, err, tt.want, tt.err)
			}
			if err != nil && !errors.Is(err, ErrBadCursor) {
				t.Errorf("parseCursor(%q) = %v, want %v", tt.in, err, ErrBadCursor)
			}
		})
	}
}

func FuzzParseCursor(f *testing.F) {
	for _, tt := range cursorTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := parseCursor(in)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("parseCursor(%q) = %d, want non-negative", in, n)
		}
		if in != "" {
			if back, err := parseCursor(cursorAfter(n)); err != nil || back != n {
				t.Fatalf("parseCursor(cursorAfter(%d)) = %d, %v", n, back, err)
			}
		}
	})
}
