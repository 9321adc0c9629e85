package ami

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// fakeAMI is a tiny Asterisk manager: it greets, checks the login, answers
// pings, and replays one transcript per connection in random chunk sizes.
// After the transcript it keeps the connection open, unless dropAfter says
// to close it.
type fakeAMI struct {
	t           *testing.T
	ln          net.Listener
	user, pass  string
	transcripts [][]byte // one per connection, in order; later connections get nothing
	dropAfter   []bool   // close the connection once its transcript is sent
	seed        uint64

	// noChallenge answers the Challenge action with an error, as a server
	// without MD5 login would; requireMD5 refuses the plain login.
	noChallenge, requireMD5 bool

	mu         sync.Mutex
	logins     []Frame
	challenges int
	pings      int
}

// fakeChallenge is the challenge fakeAMI hands out (Asterisk's are decimal
// numbers from ast_random).
const fakeChallenge = "840415273"

// login answers Challenge actions until a Login comes, and says whether
// the login succeeded (it has answered it either way).
func (f *fakeAMI) login(r *Reader, write func([]byte) error) (Frame, bool) {
	challenged := false
	for {
		a, err := r.Next()
		if err != nil {
			return nil, false
		}
		id := a.Get("ActionID")
		switch a.Get("Action") {
		case "Challenge":
			f.mu.Lock()
			f.challenges++
			f.mu.Unlock()
			if f.noChallenge || !strings.EqualFold(a.Get("AuthType"), "md5") {
				if write([]byte("Response: Error\r\nActionID: "+id+"\r\nMessage: Must specify AuthType\r\n\r\n")) != nil {
					return nil, false
				}
				continue
			}
			challenged = true
			if write([]byte("Response: Success\r\nActionID: "+id+"\r\nChallenge: "+fakeChallenge+"\r\n\r\n")) != nil {
				return nil, false
			}
		case "Login":
			f.mu.Lock()
			f.logins = append(f.logins, a)
			f.mu.Unlock()
			ok := a.Get("Username") == f.user
			if strings.EqualFold(a.Get("AuthType"), "md5") {
				ok = ok && challenged && a.Get("Key") == md5Key(fakeChallenge, f.pass)
			} else {
				ok = ok && !f.requireMD5 && a.Get("Secret") == f.pass
			}
			if !ok {
				_ = write([]byte("Response: Error\r\nActionID: " + id + "\r\nMessage: Authentication failed\r\n\r\n"))
				return nil, false
			}
			return a, true
		default:
			if write([]byte("Response: Error\r\nActionID: "+id+"\r\nMessage: Authentication Required\r\n\r\n")) != nil {
				return nil, false
			}
		}
	}
}

func newFakeAMI(t *testing.T, user, pass string, files ...string) *fakeAMI {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return newFakeAMIOn(t, ln, user, pass, files...)
}

// newFakeAMIOn serves on ln (a TLS listener, say), which it closes at the
// end of the test.
func newFakeAMIOn(t *testing.T, ln net.Listener, user, pass string, files ...string) *fakeAMI {
	t.Helper()
	f := &fakeAMI{t: t, ln: ln, user: user, pass: pass, seed: 1}
	for _, name := range files {
		f.transcripts = append(f.transcripts, wire(t, name))
	}
	t.Cleanup(func() { ln.Close() })
	go f.serve()
	return f
}

func (f *fakeAMI) addr() string { return f.ln.Addr().String() }

func (f *fakeAMI) serve() {
	for n := 0; ; n++ {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		go f.handle(c, n)
	}
}

