package hook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// TestServerAnswersOnceRecorded: the 202 comes after emit returned, so a
// crash of the app right after the answer loses nothing (the CLI would
// otherwise report success for an event that was never recorded). Emit
// holds the event until the answer arrives or 300 ms pass: an early
// answer is seen; a correct server always takes the 300 ms.
func TestServerAnswersOnceRecorded(t *testing.T) {
	tests := []struct {
		name string
		body string
		run  func(s *Server, ctx context.Context, emit func()) error
	}{
		{"call event", `{"state":"ringing","number":"+12125550123","id":"c1"}`,
			func(s *Server, ctx context.Context, emit func()) error {
				return s.Run(ctx, func(tapi.Event) { emit() })
			}},
		{"text message", `{"kind":"sms","number":"+12125550123","text":"hi"}`,
			func(s *Server, ctx context.Context, emit func()) error {
				return s.RunMessages(ctx, func(tapi.Message) { emit() })
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(testSecret, nil)
			hs := httptest.NewServer(s.Handler())
			defer hs.Close()
			var answered, early, recorded atomic.Bool
			answer := make(chan struct{})
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() {
				done <- tt.run(s, ctx, func() {
					select {
					case <-answer:
						early.Store(true)
					case <-time.After(300 * time.Millisecond):
					}
					recorded.Store(true)
				})
			}()
			deadline := time.Now().Add(5 * time.Second)
			for {
				s.mu.Lock()
				ok := s.queue != nil || s.msgs != nil
				s.mu.Unlock()
				if ok {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("Run did not start")
				}
				time.Sleep(time.Millisecond)
			}
			code, resp := post(t, hs.URL, "Bearer "+testSecret, tt.body)
			answered.Store(true)
			close(answer)
			if code != http.StatusAccepted {
				t.Fatalf("POST = %d %v, want 202", code, resp)
			}
			if early.Load() || !recorded.Load() {
				t.Errorf("answered before emit returned (early %v, recorded %v)", early.Load(), recorded.Load())
			}
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("Run = %v, want context.Canceled", err)
			}
		})
	}
}

// TestServerDropAtShutdownAnswers503: an event still queued when Run stops
// is never emitted, and its request hears so instead of a false 202.
func TestServerDropAtShutdownAnswers503(t *testing.T) {
	s := NewServer(testSecret, nil)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	block := make(chan struct{})
	entered := make(chan struct{}, 1)
	var emitted atomic.Int32
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- s.Run(ctx, func(tapi.Event) {
			emitted.Add(1)
			entered <- struct{}{}
			<-block
		})
	}()
	waitRunning(t, s)
	codes := make(chan int, 2)
	go func() {
		code, _ := post(t, hs.URL, "Bearer "+testSecret, `{"state":"ringing","number":"+12125550123","id":"a"}`)
		codes <- code
	}()
	<-entered
	go func() {
		code, _ := post(t, hs.URL, "Bearer "+testSecret, `{"state":"ringing","number":"+12125550124","id":"b"}`)
		codes <- code
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		n := len(s.queue)
		s.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second event was never queued")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	close(block)
	got := map[int]int{}
	got[<-codes]++
	got[<-codes]++
	if got[http.StatusAccepted] != 1 || got[http.StatusServiceUnavailable] != 1 {
		t.Errorf("answers = %v, want one 202 (emitted) and one 503 (dropped)", got)
	}
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	if n := emitted.Load(); n != 1 {
		t.Errorf("emitted %d events, want 1", n)
	}
}
