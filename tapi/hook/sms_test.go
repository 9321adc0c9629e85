package hook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

func TestRequestSMS(t *testing.T) {
	tests := []struct {
		name    string
		in      Request
		want    tapi.Message
		wantErr string
	}{
		{
			name: "received",
			in:   Request{Kind: "sms", Number: "sip:+12125550123@pbx", Name: " Jane ", Text: " Running late,\nsee you at 3 ", ID: "m1"},
			want: tapi.Message{Source: "hook", ID: "m1", Direction: tapi.DirectionIn, Remote: "+12125550123",
				RemoteName: "Jane", Text: "Running late,\nsee you at 3", At: now},
		},
		{
			name: "sent, kind case-insensitive",
			in:   Request{Kind: "SMS", Number: "2125550123", Text: "ok", Direction: "out"},
			want: tapi.Message{Source: "hook", Direction: tapi.DirectionOut, Remote: "2125550123", Text: "ok", At: now},
		},
		{name: "kind call refused", in: Request{Kind: "call", Number: "1", Text: "x"}, wantErr: `kind is not "sms"`},
		{name: "no text", in: Request{Kind: "sms", Number: "1", Text: "  "}, wantErr: "text is required"},
		{name: "no number", in: Request{Kind: "sms", Text: "x"}, wantErr: "number is required"},
		{name: "control character in text", in: Request{Kind: "sms", Number: "1", Text: "a\x00b"},
			wantErr: "text contains a control character"},
		{name: "text too long", in: Request{Kind: "sms", Number: "1", Text: strings.Repeat("x", MaxTextLen+1)},
			wantErr: "text is too long (at most 2000 characters)"},
		{name: "bad direction", in: Request{Kind: "sms", Number: "1", Text: "x", Direction: "sideways"},
			wantErr: `direction: invalid call direction "sideways"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.SMS(now)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("SMS(%+v) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("SMS(%+v) error = %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("SMS(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestRequestEventRefusesSMS(t *testing.T) {
	_, err := Request{Kind: "sms", State: "ringing", Number: "1"}.Event(now)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "kind" || !errors.Is(err, ErrWrongKind) {
		t.Errorf("Event(kind sms) error = %v, want a kind FieldError", err)
	}
	if _, err := (Request{Kind: "Call", State: "ringing", Number: "1"}).Event(now); err != nil {
		t.Errorf("Event(kind Call) error = %v, want nil", err)
	}
}

func TestParseURLMessage(t *testing.T) {
	got, err := ParseURL("calldocket://message?number=+12125550123&text=See+you+at+3&name=Jane")
	want := Request{Kind: "sms", Number: "+12125550123", Text: "See you at 3", Name: "Jane"}
	if err != nil || got != want {
		t.Errorf("ParseURL(message) = %+v, %v, want %+v", got, err, want)
	}
	got, _ = ParseURL("calldocket://call?number=1&text=ignored")
	if got.Text != "" || got.Kind != "" {
		t.Errorf("ParseURL(call with text) = %+v, want no text and no kind", got)
	}
}

func TestServerMessages(t *testing.T) {
	s := NewServer(testSecret, nil)
	s.now = func() time.Time { return now }
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	sms := `{"kind":"sms","number":"+12125550123","text":"hello"}`

	// Before RunMessages: 503, even while Run is active for calls.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	calls := make(chan tapi.Event, 4)
	go s.Run(ctx, func(ev tapi.Event) { calls <- ev })
	waitRunning(t, s)
	if code, _ := post(t, hs.URL, "Bearer "+testSecret, sms); code != http.StatusServiceUnavailable {
		t.Errorf("POST sms before RunMessages = %d, want 503", code)
	}

	msgs := make(chan tapi.Message, 4)
	done := make(chan error, 1)
	go func() { done <- s.RunMessages(ctx, func(m tapi.Message) { msgs <- m }) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		ok := s.msgs != nil
		s.mu.Unlock()
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("RunMessages did not start")
		}
		time.Sleep(time.Millisecond)
	}
	if err := s.RunMessages(ctx, func(tapi.Message) {}); !errors.Is(err, ErrRunning) {
		t.Errorf("second RunMessages() = %v, want ErrRunning", err)
	}
	if code, body := post(t, hs.URL, "Bearer "+testSecret, sms); code != http.StatusAccepted {
		t.Fatalf("POST sms = %d %v, want 202", code, body)
	}
	if code, body := post(t, hs.URL, "Bearer "+testSecret, `{"kind":"sms","number":"1"}`); code != http.StatusBadRequest ||
		body["error"] != "text is required" {
		t.Errorf("POST sms without text = %d %v, want 400 text is required", code, body)
	}
	if code, _ := post(t, hs.URL, "Bearer nope", sms); code != http.StatusUnauthorized {
		t.Errorf("POST sms with a wrong secret = %d, want 401", code)
	}
	select {
	case got := <-msgs:
		want := tapi.Message{Source: "hook", Direction: tapi.DirectionIn, Remote: "+12125550123", Text: "hello", At: now}
		if got != want {
			t.Errorf("emitted %+v, want %+v", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("accepted message was not emitted")
	}
	select {
	case ev := <-calls:
		t.Errorf("a message reached the call feed: %+v", ev)
	default:
	}
	// Post carries Kind and Text too.
	if err := Post(t.Context(), hs.URL, testSecret, Request{Kind: KindSMS, Number: "2125550123", Text: "via Post"}); err != nil {
		t.Errorf("Post(sms) = %v, want nil", err)
	}
	if got := <-msgs; got.Text != "via Post" {
		t.Errorf("emitted %+v, want the posted text", got)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("RunMessages() = %v, want context.Canceled", err)
	}
}