func (f *fakeAMI) handle(c net.Conn, n int) {
	defer c.Close()
	var wmu sync.Mutex
	write := func(b []byte) error {
		wmu.Lock()
		defer wmu.Unlock()
		_, err := c.Write(b)
		return err
	}
	if write([]byte("Asterisk Call Manager/5.0.2\r\n")) != nil {
		return
	}
	r := NewReader(c)
	login, ok := f.login(r, write)
	if !ok {
		return
	}
	id := login.Get("ActionID")
	// An unrelated event may precede the response.
	_ = write([]byte("Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n"))
	if write([]byte("Response: Success\r\nActionID: "+id+"\r\nMessage: Authentication accepted\r\n\r\n")) != nil {
		return
	}
	done := make(chan struct{})
	go func() { // answer actions (pings) until the client goes away
		defer close(done)
		for {
			a, err := r.Next()
			if err != nil {
				return
			}
			if a.Get("Action") == "Ping" {
				f.mu.Lock()
				f.pings++
				f.mu.Unlock()
				_ = write([]byte("Response: Success\r\nActionID: " + a.Get("ActionID") + "\r\nPing: Pong\r\nTimestamp: 1709370000.000000\r\n\r\n"))
			}
		}
	}()
	if n < len(f.transcripts) {
		rng := rand.New(rand.NewPCG(f.seed, uint64(n)))
		data := f.transcripts[n]
		for len(data) > 0 {
			k := min(len(data), 1+rng.IntN(97))
			if write(data[:k]) != nil {
				return
			}
			data = data[k:]
			if rng.IntN(4) == 0 {
				time.Sleep(time.Millisecond) // let the client see a partial frame
			}
		}
		if n < len(f.dropAfter) && f.dropAfter[n] {
			return
		}
	}
	<-done
}

// collect runs src and returns a channel of its events and a stop function
// that returns Run's error.
func collect(t *testing.T, src *Source) (<-chan tapi.Event, func() error) {
	t.Helper()
	events := make(chan tapi.Event, 64)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, func(ev tapi.Event) { events <- ev }) }()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() { stop() })
	return events, stop
}

func waitEvents(t *testing.T, events <-chan tapi.Event, n int) []tapi.Event {
	t.Helper()
	var got []tapi.Event
	for len(got) < n {
		select {
		case e := <-events:
			got = append(got, e)
		case <-time.After(5 * time.Second):
			t.Fatalf("got %d events %+v, want %d", len(got), got, n)
		}
	}
	return got
}

func TestSourceAgainstFakeAMI(t *testing.T) {
	for name, want := range wantByTranscript {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(name, func(t *testing.T) {
				srv := newFakeAMI(t, "calldocket", "s3cret", name)
				srv.seed = seed
				src, err := New(Config{Addr: srv.addr(), Username: "calldocket", Secret: "s3cret", Extension: "201"}, nil)
				if err != nil {
					t.Fatal(err)
				}
				src.now = func() time.Time { return t0 }
				events, stop := collect(t, src)
				got := waitEvents(t, events, len(want))
				if !equalEvents(got, want) {
					t.Errorf("events = %+v, want %+v", got, want)
				}
				select {
				case e := <-events:
					t.Errorf("unexpected extra event %+v", e)
				case <-time.After(50 * time.Millisecond):
				}
				if err := stop(); !errors.Is(err, context.Canceled) {
					t.Errorf("Run() = %v, want context.Canceled", err)
				}
				srv.mu.Lock()
				defer srv.mu.Unlock()
				if len(srv.logins) != 1 || srv.logins[0].Get("Events") != "call" {
					t.Errorf("logins = %v, want one with Events: call", srv.logins)
				}
			})
		}
	}
}

