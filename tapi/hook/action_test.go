package hook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/calldocket/calldocket/tapi"
)

var parseActionQueryTests = []struct {
	name      string
	in        string
	want      Request
	wantToken string
	wantErr   bool
}{
	{
		name:      "documented shape",
		in:        "state=ringing&number=%2B12125550123&id=abc-1&token=t0k",
		want:      Request{State: "ringing", Number: "+12125550123", ID: "abc-1"},
		wantToken: "t0k",
	},
	{
		name:      "yealink incoming call, raw plus and spaces encoded",
		in:        "state=incoming_call&remote=+12125550123&display_remote=Jane+Client&call_id=33093&token=t0k",
		want:      Request{State: "ringing", Direction: "in", Number: "+12125550123", Name: "Jane Client", ID: "33093"},
		wantToken: "t0k",
	},
	{
		name:      "snom outgoing with sip uri and call-id",
		in:        "event=outgoing&remote=sip:%2B12125550123@pbx.example.com&call-id=5f2a@10.0.0.9&key=t0k",
		want:      Request{State: "ringing", Direction: "out", Number: "sip:+12125550123@pbx.example.com", ID: "5f2a@10.0.0.9"},
		wantToken: "t0k",
	},
	{
		name:      "established",
		in:        "STATE=Established&Number=2125550123&token=t0k",
		want:      Request{State: "answered", Number: "2125550123"},
		wantToken: "t0k",
	},
	{
		name:      "missed implies inbound",
		in:        "state=missed&number=2125550123&token=t0k",
		want:      Request{State: "ended", Direction: "in", Number: "2125550123"},
		wantToken: "t0k",
	},
	{
		name:      "rejected implies inbound and the reason",
		in:        "event=rejected&number=2125550123&call_id=c7&token=t0k",
		want:      Request{State: "ended", Direction: "in", Number: "2125550123", ID: "c7", Reason: "rejected"},
		wantToken: "t0k",
	},
	{
		name:      "declined",
		in:        "state=Declined&number=2125550123&token=t0k",
		want:      Request{State: "ended", Direction: "in", Number: "2125550123", Reason: "rejected"},
		wantToken: "t0k",
	},
	{
		name:      "terminated with an explicit reason",
		in:        "state=terminated&cause=declined&id=c1&token=t0k",
		want:      Request{State: "ended", ID: "c1", Reason: "declined"},
		wantToken: "t0k",
	},
	{
		name:      "explicit direction wins",
		in:        "state=outgoing&direction=in&number=1&token=t0k",
		want:      Request{State: "ringing", Direction: "in", Number: "1"},
		wantToken: "t0k",
	},
	{
		name:      "unreplaced variables count as absent",
		in:        "state=terminated&number=$remote&name=$display_remote&id=c1&token=t0k",
		want:      Request{State: "ended", ID: "c1"},
		wantToken: "t0k",
	},
	{
		name:      "display form number",
		in:        "state=ringing&number=%22Jane%22%20%3Csip:%2B12125550123@pbx%3E&token=t0k",
		want:      Request{State: "ringing", Number: "sip:+12125550123@pbx"},
		wantToken: "t0k",
	},
	{
		name:      "first of repeated parameters wins",
		in:        "state=ringing&state=ended&number=1&number=2&token=a&token=b",
		want:      Request{State: "ringing", Number: "1"},
		wantToken: "a",
	},
	{
		name:      "bad escape taken literally",
		in:        "state=ringing&number=12%zz&token=t0k",
		want:      Request{State: "ringing", Number: "12%zz"},
		wantToken: "t0k",
	},
	{
		name: "unknown state passed through for Event to refuse",
		in:   "state=holding&number=1",
		want: Request{State: "holding", Number: "1"},
	},
	{name: "empty", in: "", want: Request{}},
	{name: "too long", in: "number=" + strings.Repeat("1", MaxActionQueryLen), wantErr: true},
}

func TestParseActionQuery(t *testing.T) {
	for _, tt := range parseActionQueryTests {
		t.Run(tt.name, func(t *testing.T) {
			got, token, err := ParseActionQuery(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseActionQuery(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrActionQueryTooLong) {
					t.Errorf("ParseActionQuery(%q) error = %v, want ErrActionQueryTooLong", tt.in, err)
				}
				return
			}
			if got != tt.want || token != tt.wantToken {
				t.Errorf("ParseActionQuery(%q) = %+v, %q, want %+v, %q", tt.in, got, token, tt.want, tt.wantToken)
			}
		})
	}
}

func FuzzParseActionQuery(f *testing.F) {
	for _, tt := range parseActionQueryTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, q string) {
		r, token, err := ParseActionQuery(q)
		if err != nil {
			if len(q) <= MaxActionQueryLen {
				t.Fatalf("ParseActionQuery(%q) error = %v for a short query", q, err)
			}
			return
		}
		if len(token) > len(q) {
			t.Fatalf("ParseActionQuery(%q) token longer than the query", q)
		}
		ev, err := r.Event(now)
		if err != nil {
			return
		}
		if err := ev.Validate(); err != nil {
			t.Fatalf("ParseActionQuery(%q).Event() = %+v, which does not validate: %v", q, ev, err)
		}
		if !utf8.ValidString(ev.Remote) || !utf8.ValidString(ev.RemoteName) || !utf8.ValidString(ev.CallID) {
			t.Fatalf("ParseActionQuery(%q).Event() = %+v with invalid UTF-8", q, ev)
		}
	})
}

