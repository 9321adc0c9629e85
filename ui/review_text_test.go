package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// segmentTexts is an entry's lines as text.
func segmentTexts(it ReviewItem) []string {
	var out []string
	for _, s := range reviewSegments(it) {
		out = append(out, s.(*widget.TextSegment).Text)
	}
	return out
}

func TestReviewStateWords(t *testing.T) {
	at := time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC)
	base := ReviewItem{Kind: KindCall, Who: "Jordan Lee", Number: "(212) 555-0123", When: at, Duration: 252 * time.Second}
	with := func(f func(*ReviewItem)) ReviewItem {
		it := base
		f(&it)
		return it
	}
	tests := []struct {
		name string
		it   ReviewItem
		want []string
	}{
		{"later", with(func(it *ReviewItem) { it.State = StateLater; it.Reason = "Esc on the pop" }),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Non-billable", "Waiting for your decision", "Esc on the pop"}},
		{"awaiting decision", with(func(it *ReviewItem) { it.State = StateAwaitingDecision; it.Reason = "not confirmed within 10 min" }),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Non-billable", "Waiting for your decision", "Not confirmed within 10 min"}},
		{"missed", with(func(it *ReviewItem) { it.State = StateMissed; it.Kind = KindMissed; it.Duration = 0 }),
			[]string{"Jordan Lee · (212) 555-0123", "Missed call · Tue 24 Nov 14:05", "Missed — not logged"}},
		{"declined", with(func(it *ReviewItem) { it.State = StateRejected; it.Kind = KindRejected; it.Duration = 0 }),
			[]string{"Jordan Lee · (212) 555-0123", "Declined call · Tue 24 Nov 14:05", "Declined — not logged"}},
		{"declined and logged", with(func(it *ReviewItem) { it.State = StateDelivered; it.Kind = KindRejected; it.Duration = 0 }),
			[]string{"Jordan Lee · (212) 555-0123", "Declined call · Tue 24 Nov 14:05", "In Clio"}},
		{"queued", with(func(it *ReviewItem) { it.State = StateQueued; it.Billable = true }),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Billable", "Waiting to reach Clio"}},
		{"queued after an error", with(func(it *ReviewItem) { it.State = StateQueued; it.Error = "dial tcp: i/o timeout" }),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Non-billable", "Waiting to reach Clio",
				"Could not reach Clio. It will retry when you are back online.", "Details: dial tcp: i/o timeout"}},
		{"delivered", with(func(it *ReviewItem) { it.State = StateDelivered }),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Non-billable", "In Clio"}},
		{"failed with reason", with(func(it *ReviewItem) {
			it.State, it.Reason, it.Error = StateFailed, "the matter is closed", "clio: 422 Unprocessable Entity: matter is closed"
		}), []string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Non-billable", "Clio refused: the matter is closed",
			"Clio rejected the entry as invalid, for example a closed or deleted matter.", "Details: clio: 422 Unprocessable Entity: matter is closed"}},
		{"failed raw", with(func(it *ReviewItem) { it.State, it.Error = StateFailed, "clio: 403 Forbidden" }),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Non-billable", "Clio refused: clio: 403 Forbidden",
				"Clio refused this entry: your Clio user lacks permission for it."}},
		{"failed bare", with(func(it *ReviewItem) { it.State = StateFailed }),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Non-billable", "Clio refused this entry"}},
		{"discarded", with(func(it *ReviewItem) {
			it.State, it.Reason = StateDiscarded, "Discarded Tue 24 Nov 16:00 — a wrong number"
		}),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Non-billable", "Discarded", "Discarded Tue 24 Nov 16:00 — a wrong number"}},
		{"duration unknown", with(func(it *ReviewItem) { it.State, it.DurationUnknown = StateLater, true }),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · duration unknown · Non-billable", "Waiting for your decision"}},
		{"unknown state", with(func(it *ReviewItem) { it.State = "odd" }),
			[]string{"Jordan Lee · (212) 555-0123", "Call · Tue 24 Nov 14:05 · 4:12 · Non-billable", "odd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := segmentTexts(tt.it)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("reviewSegments(%s) =\n%q\nwant\n%q", tt.name, got, tt.want)
			}
		})
	}
}

func TestReviewDiscardedIsGrey(t *testing.T) {
	it := ReviewItem{Kind: KindCall, State: StateDiscarded, Who: "Sam Lee", Reason: "Discarded at 16:00"}
	for _, s := range reviewSegments(it) {
		if c := s.(*widget.TextSegment).Style.ColorName; c != theme.ColorNameDisabled {
			t.Errorf("segment %q colour %q, want disabled (grey)", s.Textual(), c)
		}
	}
}

func TestReviewCounts(t *testing.T) {
	tests := []struct {
		in   reviewCounts
		want string
	}{
		{reviewCounts{}, "Nothing waiting"},
		{reviewCounts{deciding: 1}, "1 waiting for your decision"},
		{reviewCounts{delivering: 5, failed: 2}, "5 waiting to reach Clio · 2 refused by Clio"},
		{reviewCounts{missed: 2}, "2 missed calls not logged"},
		{reviewCounts{missed: 1, declined: 1}, "1 missed call not logged · 1 declined call not logged"},
		{reviewCounts{declined: 3}, "3 declined calls not logged"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var callDurationTests = []struct {
	in   string
	want time.Duration
	ok   bool
}{
	{"4:12", 4*time.Minute + 12*time.Second, true},
	{" 0:30 ", 30 * time.Second, true},
	{"1:02:15", time.Hour + 2*time.Minute + 15*time.Second, true},
	{"75:00", 75 * time.Minute, true},
	{"4m12s", 4*time.Minute + 12*time.Second, true},
	{"1h", time.Hour, true},
	{"252", 252 * time.Second, true},
	{"4m12.7s", 4*time.Minute + 12*time.Second, true},
	{"", 0, false},
	{"0", 0, false},
	{"0:00", 0, false},
	{"0.4s", 0, false},
	{"4:5", 0, false},
	{"4:60", 0, false},
	{"-4:12", 0, false},
	{"-3m", 0, false},
	{"1:2:3:4", 0, false},
	{"4:", 0, false},
	{":12", 0, false},
	{"24h", 0, false},
	{"86400", 0, false},
	{"four minutes", 0, false},
	{"99999999999999999999", 0, false},
}

func TestParseCallDuration(t *testing.T) {
	for _, tt := range callDurationTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCallDuration(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseCallDuration(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseCallDuration(f *testing.F) {
	for _, tt := range callDurationTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseCallDuration(s)
		if err != nil {
			if d != 0 {
				t.Errorf("ParseCallDuration(%q) = %v with error %v, want 0", s, d, err)
			}
			return
		}
		if d <= 0 || d >= 24*time.Hour || d%time.Second != 0 {
			t.Errorf("ParseCallDuration(%q) = %v, want whole seconds in (0, 24h)", s, d)
		}
	})
}
