package ami

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// wire returns testdata/name as the server would send it: without the
// "#" comment lines that name the transcript's source, and with CRLF line
// ends (the files use LF for readability).
func wire(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "#") {
			out = append(out, strings.TrimSuffix(line, "\r"))
		}
	}
	return []byte(strings.Join(out, "\r\n"))
}

// transcript reads testdata/name as frames.
func transcript(t *testing.T, name string) []Frame {
	t.Helper()
	frames, skipped, err := readAll(bytes.NewReader(wire(t, name)))
	if !errors.Is(err, io.EOF) || skipped != 0 {
		t.Fatalf("transcript %s: %v, %d skipped", name, err, skipped)
	}
	return frames
}

func ev(id string, st tapi.State, dir tapi.Direction, remote, name string) tapi.Event {
	return tapi.Event{Source: "ami", CallID: id, State: st, Direction: dir, Remote: remote, RemoteName: name, Local: "201", At: t0}
}

// wantByTranscript is what extension 201 sees in each transcript.
var wantByTranscript = map[string][]tapi.Event{
	"inbound_answered.txt": {
		ev("ami-1709370000.1", tapi.StateRinging, tapi.DirectionIn, "+12125550123", "Jane Client"),
		ev("ami-1709370000.1", tapi.StateAnswered, tapi.DirectionIn, "+12125550123", "Jane Client"),
		ev("ami-1709370000.1", tapi.StateEnded, tapi.DirectionIn, "+12125550123", "Jane Client"),
	},
	"inbound_missed.txt": {
		ev("ami-1709370100.3", tapi.StateRinging, tapi.DirectionIn, "3125550100", ""),
		ev("ami-1709370100.3", tapi.StateEnded, tapi.DirectionIn, "3125550100", ""),
	},
	"outbound.txt": {
		ev("ami-1709370200.5", tapi.StateRinging, tapi.DirectionOut, "2125550123", ""),
		ev("ami-1709370200.5", tapi.StateAnswered, tapi.DirectionOut, "2125550123", ""),
		ev("ami-1709370200.5", tapi.StateEnded, tapi.DirectionOut, "2125550123", ""),
	},
	"other_extension.txt": nil,
}

func TestMapperTranscripts(t *testing.T) {
	for name, want := range wantByTranscript {
		t.Run(name, func(t *testing.T) {
			m := newMapper("201")
			var got []tapi.Event
			for _, f := range transcript(t, name) {
				got = append(got, m.handle(f, t0)...)
			}
			if !equalEvents(got, want) {
				t.Errorf("events = %+v, want %+v", got, want)
			}
			if len(m.chans) != 0 {
				t.Errorf("channels left after the transcript: %d", len(m.chans))
			}
		})
	}
}

func TestMapperCallWaiting(t *testing.T) {
	// A second caller rings (and gives up) while the first call is up.
	first := transcript(t, "inbound_answered.txt")
	second := transcript(t, "inbound_missed.txt")
	frames := append(append(append([]Frame{}, first[:7]...), second...), first[7:]...)
	m := newMapper("201")
	var got []tapi.Event
	for _, f := range frames {
		got = append(got, m.handle(f, t0)...)
	}
	a, b := wantByTranscript["inbound_answered.txt"], wantByTranscript["inbound_missed.txt"]
	want := []tapi.Event{a[0], a[1], b[0], b[1], a[2]}
	if !equalEvents(got, want) {
		t.Errorf("events = %+v, want %+v", got, want)
	}
}

func TestMapperMine(t *testing.T) {
	tests := []struct {
		ext, channel string
		want         bool
	}{
		{"201", "PJSIP/201-00000002", true},
		{"201", "SIP/201-0000a1b2", true},
		{"201", "PJSIP/2010-00000002", false},
		{"201", "PJSIP/1201-00000002", false},
		{"201", "Local/201@from-queue-00000008;1", false},
		{"201", "PJSIP/201", false},
		{"PJSIP/201", "PJSIP/201-00000002", true},
		{"PJSIP/201", "SIP/201-00000002", false},
		{"attorney", "PJSIP/Attorney-00000001", true},
		{"201", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.ext+" "+tt.channel, func(t *testing.T) {
			if got := newMapper(tt.ext).mine(tt.channel); got != tt.want {
				t.Errorf("mine(%q) with extension %q = %v, want %v", tt.channel, tt.ext, got, tt.want)
			}
		})
	}
}

func TestMapperHangupAfterReconnect(t *testing.T) {
	// A Hangup for a channel the mapper never saw still ends the call by
	// its Linkedid; the tracker ignores it if it does not know the call.
	m := newMapper("201")
	got := m.handle(Frame{"event": "Hangup", "channel": "PJSIP/201-0000000f", "uniqueid": "17.2", "linkedid": "17.1",
		"connectedlinenum": "+12125550123"}, t0)
	want := []tapi.Event{ev("ami-17.1", tapi.StateEnded, tapi.DirectionIn, "+12125550123", "")}
	if !equalEvents(got, want) {
		t.Errorf("events = %+v, want %+v", got, want)
	}
}

func TestDialTarget(t *testing.T) {
	tests := []struct{ in, want string }{
		{"trunk/+12125550123", "+12125550123"},
		{"PJSIP/+12125550123@trunk", "+12125550123"},
		{"201", "201"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := dialTarget(tt.in); got != tt.want {
			t.Errorf("dialTarget(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// equalEvents compares events ignoring At.
func equalEvents(got, want []tapi.Event) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g := got[i]
		g.At = want[i].At
		if g != want[i] {
			return false
		}
	}
	return true
}
