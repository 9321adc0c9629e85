package clio

import (
	"net/http"
	"testing"
	"time"
)

var rateCases = []struct {
	name                    string
	limit, remaining, reset string
	want                    Rate
	exhausted, ok           bool
}{
	{"all", "50", "49", "1777917840", Rate{50, 49, time.Unix(1777917840, 0)}, false, true},
	{"used up", "50", "0", "1777917840", Rate{50, 0, time.Unix(1777917840, 0)}, true, true},
	{"none", "", "", "", Rate{}, false, false},
	{"spaces", " 50 ", " 7 ", " 1777917840 ", Rate{50, 7, time.Unix(1777917840, 0)}, false, true},
	{"garbage", "x", "-1", "soon", Rate{}, false, false},
	{"remaining only", "", "0", "", Rate{}, true, true},
	{"reset too far", "50", "3", "99999999999999", Rate{50, 3, time.Time{}}, false, true},
	{"reset negative", "", "", "-5", Rate{}, false, false},
	{"huge limit", "99999999999", "1", "", Rate{0, 1, time.Time{}}, false, true},
}

func TestParseRate(t *testing.T) {
	for _, tt := range rateCases {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range map[string]string{"X-RateLimit-Limit": tt.limit, "X-RateLimit-Remaining": tt.remaining, "X-RateLimit-Reset": tt.reset} {
				if v != "" {
					h.Set(k, v)
				}
			}
			got, exhausted, ok := parseRate(h)
			if got.Limit != tt.want.Limit || got.Remaining != tt.want.Remaining || !got.Reset.Equal(tt.want.Reset) ||
				exhausted != tt.exhausted || ok != tt.ok {
				t.Errorf("parseRate(%q, %q, %q) = %+v, %v, %v, want %+v, %v, %v",
					tt.limit, tt.remaining, tt.reset, got, exhausted, ok, tt.want, tt.exhausted, tt.ok)
			}
		})
	}
}

var retryAfterCases = []struct {
	in   string
	want time.Duration
	ok   bool
}{
	{"30", 30 * time.Second, true},
	{" 0 ", 0, true},
	{"", 0, false},
	{"-3", 0, false},
	{"1.5", 0, false},
	{"99999999999999999999", 0, false},
	{"9999999", maxRetryAfter, true},
	{testNow.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
	{testNow.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	{testNow.Add(1000 * time.Hour).Format(http.TimeFormat), maxRetryAfter, true},
	{"Mon, 32 Foo 2026", 0, false},
}

func TestParseRetryAfter(t *testing.T) {
	for _, tt := range retryAfterCases {
		got, ok := parseRetryAfter(tt.in, testNow)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v, want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseRateHeaders(f *testing.F) {
	for _, tt := range rateCases {
		f.Add(tt.limit, tt.remaining, tt.reset, "")
	}
	for _, tt := range retryAfterCases {
		f.Add("", "", "", tt.in)
	}
	f.Fuzz(func(t *testing.T, limit, remaining, reset, retryAfter string) {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Reset", reset)
		r, exhausted, ok := parseRate(h)
		if r.Limit < 0 || r.Remaining < 0 {
			t.Fatalf("parseRate(%q, %q, %q) = %+v, want non-negative counts", limit, remaining, reset, r)
		}
		if !ok && (r != Rate{} || exhausted) {
			t.Fatalf("parseRate(%q, %q, %q) = %+v, %v, not ok, want the zero Rate", limit, remaining, reset, r, exhausted)
		}
		if exhausted && r.Remaining != 0 {
			t.Fatalf("parseRate(%q, %q, %q) exhausted with Remaining %d", limit, remaining, reset, r.Remaining)
		}
		if !r.Reset.IsZero() && r.Reset.Unix() > maxUnix {
			t.Fatalf("parseRate reset %v is past year 9999", r.Reset)
		}
		d, ok := parseRetryAfter(retryAfter, testNow)
		if d < 0 || d > maxRetryAfter || (!ok && d != 0) {
			t.Fatalf("parseRetryAfter(%q) = %v, %v, want 0 <= d <= %s", retryAfter, d, ok, maxRetryAfter)
		}
	})
}