func TestSourceReconnects(t *testing.T) {
	// The first connection drops mid-call (after ringing and answer); the
	// source reconnects and the hang-up on the second connection ends the
	// call.
	b, err := os.ReadFile(filepath.Join("testdata", "inbound_answered.txt"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitAfter(string(b), "\n\n")
	dir := t.TempDir()
	first := strings.Join(parts[:7], "")
	second := strings.Join(parts[7:], "")
	for name, s := range map[string]string{"first.txt": first, "second.txt": second} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv := newFakeAMI(t, "u", "p")
	for _, name := range []string{"first.txt", "second.txt"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		srv.transcripts = append(srv.transcripts, []byte(strings.ReplaceAll(string(b), "\n", "\r\n")))
	}
	srv.dropAfter = []bool{true}
	src, err := New(Config{Addr: srv.addr(), Username: "u", Secret: "p", Extension: "PJSIP/201",
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	src.now = func() time.Time { return t0 }
	events, stop := collect(t, src)
	got := waitEvents(t, events, 3)
	want := slices.Clone(wantByTranscript["inbound_answered.txt"])
	for i := range want {
		want[i].Local = "pjsip/201"
	}
	if !equalEvents(got, want) {
		t.Errorf("events = %+v, want %+v", got, want)
	}
	stop()
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.logins) < 2 {
		t.Errorf("logins = %d, want a reconnect", len(srv.logins))
	}
}

func TestSourceLoginRefused(t *testing.T) {
	srv := newFakeAMI(t, "u", "right")
	src, err := New(Config{Addr: srv.addr(), Username: "u", Secret: "wrong", Extension: "201"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = src.Run(t.Context(), func(tapi.Event) {})
	var ae *AuthError
	if !errors.As(err, &ae) || ae.Message != "Authentication failed" {
		t.Errorf("Run() = %v, want *AuthError Authentication failed", err)
	}
}

func TestSourcePings(t *testing.T) {
	srv := newFakeAMI(t, "u", "p")
	src, err := New(Config{Addr: srv.addr(), Username: "u", Secret: "p", Extension: "201", PingEvery: 20 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, stop := collect(t, src)
	deadline := time.Now().Add(5 * time.Second)
	for {
		srv.mu.Lock()
		n, logins := srv.pings, len(srv.logins)
		srv.mu.Unlock()
		if n >= 3 {
			if logins != 1 {
				t.Errorf("logins = %d, want 1 (pongs keep the connection)", logins)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pings = %d, want at least 3", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop()
}

func TestSourceNotAMI(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("SSH-2.0-OpenSSH_9.2\r\n"))
			c.Close()
		}
	}()
	src, err := New(Config{Addr: ln.Addr().String(), Username: "u", Extension: "201"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.session(t.Context(), func(tapi.Event) {}); !errors.Is(err, ErrNotAMI) {
		t.Errorf("session() = %v, want ErrNotAMI", err)
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		cfg     Config
		wantErr bool
	}{
		{Config{Addr: "pbx:5038", Username: "u", Extension: "201"}, false},
		{Config{Addr: "[::1]:5039", Username: "u", Extension: "201"}, false},
		{Config{Addr: "pbx", Username: "u", Extension: "201"}, true},
		{Config{Addr: "127.0.0.1:99999", Username: "u", Extension: "201"}, true},
		{Config{Addr: "127.0.0.1:0", Username: "u", Extension: "201"}, true},
		{Config{Addr: "127.0.0.1:-1", Username: "u", Extension: "201"}, true},
		{Config{Addr: "127.0.0.1:+80", Username: "u", Extension: "201"}, true},
		{Config{Addr: "127.0.0.1:ami", Username: "u", Extension: "201"}, true},
		{Config{Addr: "127.0.0.1:", Username: "u", Extension: "201"}, true},
		{Config{Addr: ":5038", Username: "u", Extension: "201"}, true},
		{Config{Addr: "pbx:5038", Extension: "201"}, true},
		{Config{Addr: "pbx:5038", Username: "u"}, true},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg, nil)
		if (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, ErrConfig)) {
			t.Errorf("New(%+v) error = %v, want ErrConfig %v", tt.cfg, err, tt.wantErr)
		}
	}
}

func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		attempt int
		want    time.Duration
	}{{0, time.Second}, {1, 2 * time.Second}, {3, 8 * time.Second}, {10, time.Minute}} {
		if got := backoff(tt.attempt, time.Second, time.Minute); got != tt.want {
			t.Errorf("backoff(%d) = %v, want %v", tt.attempt, got, tt.want)
		}
	}
}
