package ami

import (
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// realCase is what one extension sees in a recorded Asterisk transcript
// (testdata/cacofonisk_*.txt; each file's header names its source).
type realCase struct {
	name, file, ext string
	want            []tapi.Event
}

func evx(ext, id string, st tapi.State, dir tapi.Direction, remote, name string) tapi.Event {
	return tapi.Event{Source: "ami", CallID: id, State: st, Direction: dir, Remote: remote, RemoteName: name, Local: ext, At: t0}
}

const (
	ringing  = tapi.StateRinging
	answered = tapi.StateAnswered
	ended    = tapi.StateEnded
	in       = tapi.DirectionIn
	out      = tapi.DirectionOut
)

func realCases() []realCase {
	// Extensions in the recordings: SIP/150010001 is "201", SIP/150010002
	// is "202", SIP/150010003 is "203" (their caller IDs).
	const a, b, c = "150010001", "150010002", "150010003"
	star := "ami-59b750c14f20-1538125952.414"
	repl := "ami-59b750c14f20-1538124863.373"
	group := "ami-195176c06ab8-1529936598.168"
	queue := "ami-195176c06ab8-1529939196.518"
	att1, att2 := "ami-195176c06ab8-1529941216.590", "ami-195176c06ab8-1529941225.617"
	blind := "ami-07b796be1962-1529998985.130"
	return []realCase{
		// Pickup with *8: the caller's outbound call is answered (by the
		// picker); the ringing phone misses it; the picker answered an
		// inbound call from 201 (it was reported as an outbound call to
		// "*8" before).
		{"pickup *8, caller", "cacofonisk_pickup_star.txt", a, []tapi.Event{
			evx(a, star, ringing, out, "202", ""), evx(a, star, answered, out, "202", ""), evx(a, star, ended, out, "202", "")}},
		{"pickup *8, rang", "cacofonisk_pickup_star.txt", b, []tapi.Event{
			evx(b, star, ringing, in, "201", "Leah Price"), evx(b, star, ended, in, "201", "Leah Price")}},
		{"pickup *8, picker", "cacofonisk_pickup_star.txt", c, []tapi.Event{
			evx(c, "ami-59b750c14f20-1538125958.424", answered, in, "201", "Leah Price"),
			evx(c, "ami-59b750c14f20-1538125958.424", ended, in, "201", "Leah Price")}},
		// Pickup by INVITE with Replaces: the picker's channel starts as if
		// it dialled 201 (it was reported as an outbound call before).
		{"pickup Replaces, caller", "cacofonisk_pickup_replaces.txt", a, []tapi.Event{
			evx(a, repl, ringing, out, "202", ""), evx(a, repl, answered, out, "202", ""), evx(a, repl, ended, out, "202", "")}},
		{"pickup Replaces, rang", "cacofonisk_pickup_replaces.txt", b, []tapi.Event{
			evx(b, repl, ringing, in, "201", "Leah Price"), evx(b, repl, ended, in, "201", "Leah Price")}},
		{"pickup Replaces, picker", "cacofonisk_pickup_replaces.txt", c, []tapi.Event{
			evx(c, "ami-59b750c14f20-1538124865.383", answered, in, "201", "Leah Price"),
			evx(c, "ami-59b750c14f20-1538124865.383", ended, in, "201", "Leah Price")}},
		// Ring group through Local channels: both members ring, 202 answers.
		{"ring group, caller", "cacofonisk_ring_group.txt", a, []tapi.Event{
			evx(a, group, ringing, out, "401", ""), evx(a, group, answered, out, "401", ""), evx(a, group, ended, out, "401", "")}},
		{"ring group, answering member", "cacofonisk_ring_group.txt", b, []tapi.Event{
			evx(b, group, ringing, in, "201", "Andrew Garza"), evx(b, group, answered, in, "201", "Andrew Garza"),
			evx(b, group, ended, in, "201", "Andrew Garza")}},
		{"ring group, other member", "cacofonisk_ring_group.txt", c, []tapi.Event{
			evx(c, group, ringing, in, "201", "Andrew Garza"), evx(c, group, ended, in, "201", "Andrew Garza")}},
		// Queue: 203 is dialled but busy (DialStatus BUSY, never rings:
		// it was reported as a missed call before); 202 rings and answers.
		{"queue, answering member", "cacofonisk_queue.txt", b, []tapi.Event{
			evx(b, queue, ringing, in, "+31150010001", ""), evx(b, queue, answered, in, "+31150010001", ""),
			evx(b, queue, ended, in, "+31150010001", "")}},
		{"queue, busy member", "cacofonisk_queue.txt", c, nil},
		// Attended transfer: 201 calls 202, consults 203, transfers.
		{"attended transfer, transferer", "cacofonisk_transfer_attended.txt", a, []tapi.Event{
			evx(a, att1, ringing, out, "202", ""), evx(a, att1, answered, out, "202", ""),
			evx(a, att2, ringing, out, "203", ""), evx(a, att2, answered, out, "203", ""),
			evx(a, att2, ended, out, "203", ""), evx(a, att1, ended, out, "202", "")}},
		{"attended transfer, transferee", "cacofonisk_transfer_attended.txt", b, []tapi.Event{
			evx(b, att1, ringing, in, "201", "Andrew Garza"), evx(b, att1, answered, in, "201", "Andrew Garza"),
			evx(b, att1, ended, in, "201", "Andrew Garza")}},
		{"attended transfer, target", "cacofonisk_transfer_attended.txt", c, []tapi.Event{
			evx(c, att2, ringing, in, "201", "Andrew Garza"), evx(c, att2, answered, in, "201", "Andrew Garza"),
			evx(c, att2, ended, in, "201", "Andrew Garza")}},
		// Blind transfer: 201 calls 202 and hangs up; 202's channel dials
		// 203 (the same call for 202, a new inbound call from 202 for 203).
		{"blind transfer, transferer", "cacofonisk_transfer_blind.txt", a, []tapi.Event{
			evx(a, blind, ringing, out, "202", ""), evx(a, blind, answered, out, "202", ""), evx(a, blind, ended, out, "202", "")}},
		{"blind transfer, transferee", "cacofonisk_transfer_blind.txt", b, []tapi.Event{
			evx(b, blind, ringing, in, "201", "Andrew Garza"), evx(b, blind, answered, in, "201", "Andrew Garza"),
			evx(b, blind, ended, in, "201", "Andrew Garza")}},
		{"blind transfer, target", "cacofonisk_transfer_blind.txt", c, []tapi.Event{
			evx(c, blind, ringing, in, "202", ""), evx(c, blind, answered, in, "202", ""), evx(c, blind, ended, in, "202", "")}},
	}
}

func TestMapperRealTranscripts(t *testing.T) {
	for _, tt := range realCases() {
		t.Run(tt.name, func(t *testing.T) {
			m := newMapper(tt.ext)
			var got []tapi.Event
			for _, f := range transcript(t, tt.file) {
				got = append(got, m.handle(f, t0)...)
			}
			if !equalEvents(got, tt.want) {
				t.Errorf("%s as %s: events =\n%+v\nwant\n%+v", tt.file, tt.ext, got, tt.want)
			}
			if len(m.chans) != 0 {
				t.Errorf("channels left after the transcript: %d", len(m.chans))
			}
		})
	}
}

// TestSourceRealTranscripts replays the recordings over TCP, in random
// chunks, through the whole source.
func TestSourceRealTranscripts(t *testing.T) {
	for _, tt := range realCases() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newFakeAMI(t, "calldocket", "s3cret", tt.file)
			src, err := New(Config{Addr: srv.addr(), Username: "calldocket", Secret: "s3cret", Extension: tt.ext}, nil)
			if err != nil {
				t.Fatal(err)
			}
			src.now = func() time.Time { return t0 }
			events, _ := collect(t, src)
			if got := waitEvents(t, events, len(tt.want)); !equalEvents(got, tt.want) {
				t.Errorf("events = %+v, want %+v", got, tt.want)
			}
			select {
			case e := <-events:
				t.Errorf("unexpected extra event %+v", e)
			case <-time.After(30 * time.Millisecond):
			}
		})
	}
}
