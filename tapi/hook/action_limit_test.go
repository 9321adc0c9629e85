package hook

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestActionServerRefusalsRateLimited: 1,000 requests without the token
// write one warning, not 1,000; a minute later one summary line counts
// them.
func TestActionServerRefusalsRateLimited(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, err := NewActionServer("127.0.0.1:0", testSecret, logger)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	clock := now
	a.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	hs := httptest.NewServer(a.Handler())
	defer hs.Close()
	for i := range 1000 {
		path := ActionPath + "?state=ringing&number=12125550123&token=forged"
		if i%2 == 1 {
			path = ActionPath + "?state=ringing&number=12125550123"
		}
		if code, _ := get(t, hs.URL+path); code != http.StatusForbidden {
			t.Fatalf("request %d = %d, want 403", i, code)
		}
	}
	if n := len(logs.String()); n > 2048 {
		t.Errorf("1,000 refused requests wrote %d bytes of log, want under 2 KB", n)
	}
	if n := strings.Count(logs.String(), "refused"); n != 1 {
		t.Errorf("log has %d refusal lines after 1,000 requests, want 1", n)
	}
	mu.Lock()
	clock = clock.Add(refusalLogEvery)
	mu.Unlock()
	get(t, hs.URL+ActionPath+"?token=nope")
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "count=1000") {
		t.Errorf("log after a minute has %d lines, last %q; want 2, the second with count=1000 (999 held back + this one)", len(lines), lines[len(lines)-1])
	}
	if strings.Contains(logs.String(), "12125550123") || strings.Contains(logs.String(), "forged") {
		t.Errorf("log has the number or the token sent: %s", logs.String())
	}
}

// TestActionServerRefusalSummaryFlushed: refusals held back are counted in
// a line when Run stops, so none go unreported.
func TestActionServerRefusalSummaryFlushed(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, err := NewActionServer("127.0.0.1:0", testSecret, logger)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, func(tapi.Event) {}) }()
	base := waitListening(t, a)
	for range 5 {
		get(t, base+ActionPath+"?token=nope")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run() = %v", err)
	}
	if !strings.Contains(logs.String(), "count=4") {
		t.Errorf("log after Run stopped = %q, want a summary with count=4", logs.String())
	}
}

// TestActionServerDefaultsToLoopback: an address without a host
// (":8089") listens on 127.0.0.1 only, never on every interface.
func TestActionServerDefaultsToLoopback(t *testing.T) {
	for _, addr := range []string{":0", "localhost:0", "127.0.0.1:0"} {
		t.Run(addr, func(t *testing.T) {
			a, err := NewActionServer(addr, testSecret, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- a.Run(ctx, func(tapi.Event) {}) }()
			waitListening(t, a)
			tcp, ok := a.Addr().(*net.TCPAddr)
			if !ok || !tcp.IP.IsLoopback() {
				t.Errorf("NewActionServer(%q) listens on %v, want a loopback address", addr, a.Addr())
			}
			cancel()
			<-done
		})
	}
}

func TestActionListenAddr(t *testing.T) {
	tests := []struct {
		in, want string
		lan      bool
		ok       bool
	}{
		{"", DefaultActionAddr, false, true},
		{"  ", DefaultActionAddr, false, true},
		{":18089", "127.0.0.1:18089", false, true},
		{"127.0.0.1:8089", "127.0.0.1:8089", false, true},
		{"localhost:8089", "localhost:8089", false, true},
		{"[::1]:8089", "[::1]:8089", false, true},
		{"192.168.1.20:8089", "192.168.1.20:8089", true, true},
		{"0.0.0.0:8089", "0.0.0.0:8089", true, true},
		{"[::]:8089", "[::]:8089", true, true},
		{"phone.example.com:8089", "", false, false},
		{"127.0.0.1", "", false, false},
		{"127.0.0.1:http", "", false, false},
		{"127.0.0.1:70000", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, lan, err := ActionListenAddr(tt.in)
			if (err == nil) != tt.ok || got != tt.want || lan != tt.lan {
				t.Errorf("ActionListenAddr(%q) = %q, %v, %v; want %q, %v, ok %v", tt.in, got, lan, err, tt.want, tt.lan, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrBadAddr) {
				t.Errorf("ActionListenAddr(%q) error = %v, want ErrBadAddr", tt.in, err)
			}
		})
	}
}

func waitListening(t *testing.T, a *ActionServer) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		a.mu.Lock()
		addr, ready := a.listened, a.queue != nil
		a.mu.Unlock()
		if addr != nil && ready {
			return "http://" + addr.String()
		}
		if time.Now().After(deadline) {
			t.Fatal("action server did not start")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestServerRefusalsRateLimited: the loopback hook, which any web page can
// make the browser post to, logs one line for 1,000 requests without the
// secret.
func TestServerRefusalsRateLimited(t *testing.T) {
	var logs syncBuffer
	s := NewServer(testSecret, slog.New(slog.NewTextHandler(&logs, nil)))
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	for i := range 1000 {
		if code, _ := post(t, hs.URL, "Bearer forged", `{"state":"ringing","number":"12125550123"}`); code != http.StatusUnauthorized {
			t.Fatalf("request %d = %d, want 401", i, code)
		}
	}
	if n := strings.Count(logs.String(), "\n"); n != 1 {
		t.Fatalf("log has %d lines for 1,000 refusals, want 1:\n%.600s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "hook request refused") {
		t.Fatalf("log = %q, want it to name the hook", logs.String())
	}
}
