package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// scriptSource emits its events in order and returns err (nil: stop).
type scriptSource struct {
	events []tapi.Event
	err    error
}

func (s *scriptSource) Run(ctx context.Context, emit func(tapi.Event)) error {
	for _, ev := range s.events {
		emit(ev)
	}
	return s.err
}

func TestMonitorJSONLines(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ami := &scriptSource{events: []tapi.Event{
		{Source: "ami", CallID: "ami-1.1", State: tapi.StateRinging, Direction: tapi.DirectionIn,
			Remote: "(212) 555-0123", RemoteName: "Jane Client", Local: "201", At: at(0)},
		{Source: "ami", CallID: "ami-1.1", State: tapi.StateRinging, Direction: tapi.DirectionIn,
			Remote: "(212) 555-0123", At: at(1)}, // repeat: no line
		{Source: "ami", CallID: "ami-1.1", State: tapi.StateAnswered, At: at(4)},
		{Source: "ami", CallID: "ami-1.1", State: tapi.StateEnded, At: at(97)},
		{Source: "ami", CallID: "ami-2.1", State: tapi.StateRinging, Remote: "sip:+13125550100@pbx", At: at(200)},
		{Source: "ami", CallID: "ami-2.1", State: tapi.StateEnded, At: at(215)},
		{Source: "ami", CallID: "ami-3.1", State: tapi.StateRinging, Direction: tapi.DirectionOut, Remote: "202",
			Local: "201", At: at(300)}, // internal: no line
	}}
	var out bytes.Buffer
	err := runMonitor(t.Context(), []monitorSource{{"ami", ami}}, monitorOptions{JSON: true, Region: "US", MinDigits: 7}, &out)
	if err != nil {
		t.Fatalf("runMonitor() = %v, want nil", err)
	}
	want := []monitorLine{
		{CallID: "ami-1.1", State: "ringing", Direction: "in", Number: "(212) 555-0123", E164: "+12125550123",
			Name: "Jane Client", Source: "ami", At: "2026-03-02T14:00:00Z"},
		{CallID: "ami-1.1", State: "answered", Direction: "in", Number: "(212) 555-0123", E164: "+12125550123",
			Name: "Jane Client", Source: "ami", At: "2026-03-02T14:00:04Z"},
		{CallID: "ami-1.1", State: "ended", Direction: "in", Number: "(212) 555-0123", E164: "+12125550123",
			Name: "Jane Client", Source: "ami", At: "2026-03-02T14:01:37Z", DurationS: 93},
		{CallID: "ami-2.1", State: "ringing", Direction: "in", Number: "+13125550100", E164: "+13125550100",
			Source: "ami", At: "2026-03-02T14:03:20Z"},
		{CallID: "ami-2.1", State: "missed", Direction: "in", Number: "+13125550100", E164: "+13125550100",
			Source: "ami", At: "2026-03-02T14:03:35Z"},
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("monitor printed %d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, line := range lines {
		var got monitorLine
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d %q is not JSON: %v", i, line, err)
		}
		if got != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, got, want[i])
		}
		for _, key := range []string{`"call_id"`, `"state"`, `"direction"`, `"number"`, `"e164"`, `"name"`,
			`"source"`, `"at"`, `"duration_s"`} {
			if !strings.Contains(line, key) {
				t.Errorf("line %d %s lacks %s", i, line, key)
			}
		}
	}
}

func TestMonitorTextLines(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	src := &scriptSource{events: []tapi.Event{
		{Source: "sip", CallID: "c1", State: tapi.StateRinging, Remote: "+12125550123", RemoteName: "Jane", At: t0},
		{Source: "sip", CallID: "c1", State: tapi.StateEnded, At: t0.Add(9 * time.Second)},
	}}
	var out bytes.Buffer
	if err := runMonitor(t.Context(), []monitorSource{{"sip", src}}, monitorOptions{Region: "US"}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"ringing", "missed", "(212) 555-0123", "Jane", "[sip c1]", "2026-03-02T14:00:09Z"} {
		if !strings.Contains(got, want) {
			t.Errorf("monitor text output %q lacks %q", got, want)
		}
	}
}

