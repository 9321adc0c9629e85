package hook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

const testSecret = "s3cret-token"

// running starts a Server with Run active behind a real HTTP test server
// and returns it with the channel its events are emitted to.
func running(t *testing.T) (*Server, *httptest.Server, <-chan tapi.Event) {
	t.Helper()
	s := NewServer(testSecret, nil)
	s.now = func() time.Time { return now }
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	events := make(chan tapi.Event, 16)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, func(ev tapi.Event) { events <- ev }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run() = %v, want context.Canceled", err)
		}
	})
	waitRunning(t, s)
	return s, hs, events
}

func waitRunning(t *testing.T, s *Server) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		ok := s.queue != nil
		s.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("Run did not start")
		}
		time.Sleep(time.Millisecond)
	}
}

func post(t *testing.T, url, auth, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+Path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("response %d body %q is not JSON: %v", resp.StatusCode, data, err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	return resp.StatusCode, v
}

func TestServerResponses(t *testing.T) {
	_, hs, events := running(t)
	good := `{"state":"ringing","number":"+12125550123","name":"Jane Client"}`
	tests := []struct {
		name      string
		auth      string
		body      string
		wantCode  int
		wantError string // the "error" member, "" when none is expected
	}{
		{"accepted", "Bearer " + testSecret, good, http.StatusAccepted, ""},
		{"scheme is case-insensitive", "bearer " + testSecret, good, http.StatusAccepted, ""},
		{"missing auth", "", good, http.StatusUnauthorized, "unauthorized"},
		{"wrong secret", "Bearer nope", good, http.StatusUnauthorized, "unauthorized"},
		{"secret prefix only", "Bearer " + testSecret[:4], good, http.StatusUnauthorized, "unauthorized"},
		{"basic auth", "Basic " + testSecret, good, http.StatusUnauthorized, "unauthorized"},
		{"bad JSON", "Bearer " + testSecret, `{"state":`, http.StatusBadRequest, "malformed JSON body"},
		{"wrong JSON type", "Bearer " + testSecret, `{"state":1}`, http.StatusBadRequest, "malformed JSON body"},
		{"trailing data", "Bearer " + testSecret, good + `{}`, http.StatusBadRequest, "unexpected data after the JSON body"},
		{"invalid request", "Bearer " + testSecret, `{"state":"ringing"}`, http.StatusBadRequest, "number is required"},
		{"body too large", "Bearer " + testSecret,
			`{"state":"ringing","number":"1","name":"` + strings.Repeat("x", MaxBodyBytes) + `"}`,
			http.StatusRequestEntityTooLarge, "request body too large"},
	}
	accepted := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(t, hs.URL, tt.auth, tt.body)
			if code != tt.wantCode {
				t.Fatalf("POST %s = %d %v, want %d", Path, code, body, tt.wantCode)
			}
			if tt.wantError != "" && body["error"] != tt.wantError {
				t.Errorf("POST %s error = %v, want %q", Path, body["error"], tt.wantError)
			}
			if code == http.StatusAccepted {
				accepted++
				if body["ok"] != true {
					t.Errorf("POST %s body = %v, want ok:true", Path, body)
				}
			}
		})
	}

	want := tapi.Event{Source: "hook", State: tapi.StateRinging, Direction: tapi.DirectionIn,
		Remote: "+12125550123", RemoteName: "Jane Client", At: now}
	for range accepted {
		select {
		case got := <-events:
			if got != want {
				t.Errorf("emitted %+v, want %+v", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("accepted event was not emitted")
		}
	}
	select {
	case got := <-events:
		t.Errorf("unexpected event emitted: %+v", got)
	default:
	}
}

func TestServerRoutes(t *testing.T) {
	_, hs, _ := running(t)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, hs.URL+Path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET %s = %d, want 405", Path, resp.StatusCode)
	}
	if code := postRaw(t, hs.URL+"/v1/other"); code != http.StatusNotFound {
		t.Errorf("POST /v1/other = %d, want 404", code)
	}
}

func postRaw(t *testing.T, url string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServerNotRunning(t *testing.T) {
	s := NewServer(testSecret, nil)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	code, body := post(t, hs.URL, "Bearer "+testSecret, `{"state":"ringing","number":"1"}`)
	if code != http.StatusServiceUnavailable {
		t.Errorf("POST before Run = %d %v, want 503", code, body)
	}
	// Authentication is still checked first.
	if code, _ := post(t, hs.URL, "", `{"state":"ringing","number":"1"}`); code != http.StatusUnauthorized {
		t.Errorf("POST before Run without auth = %d, want 401", code)
	}
}

func TestServerEmptySecretRefusesAll(t *testing.T) {
	s := NewServer("", nil)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	for _, auth := range []string{"", "Bearer ", "Bearer  "} {
		if code, _ := post(t, hs.URL, auth, `{"state":"ringing","number":"1"}`); code != http.StatusUnauthorized {
			t.Errorf("POST with %q to empty-secret server = %d, want 401", auth, code)
		}
	}
}

func TestServerQueueFullAnswers503(t *testing.T) {
	s := NewServer(testSecret, nil)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	block := make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(block) }) }
	defer unblock()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	emitted := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.Run(ctx, func(tapi.Event) {
			select {
			case emitted <- struct{}{}:
			default:
			}
			<-block
		})
	}()
	waitRunning(t, s)
	body := `{"state":"ringing","number":"1"}`
	// The first event is taken by Run and blocks in emit; then queueLen
	// more fill the buffer. Their requests wait for emit, so post them
	// concurrently.
	codes := make(chan int, queueLen+1)
	postAsync := func() {
		go func() {
			code, _ := post(t, hs.URL, "Bearer "+testSecret, body)
			codes <- code
		}()
	}
	postAsync()
	<-emitted
	for range queueLen {
		postAsync()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		n := len(s.queue)
		s.mu.Unlock()
		if n == queueLen {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue holds %d events, want %d", n, queueLen)
		}
		time.Sleep(time.Millisecond)
	}
	code, resp := post(t, hs.URL, "Bearer "+testSecret, body)
	if code != http.StatusServiceUnavailable {
		t.Errorf("POST with full queue = %d %v, want 503", code, resp)
	}
	unblock()
	for i := range queueLen + 1 {
		if code := <-codes; code != http.StatusAccepted {
			t.Errorf("queued POST %d = %d, want 202", i, code)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v, want context.Canceled", err)
	}
}

func TestServerSecondRunRefused(t *testing.T) {
	s, _, _ := running(t)
	if err := s.Run(t.Context(), func(tapi.Event) {}); !errors.Is(err, ErrRunning) {
		t.Errorf("second Run() = %v, want ErrRunning", err)
	}
}

func TestServerRunAgainAfterCancel(t *testing.T) {
	s := NewServer(testSecret, nil)
	for range 2 {
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx, func(tapi.Event) {}) }()
		waitRunning(t, s)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Run() = %v, want context.Canceled", err)
		}
	}
}
