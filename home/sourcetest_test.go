package home

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	sipmsg "github.com/emiago/sipgo/sip"

	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/sip"
	"github.com/calldocket/calldocket/tapi/wintapi"
)

// answerSubscribe is a one-trick UDP PBX: it answers every SUBSCRIBE with
// code (and OPTIONS with 200); code 0 answers nothing at all.
func answerSubscribe(t *testing.T, code int, reason string) string {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			msg, err := sipmsg.ParseMessage(append([]byte(nil), buf[:n]...))
			req, ok := msg.(*sipmsg.Request)
			if err != nil || !ok || code == 0 {
				continue
			}
			res := sipmsg.NewResponseFromRequest(req, code, reason, nil)
			if req.Method == sipmsg.OPTIONS {
				res = sipmsg.NewResponseFromRequest(req, 200, "OK", nil)
			}
			_, _ = c.WriteTo([]byte(res.String()), from)
		}
	}()
	return c.LocalAddr().String()
}

// lines collects a SourceTest's output.
type lines struct {
	mu  sync.Mutex
	all []string
}

func (l *lines) emit(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, s)
}

func (l *lines) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.all, "\n")
}

// runSourceTest runs Settings → Test connection's logic for a SIP account
// for at most d, as the app does, and returns its lines.
func runSourceTest(t *testing.T, s settings.Settings, password string, d time.Duration) string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var out lines
	test := NewSourceTest(out.emit)
	src, err := SourceFromSettings(t.Context(), settings.SourceSIP, s, Passwords{SIP: password}, test.Link, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	err = src.Run(ctx, func(tapi.Event) {})
	if ctx.Err() != nil {
		err = nil
	}
	test.Stopped(err)
	return out.text()
}

func sipSettings(server, transport string) settings.Settings {
	s := settings.Default()
	s.CallSource = settings.SourceSIP
	s.SIP = settings.SIP{Server: server, Transport: transport, AOR: "sip:1001@127.0.0.1", ExpiresSeconds: 600}
	return s
}

// TestSourceTestSIP: Test connection shows the real failure, never
// "listening", against PBXs that refuse or do not answer.
func TestSourceTestSIP(t *testing.T) {
	closed := func() string { // a TCP port nothing listens on
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		return addr
	}()
	tests := []struct {
		name, server, transport, password string
		run                               time.Duration
		want                              string
	}{
		{"401 no password", answerSubscribe(t, 401, "Unauthorized"), "udp", "", 3 * time.Second,
			"Stopped: The PBX asks for a password (401 Unauthorized): enter the SIP password and test again."},
		{"403", answerSubscribe(t, 403, "Forbidden"), "udp", "pw", 3 * time.Second,
			"Stopped: The PBX refused the subscription (403 Forbidden): check the user and the address (AOR)"},
		{"404", answerSubscribe(t, 404, "Not Found"), "udp", "pw", 3 * time.Second,
			"Stopped: The PBX does not know this address (404 Not Found): check the address (AOR)."},
		{"timeout", answerSubscribe(t, 0, ""), "udp", "pw", 6 * time.Second,
			"Not connected: The PBX at %s did not answer in 5 s. Trying again…"},
		{"refused", closed, "tcp", "pw", 2 * time.Second,
			"Not connected: The PBX at %s refused the connection. Trying again…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := runSourceTest(t, sipSettings(tc.server, tc.transport), tc.password, tc.run)
			want := strings.ReplaceAll(tc.want, "%s", tc.server)
			if !strings.Contains(got, want) {
				t.Errorf("test log =\n%s\nwant a line %q", got, want)
			}
			if strings.Contains(got, "istening") || strings.Count(got, "\n") > 1 {
				t.Errorf("test log =\n%s\nwant one line, and no listening for calls", got)
			}
		})
	}
}

func TestSourceTestConnected(t *testing.T) {
	var out lines
	test := NewSourceTest(out.emit)
	test.Link(false, "the PBX at pbx:5060 did not answer in 5 s")
	time.Sleep(2 * linkGrace)
	test.Link(false, "the PBX at pbx:5060 did not answer in 5 s") // a repeat: dropped
	time.Sleep(2 * linkGrace)
	test.Link(true, "")
	test.Link(true, "")
	test.Link(false, "subscribe response 403 Forbidden") // stopped within the grace: explained once
	test.Stopped(&sip.StatusError{StatusCode: 403, Reason: "Forbidden"})
	test.Link(true, "") // after the end: dropped
	want := "Not connected: The PBX at pbx:5060 did not answer in 5 s. Trying again…\n" +
		"Connected: listening for calls… ring your phone.\n" +
		"Stopped: The PBX refused the subscription (403 Forbidden): check the user and the address (AOR), or ask the PBX administrator to allow watching it."
	if got := out.text(); got != want {
		t.Errorf("lines =\n%s\nwant\n%s", got, want)
	}
	var stopped lines
	quiet := NewSourceTest(stopped.emit)
	quiet.Stopped(context.Canceled)
	if got := stopped.text(); got != "" {
		t.Errorf("a stopped test says %q, want nothing", got)
	}
}

func TestExplainSourceError(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&sip.StatusError{StatusCode: 407, Reason: "Proxy Authentication Required", NoPassword: true},
			"The PBX asks for a password (407 Proxy Authentication Required): enter the SIP password and test again."},
		{&sip.StatusError{StatusCode: 401, Reason: "Unauthorized"},
			"The PBX refused the user name or password (401 Unauthorized): check them and test again."},
		{&sip.StatusError{StatusCode: 489, Reason: "Bad Event"},
			"The PBX does not offer call events (BLF) (489 Bad Event): turn on dialog/BLF subscriptions on the PBX."},
		{&sip.StatusError{StatusCode: 503, Reason: "Service Unavailable"}, "Subscribe response 503 Service Unavailable."},
		{&sip.NoAnswerError{Server: "pbx:5060", After: 5 * time.Second},
			"The PBX at pbx:5060 did not answer in 5 s. Check the server, port and transport, and that the PBX is running."},
		{errors.New("run sip watcher: listen udp: boom"), "Run sip watcher: listen udp: boom."},
		{wintapi.ErrLineNotFound,
			"This computer has no TAPI line: install your phone system's TAPI driver (TSP), restart CallDocket and test again, or choose another call source."},
		{fmt.Errorf("%w: %q", wintapi.ErrLineNotFound, "3CX"),
			`TAPI line not found: "3CX". Choose one of the lines your phone system's TAPI driver lists, or leave the line empty for the first one.`},
		{&wintapi.LineError{Func: "lineInitializeExW", Code: 0x80000045},
			"TAPI refused (lineInitializeExW failed: LINEERR_NODRIVER): check that your phone system's TAPI driver (TSP) is installed and running, then test again."},
	} {
		if got := ExplainSourceError(tc.err); got != tc.want {
			t.Errorf("ExplainSourceError(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