func TestMonitorSingleLine(t *testing.T) {
	now := time.Now()
	a := &scriptSource{events: []tapi.Event{{Source: "ami", CallID: "ami-9", State: tapi.StateRinging, Remote: "2125550123", At: now}}}
	var out bytes.Buffer
	if err := runMonitor(t.Context(), []monitorSource{{"ami", a}}, monitorOptions{JSON: true}, &out); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 1 {
		t.Errorf("lines = %d, want 1", n)
	}
}

func TestMonitorSourceError(t *testing.T) {
	boom := errors.New("login refused")
	bad := &scriptSource{err: boom}
	blocking := tapi.Source(sourceFunc(func(ctx context.Context, emit func(tapi.Event)) error {
		<-ctx.Done()
		return ctx.Err()
	}))
	var out bytes.Buffer
	err := runMonitor(t.Context(), []monitorSource{{"ami", bad}, {"sip", blocking}}, monitorOptions{}, &out)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "ami source") {
		t.Errorf("runMonitor() = %v, want the ami source's error", err)
	}
}

func TestMonitorCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	blocking := sourceFunc(func(ctx context.Context, emit func(tapi.Event)) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	})
	if err := runMonitor(ctx, []monitorSource{{"sip", blocking}}, monitorOptions{}, &bytes.Buffer{}); err != nil {
		t.Errorf("runMonitor() after cancel = %v, want nil", err)
	}
}

type sourceFunc func(ctx context.Context, emit func(tapi.Event)) error

func (f sourceFunc) Run(ctx context.Context, emit func(tapi.Event)) error { return f(ctx, emit) }

