package hook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

func TestPostAgainstServer(t *testing.T) {
	_, hs, events := running(t)

	r := Request{State: "answered", Number: "+12125550123", ID: "micro-1", Direction: "in"}
	if err := Post(t.Context(), hs.URL+"/", testSecret, r); err != nil {
		t.Fatalf("Post(%+v) = %v, want nil", r, err)
	}
	select {
	case got := <-events:
		want := tapi.Event{Source: "hook", CallID: "micro-1", State: tapi.StateAnswered, Direction: tapi.DirectionIn,
			Remote: "+12125550123", At: now}
		if got != want {
			t.Errorf("emitted %+v, want %+v", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("posted event was not emitted")
	}

	tests := []struct {
		name   string
		secret string
		r      Request
		check  func(error) bool
		want   string
	}{
		{"wrong secret", "nope", r, func(err error) bool { return errors.Is(err, ErrSecretRefused) },
			"the running CallDocket refused the secret"},
		{"rejected", testSecret, Request{State: "ringing"}, func(err error) bool {
			var re *RejectedError
			return errors.As(err, &re) && re.Reason == "number is required"
		}, "CallDocket rejected the event: number is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Post(t.Context(), hs.URL, tt.secret, tt.r)
			if err == nil || !tt.check(err) || err.Error() != tt.want {
				t.Errorf("Post(%+v) = %v, want %q", tt.r, err, tt.want)
			}
		})
	}
}

func TestPostServerNotRunning(t *testing.T) {
	hs := httptest.NewServer(NewServer(testSecret, nil).Handler())
	defer hs.Close()
	err := Post(t.Context(), hs.URL, testSecret, Request{State: "ringing", Number: "1"})
	if !errors.Is(err, ErrUnavailable) {
		t.Errorf("Post() to idle server = %v, want ErrUnavailable", err)
	}
}

func TestPostOtherStatus(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer hs.Close()
	err := Post(t.Context(), hs.URL, testSecret, Request{State: "ringing", Number: "1"})
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusInternalServerError {
		t.Errorf("Post() to failing server = %v, want *StatusError 500", err)
	}
}

func TestPostTimeout(t *testing.T) {
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hs.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	err := Post(ctx, hs.URL, testSecret, Request{State: "ringing", Number: "1"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Post() to hanging server = %v, want context.DeadlineExceeded", err)
	}
}

func TestPostConnectionRefused(t *testing.T) {
	hs := httptest.NewServer(http.NotFoundHandler())
	url := hs.URL
	hs.Close()
	if err := Post(t.Context(), url, testSecret, Request{State: "ringing", Number: "1"}); err == nil {
		t.Error("Post() to closed port = nil, want an error")
	}
}

// TestPostDeclinedCall: the reason travels through the loopback link.
func TestPostDeclinedCall(t *testing.T) {
	_, hs, events := running(t)
	r := Request{State: "ended", ID: "micro-2", Reason: "declined"}
	if err := Post(t.Context(), hs.URL, testSecret, r); err != nil {
		t.Fatalf("Post(%+v) = %v, want nil", r, err)
	}
	select {
	case got := <-events:
		if got.State != tapi.StateEnded || got.CallID != "micro-2" || got.Reason != tapi.EndRejected {
			t.Errorf("emitted %+v, want ended micro-2 with reason rejected", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("posted event was not emitted")
	}
}
