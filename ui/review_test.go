package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func reviewItems() []ReviewItem {
	at := time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC)
	return []ReviewItem{
		{ID: 1, Kind: "call", State: StateQueued, Who: "Jordan Lee", Number: "(212) 555-0123", When: at,
			Duration: 4*time.Minute + 12*time.Second, Billable: true},
		{ID: 2, Kind: "call", State: StateFailed, Who: "", Number: "+44 20 7946 0958", When: at.Add(time.Hour),
			Duration: 65 * time.Second, Error: "clio: 422 Unprocessable Entity: matter is closed",
			Reason: "the matter is closed"},
		{ID: 3, Kind: "missed", State: StateQueued, Who: "Sam Lee", Number: "(212) 555-0199", When: at.Add(2 * time.Hour),
			Error: "dial tcp: lookup app.clio.com: no such host"},
	}
}

func TestReviewGoldens(t *testing.T) {
	tests := []struct {
		golden string
		items  []ReviewItem
	}{
		{"review_items.xml", reviewItems()},
		{"review_empty.xml", nil},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			test.NewTempApp(t)
			r := NewReview(nil)
			r.SetItems(tt.items)
			w := test.NewTempWindow(t, r.Content())
			w.Resize(fyne.NewSize(480, 560))
			test.AssertRendersToMarkup(t, tt.golden, w.Canvas())
		})
	}
}

func TestReviewRetry(t *testing.T) {
	test.NewTempApp(t)
	var got []int64
	r := NewReview(func(id int64) { got = append(got, id) })
	r.SetItems(reviewItems())
	if len(r.retry) != 1 || r.retry[2] == nil {
		t.Fatalf("retry buttons = %v, want one for id 2", r.retry)
	}
	test.Tap(r.retry[2])
	if len(got) != 1 || got[0] != 2 {
		t.Errorf("onRetry ids = %v, want [2]", got)
	}
	if want := "2 waiting to reach Clio · 1 refused by Clio"; r.count.Text != want {
		t.Errorf("count = %q, want %q", r.count.Text, want)
	}

	r.SetItems(nil)
	if len(r.retry) != 0 || r.count.Text != "Nothing waiting" {
		t.Errorf("after SetItems(nil): retry %d, count %q; want 0, %q", len(r.retry), r.count.Text, "Nothing waiting")
	}
	if l, ok := r.list.Objects[0].(*widget.Label); !ok || l.Text != emptyReview {
		t.Errorf("empty list = %#v, want label %q", r.list.Objects[0], emptyReview)
	}
}

func TestPlainError(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"clio: auth error 401: invalid_token", "Clio sign-in has expired. Sign in again and the call will sync."},
		{"queue: auth required", "Clio sign-in has expired. Sign in again and the call will sync."},
		{"clio: 403 Forbidden", "Clio refused this entry: your Clio user lacks permission for it."},
		{"clio: rate limited 429, retry after 30s", "Clio asked us to slow down. It will retry shortly."},
		{"clio: 422 Unprocessable Entity: matter is closed", "Clio rejected the entry as invalid, for example a closed or deleted matter."},
		{"clio: 404 Not Found", "Clio could not find the contact or matter. It may have been deleted."},
		{"Post \"https://app.clio.com/api/v4/communications\": dial tcp: lookup app.clio.com: no such host", "Could not reach Clio. It will retry when you are back online."},
		{"context deadline exceeded", "Could not reach Clio. It will retry when you are back online."},
		{"clio: 503 Service Unavailable", "Clio had a server problem. It will retry shortly."},
		{"something odd", "Could not log this to Clio."},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := PlainError(tt.in); got != tt.want {
				t.Errorf("PlainError(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzPlainError(f *testing.F) {
	for _, s := range []string{"", "clio: auth error 401", "clio: 422 x", "dial tcp", "clio: 503", "odd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := PlainError(s)
		if (got == "") != (s == "" || strings.TrimSpace(s) == "") {
			t.Errorf("PlainError(%q) = %q, want empty only for blank input", s, got)
		}
	})
}