func TestMonitorUsage(t *testing.T) {
	t.Setenv("CALLDOCKET_HOME", t.TempDir())
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no source", nil, "give a source"},
		{"ami without user", []string{"--ami", "127.0.0.1:5038", "--extension", "201"}, "--ami needs --ami-user"},
		{"ami flags without ami", []string{"--extension", "201"}, "need --ami HOST:PORT"},
		{"sip without aor", []string{"--sip-server", "127.0.0.1:5060"}, "--sip-server needs --sip-aor"},
		{"bad transport", []string{"--sip-server", "127.0.0.1:5060", "--sip-aor", "sip:201@pbx", "--sip-transport", "ws"},
			"--sip-transport must be udp, tcp or tls"},
		{"sip flags without server", []string{"--sip-aor", "sip:201@pbx"}, "need --sip-server HOST:PORT"},
		{"positional", []string{"extra"}, "unexpected argument"},
		{"expires too short", []string{"--sip-server", "127.0.0.1:5060", "--sip-aor", "sip:201@pbx", "--expires", "59"},
			`--expires "59": enter whole seconds from 60 to 86400`},
		{"expires too long", []string{"--sip-server", "127.0.0.1:5060", "--sip-aor", "sip:201@pbx", "--expires", "86401"},
			"enter whole seconds from 60 to 86400"},
		{"expires not a number", []string{"--sip-server", "127.0.0.1:5060", "--sip-aor", "sip:201@pbx", "--expires", "ten"},
			`--expires "ten"`},
		{"expires negative", []string{"--sip-server", "127.0.0.1:5060", "--sip-aor", "sip:201@pbx", "--expires=-600"},
			`--expires "-600"`},
		{"expires huge", []string{"--sip-server", "127.0.0.1:5060", "--sip-aor", "sip:201@pbx", "--expires", "999999999999999999999999999999"},
			`--expires "999999999999999999999999…"`},
		{"expires without sip", []string{"--expires", "600"}, "--expires needs a SIP source"},
		{"unknown flag", []string{"--bogus"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Monitor(t.Context(), tt.args, &bytes.Buffer{}, &bytes.Buffer{})
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Monitor(%q) = %v, want a usage error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

// internalCalls: two internal calls (extension to extension) around an
// outside one.
func internalCalls() *scriptSource {
	t0 := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	return &scriptSource{events: []tapi.Event{
		{Source: "ami", CallID: "i1", State: tapi.StateRinging, Direction: tapi.DirectionOut, Remote: "202", Local: "201", At: t0},
		{Source: "ami", CallID: "i1", State: tapi.StateEnded, At: t0.Add(5 * time.Second)},
		{Source: "ami", CallID: "o1", State: tapi.StateRinging, Remote: "+12125550123", Local: "201", At: t0.Add(10 * time.Second)},
		{Source: "ami", CallID: "i2", State: tapi.StateRinging, Remote: "sip:203@pbx", Local: "201", At: t0.Add(20 * time.Second)},
	}}
}

func TestMonitorInternalHidden(t *testing.T) {
	var out, errb bytes.Buffer
	err := runMonitor(t.Context(), []monitorSource{{"ami", internalCalls()}},
		monitorOptions{JSON: true, Region: "US", MinDigits: 7, Stderr: &errb}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 1 || !strings.Contains(out.String(), `"call_id":"o1"`) {
		t.Errorf("monitor printed %q, want only the outside call", out.String())
	}
	want := "calldocket: internal calls (under 7 digits) are hidden; --all shows them\n"
	if errb.String() != want {
		t.Errorf("monitor stderr = %q, want %q once", errb.String(), want)
	}
}

func TestMonitorInternalAll(t *testing.T) {
	var out, errb bytes.Buffer
	err := runMonitor(t.Context(), []monitorSource{{"ami", internalCalls()}},
		monitorOptions{JSON: true, Region: "US", MinDigits: 7, All: true, Stderr: &errb}, &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	internal := map[string]bool{}
	for _, line := range lines {
		var l monitorLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		internal[l.CallID+" "+l.State] = l.Internal
	}
	wantLines := map[string]bool{"i1 ringing": true, "i1 ended": true, "o1 ringing": false, "i2 ringing": true}
	if len(internal) != len(wantLines) {
		t.Errorf("monitor --all printed %q, want %v", out.String(), wantLines)
	}
	for k, v := range wantLines {
		if got, ok := internal[k]; !ok || got != v {
			t.Errorf("monitor --all: %s internal = %v (printed %v), want %v", k, got, ok, v)
		}
	}
	if errb.Len() != 0 {
		t.Errorf("monitor --all stderr = %q, want nothing", errb.String())
	}
	// The text form marks them too.
	out.Reset()
	runMonitor(t.Context(), []monitorSource{{"ami", internalCalls()}}, monitorOptions{Region: "US", MinDigits: 7, All: true}, &out)
	if !strings.Contains(out.String(), "internal  [ami i1]") || strings.Contains(out.String(), "internal  [ami o1]") {
		t.Errorf("monitor --all text = %q, want internal calls marked", out.String())
	}
}

// TestMonitorRejected: a call declined at the phone prints as rejected, one
// nobody picked up as missed.
func TestMonitorRejected(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	src := &scriptSource{events: []tapi.Event{
		{Source: "sip", CallID: "c1", State: tapi.StateRinging, Remote: "+12125550123", At: t0},
		{Source: "sip", CallID: "c1", State: tapi.StateEnded, Reason: tapi.EndRejected, At: t0.Add(3 * time.Second)},
		{Source: "sip", CallID: "c2", State: tapi.StateRinging, Remote: "+12125550124", At: t0.Add(time.Minute)},
		{Source: "sip", CallID: "c2", State: tapi.StateEnded, At: t0.Add(time.Minute + 9*time.Second)},
	}}
	var out bytes.Buffer
	if err := runMonitor(t.Context(), []monitorSource{{"sip", src}}, monitorOptions{JSON: true, Region: "US"}, &out); err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var l monitorLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		states = append(states, l.CallID+" "+l.State)
	}
	if got, want := strings.Join(states, ", "), "c1 ringing, c1 rejected, c2 ringing, c2 missed"; got != want {
		t.Errorf("monitor states = %s, want %s", got, want)
	}
}
