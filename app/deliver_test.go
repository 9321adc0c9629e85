package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/queue"
)

// emulator serves the Clio emulator over real HTTP; wrap lets a test break
// requests on purpose.
func emulator(t testing.TB, wrap func(http.Handler) http.Handler) (*fake.Server, *clio.Client) {
	t.Helper()
	f, err := fake.NewServer(fake.SampleFirm(), fake.Options{Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	h := f.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { ts.Close(); f.Close() })
	c, err := clio.NewClient(clio.TokenHTTPClient(t.Context(), "tok"), ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

func testOutbox(t testing.TB) *queue.Outbox {
	t.Helper()
	ob, err := queue.Open(t.Context(), filepath.Join(t.TempDir(), "outbox.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ob.Close() })
	return ob
}

func sampleCall(f *fake.Server) queue.Item {
	firm := fake.SampleFirm()
	var contact, matter int64
	for _, m := range firm.Matters {
		if m.Status == clio.MatterOpen && m.Client != nil {
			contact, matter = m.Client.ID, m.ID
			break
		}
	}
	return queue.Item{
		Kind: queue.KindCall, Number: "+12125550142", Name: "Ann Lee", ContactID: contact, MatterID: matter,
		Direction: "in", StartedAt: time.Date(2026, 5, 4, 14, 3, 0, 0, time.UTC), DurationS: 252,
		Billable: true, Note: "lease", Source: "test",
	}
}

func TestDeliverCallWritesCommunicationAndTimeEntry(t *testing.T) {
	f, c := emulator(t, nil)
	ob := testOutbox(t)
	if _, err := ob.Enqueue(t.Context(), sampleCall(f)); err != nil {
		t.Fatal(err)
	}
	fl := queue.NewFlusher(ob, &clioDeliverer{c: c}, queue.FlusherOptions{})
	res, err := fl.Drain(t.Context(), true)
	if err != nil || res.Delivered != 1 {
		t.Fatalf("Drain = %+v, %v; want 1 delivered", res, err)
	}
	comms, acts := f.Communications(), f.Activities()
	if len(comms) != 1 || len(acts) != 1 {
		t.Fatalf("got %d communications, %d activities; want 1, 1", len(comms), len(acts))
	}
	cm, a := comms[0], acts[0]
	if cm.Type != clio.CommunicationPhone || cm.Subject != "Inbound call from Ann Lee (+12125550142)" {
		t.Errorf("communication = %+v", cm)
	}
	if len(cm.Senders) != 1 || cm.Senders[0].ID == 0 || len(cm.Receivers) != 1 || cm.Receivers[0].Type != clio.ParticipantUser {
		t.Errorf("senders %+v receivers %+v, want contact → user", cm.Senders, cm.Receivers)
	}
	if a.Quantity != 252 || a.NonBillable || a.Communication == nil || a.Communication.ID != cm.ID {
		t.Errorf("time entry = %+v, want 252 s billable linked to %d", a, cm.ID)
	}
}

// TestDeliverAdoptsAfterLostResponse: the first POST reaches Clio but the
// answer is lost (connection cut). The retry must find the communication by
// its event id and not post again; the time entry is then created once.
func TestDeliverAdoptsAfterLostResponse(t *testing.T) {
	var cut atomic.Bool
	cut.Store(true)
	f, c := emulator(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/communications.json") && cut.Swap(false) {
				h.ServeHTTP(httptest.NewRecorder(), r) // Clio writes it…
				hj, _ := w.(http.Hijacker)
				conn, _, _ := hj.Hijack()
				conn.Close() // …but the answer never arrives.
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	ob := testOutbox(t)
	if _, err := ob.Enqueue(t.Context(), sampleCall(f)); err != nil {
		t.Fatal(err)
	}
	fl := queue.NewFlusher(ob, &clioDeliverer{c: c}, queue.FlusherOptions{MinBackoff: time.Millisecond})
	for i := 0; i < 3; i++ {
		if _, err := fl.Drain(t.Context(), true); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.Communications()); n != 1 {
		t.Errorf("communications = %d, want exactly 1 after a lost response", n)
	}
	if n := len(f.Activities()); n != 1 {
		t.Errorf("activities = %d, want exactly 1", n)
	}
	items, _ := ob.List(t.Context(), queue.ListOptions{})
	if len(items) != 1 || items[0].State != queue.StateDelivered {
		t.Errorf("outbox = %+v, want delivered", items)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   error
		want func(error) bool
	}{
		{"rate limit", &clio.RateLimitError{RetryAfter: 7 * time.Second}, func(err error) bool {
			var r *queue.RetryError
			return errors.As(err, &r) && r.After == 7*time.Second
		}},
		{"auth", &clio.AuthError{StatusCode: 401, Code: "invalid_token"}, func(err error) bool { return errors.Is(err, queue.ErrAuth) }},
		{"validation", &clio.APIError{StatusCode: 422, Type: "RecordInvalid", Message: "This matter requires UTBMS codes"}, func(err error) bool {
			var p *queue.PermanentError
			return errors.As(err, &p) && strings.Contains(err.Error(), "UTBMS")
		}},
		{"server", &clio.APIError{StatusCode: 503}, func(err error) bool {
			var p *queue.PermanentError
			return !errors.As(err, &p) && err != nil
		}},
		{"nil", nil, func(err error) bool { return err == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.in); !tt.want(got) {
				t.Errorf("classify(%v) = %v", tt.in, got)
			}
		})
	}
}

var _ = context.Canceled
