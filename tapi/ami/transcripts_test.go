package ami

import (
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// realCase is what one extension sees in a recorded Asterisk transcript
// (testdata/cacofonisk_*.txt and mqtt_*.txt; each file's header names its
// source and what is known of the Asterisk version).
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
	pjAns, pjCancel, pjHunt := "ami-1770888509.40", "ami-1770888559.46", "ami-1770888635.49"
	return []realCase{
		// 2026 PJSIP captures (Asterisk 18 or later, FreePBX dialplan).
		{"PJSIP answered, caller", "mqtt_pjsip_answered.txt", "1986", []tapi.Event{
			evx("1986", pjAns, ringing, out, "21", ""), evx("1986", pjAns, answered, out, "21", ""),
			evx("1986", pjAns, ended, out, "21", "")}},
		{"PJSIP answered, callee", "mqtt_pjsip_answered.txt", "21", []tapi.Event{
			evx("21", pjAns, ringing, in, "1986", "Martin"), evx("21", pjAns, answered, in, "1986", "Martin"),
			evx("21", pjAns, ended, in, "1986", "Martin")}},
		{"PJSIP caller gives up, caller", "mqtt_pjsip_cancel.txt", "1986", []tapi.Event{
			evx("1986", pjCancel, ringing, out, "21", ""), evx("1986", pjCancel, ended, out, "21", "")}},
		{"PJSIP caller gives up, callee", "mqtt_pjsip_cancel.txt", "21", []tapi.Event{
			evx("21", pjCancel, ringing, in, "1986", "Martin"), evx("21", pjCancel, ended, in, "1986", "Martin")}},
		{"PJSIP ring group, caller", "mqtt_pjsip_hunt_group.txt", "1986", []tapi.Event{
			evx("1986", pjHunt, ringing, out, "666", ""), evx("1986", pjHunt, ended, out, "666", "")}},
		{"PJSIP ring group, member", "mqtt_pjsip_hunt_group.txt", "21", []tapi.Event{
			evx("21", pjHunt, ringing, in, "1986", "Martin"), evx("21", pjHunt, ended, in, "1986", "Martin")}},

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

// fr builds a frame from "Key: Value" pairs.
func fr(kv ...string) Frame {
	f := Frame{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[strings.ToLower(kv[i])] = kv[i+1]
	}
	return f
}

// TestMapperSequences covers paths the recordings do not: devices that
// alert with 183 Session Progress (no Newstate Ringing; see
// VoIPGRID/cacofonisk pull request 14), dials that fail before the phone
// rings, dialplan-only calls and numbers dialled through FreePBX macros.
func TestMapperSequences(t *testing.T) {
	const id = "ami-1.1"
	dialIn := fr("Event", "DialBegin", "Channel", "PJSIP/trunk-00000001", "CallerIDNum", "+12125550123",
		"CallerIDName", "Jane Client", "Uniqueid", "1.1", "Linkedid", "1.1",
		"DestChannel", "PJSIP/201-00000002", "DestChannelState", "0", "DestUniqueid", "1.2", "DestLinkedid", "1.1")
	hangup := fr("Event", "Hangup", "Channel", "PJSIP/201-00000002", "Uniqueid", "1.2", "Linkedid", "1.1", "Cause", "16")
	dialEnd := func(status string) Frame {
		return fr("Event", "DialEnd", "Channel", "PJSIP/trunk-00000001", "Uniqueid", "1.1", "Linkedid", "1.1",
			"DestChannel", "PJSIP/201-00000002", "DestUniqueid", "1.2", "DestLinkedid", "1.1", "DialStatus", status)
	}
	ringIn := ev(id, ringing, in, "+12125550123", "Jane Client")
	endIn := ev(id, ended, in, "+12125550123", "Jane Client")
	tests := []struct {
		name   string
		frames []Frame
		want   []tapi.Event
	}{
		{"183 progress then caller gives up", []Frame{dialIn,
			fr("Event", "DialState", "DestChannel", "PJSIP/201-00000002", "DestUniqueid", "1.2", "DestLinkedid", "1.1", "DialStatus", "PROGRESS"),
			dialEnd("CANCEL"), hangup}, []tapi.Event{ringIn, endIn}},
		{"no ringing state, dial times out", []Frame{dialIn, dialEnd("NOANSWER"), hangup}, []tapi.Event{ringIn, endIn}},
		{"busy before ringing", []Frame{dialIn, dialEnd("BUSY"), hangup}, nil},
		{"unavailable", []Frame{dialIn, dialEnd("CHANUNAVAIL"), hangup}, nil},
		{"answered without ringing state", []Frame{dialIn, dialEnd("ANSWER"), hangup},
			[]tapi.Event{ev(id, answered, in, "+12125550123", "Jane Client"), endIn}},
		{"voicemail feature code", []Frame{
			fr("Event", "Newchannel", "Channel", "PJSIP/201-00000003", "ChannelState", "4", "Exten", "*97", "Uniqueid", "2.1", "Linkedid", "2.1"),
			fr("Event", "Newstate", "Channel", "PJSIP/201-00000003", "ChannelState", "6", "Exten", "*97", "Uniqueid", "2.1", "Linkedid", "2.1"),
			fr("Event", "Hangup", "Channel", "PJSIP/201-00000003", "Uniqueid", "2.1", "Linkedid", "2.1", "Cause", "16")}, nil},
		{"outbound through a FreePBX macro", []Frame{
			fr("Event", "Newchannel", "Channel", "PJSIP/201-00000004", "ChannelState", "4", "Exten", "2125550123", "Uniqueid", "3.1", "Linkedid", "3.1"),
			fr("Event", "DialBegin", "Channel", "PJSIP/201-00000004", "Exten", "s", "Uniqueid", "3.1", "Linkedid", "3.1",
				"DestChannel", "PJSIP/trunk-00000005", "DestUniqueid", "3.2", "DialString", "trunk/12125550123"),
			fr("Event", "Hangup", "Channel", "PJSIP/201-00000004", "Uniqueid", "3.1", "Linkedid", "3.1", "Cause", "16")},
			[]tapi.Event{ev("ami-3.1", ringing, out, "2125550123", ""), ev("ami-3.1", ended, out, "2125550123", "")}},
		{"outbound, dialled number from the DialString", []Frame{
			fr("Event", "DialBegin", "Channel", "PJSIP/201-00000006", "Exten", "s", "Uniqueid", "4.1", "Linkedid", "4.1",
				"DestChannel", "PJSIP/trunk-00000007", "DestUniqueid", "4.2", "DialString", "trunk/12125550123"),
			fr("Event", "Hangup", "Channel", "PJSIP/201-00000006", "Uniqueid", "4.1", "Linkedid", "4.1", "Cause", "16")},
			[]tapi.Event{ev("ami-4.1", ringing, out, "12125550123", ""), ev("ami-4.1", ended, out, "12125550123", "")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMapper("201")
			var got []tapi.Event
			for _, f := range tt.frames {
				got = append(got, m.handle(f, t0)...)
			}
			if !equalEvents(got, tt.want) {
				t.Errorf("events =\n%+v\nwant\n%+v", got, tt.want)
			}
			if len(m.chans) != 0 {
				t.Errorf("channels left: %d", len(m.chans))
			}
		})
	}
}