func TestNewActionServerValidates(t *testing.T) {
	tests := []struct {
		addr, token string
		wantErr     error
	}{
		{"127.0.0.1:8089", "t", nil},
		{"192.168.1.20:8089", "t", nil},
		{":8089", "t", nil},
		{"localhost:8089", "t", nil},
		{"[::1]:8089", "t", nil},
		{"127.0.0.1:8089", "", ErrNoToken},
		{"127.0.0.1", "t", ErrBadAddr},
		{"phone.example.com:8089", "t", ErrBadAddr},
		{"", "t", nil}, // DefaultActionAddr
		{"127.0.0.1:99999", "t", ErrBadAddr},
	}
	for _, tt := range tests {
		t.Run(tt.addr+"/"+tt.token, func(t *testing.T) {
			_, err := NewActionServer(tt.addr, tt.token, nil)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("NewActionServer(%q, %q) error = %v, want %v", tt.addr, tt.token, err, tt.wantErr)
			}
		})
	}
}

// runningAction starts an ActionServer on a free loopback port and returns
// its base URL and the channel of emitted events.
func runningAction(t *testing.T) (string, <-chan tapi.Event) {
	t.Helper()
	a, err := NewActionServer("127.0.0.1:0", testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.now = func() time.Time { return now }
	events := make(chan tapi.Event, 16)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, func(ev tapi.Event) { events <- ev }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run() = %v, want context.Canceled", err)
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		a.mu.Lock()
		addr, ready := a.listened, a.queue != nil
		a.mu.Unlock()
		if addr != nil && ready {
			return "http://" + addr.String(), events
		}
		if time.Now().After(deadline) {
			t.Fatal("action server did not start")
		}
		time.Sleep(time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestActionServer(t *testing.T) {
	base, events := runningAction(t)
	tests := []struct {
		name     string
		path     string
		wantCode int
		want     *tapi.Event
	}{
		{"yealink incoming", ActionPath + "?state=incoming_call&remote=%2B12125550123&display_remote=Jane%20Client&call_id=7&token=" + testSecret,
			http.StatusOK, &tapi.Event{Source: ActionSourceName, CallID: "7", State: tapi.StateRinging, Direction: tapi.DirectionIn,
				Remote: "+12125550123", RemoteName: "Jane Client", At: now}},
		{"snom disconnected by id", ActionPath + "?event=disconnected&remote=$remote&call-id=7&key=" + testSecret,
			http.StatusOK, &tapi.Event{Source: ActionSourceName, CallID: "7", State: tapi.StateEnded, Direction: tapi.DirectionIn, At: now}},
		{"wrong token", ActionPath + "?state=ringing&number=1&token=nope", http.StatusForbidden, nil},
		{"token prefix", ActionPath + "?state=ringing&number=1&token=" + testSecret[:3], http.StatusForbidden, nil},
		{"no token", ActionPath + "?state=ringing&number=1", http.StatusForbidden, nil},
		{"bad state", ActionPath + "?state=holding&number=1&token=" + testSecret, http.StatusBadRequest, nil},
		{"no number", ActionPath + "?state=ringing&token=" + testSecret, http.StatusBadRequest, nil},
		{"other path", "/v1/event?state=ringing&number=1&token=" + testSecret, http.StatusNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, base+tt.path)
			if code != tt.wantCode {
				t.Fatalf("GET %s = %d %q, want %d", tt.path, code, body, tt.wantCode)
			}
			if tt.want == nil {
				return
			}
			// The answer comes once the event was emitted (recorded).
			select {
			case got := <-events:
				if got != *tt.want {
					t.Errorf("emitted %+v, want %+v", got, *tt.want)
				}
			default:
				t.Fatal("action URL answered before its event was emitted")
			}
		})
	}
	select {
	case got := <-events:
		t.Errorf("unexpected event emitted: %+v", got)
	default:
	}
}

func TestActionServerNotRunning(t *testing.T) {
	a, err := NewActionServer("127.0.0.1:0", testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a.Handler())
	defer hs.Close()
	if code, _ := get(t, hs.URL+ActionPath+"?state=ringing&number=1&token="+testSecret); code != http.StatusServiceUnavailable {
		t.Errorf("GET before Run = %d, want 503", code)
	}
	if a.Addr() != nil {
		t.Errorf("Addr() before Run = %v, want nil", a.Addr())
	}
}

func TestActionServerAddressInUse(t *testing.T) {
	base, _ := runningAction(t)
	a, err := NewActionServer(strings.TrimPrefix(base, "http://"), testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Run(t.Context(), func(tapi.Event) {}); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("Run() on a busy address = %v, want a listen error", err)
	}
}
