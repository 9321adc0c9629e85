package sip

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// notifyBody returns the body of a captured NOTIFY (testdata/notify/*.sip,
// copied from ../shared/telephony/fixtures/kamailio-dialog-info/notify-raw).
func notifyBody(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "notify", name))
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	_, body, ok := bytes.Cut(raw, []byte("\n\n"))
	if !ok {
		t.Fatalf("%s: no blank line after the headers", name)
	}
	return body
}

// dialogSummary is "state/direction/call-id/remote" per dialog, then
// "!reason" when the dialog says it was declined.
func dialogSummary(info *DialogInfo) string {
	var parts []string
	for _, d := range info.Dialogs {
		p := d.State + "/" + d.Direction + "/" + d.Key() + "/" + d.Remote.Number()
		if r := d.EndReason(); r != "" {
			p += "!" + string(r)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

var fixtureTable = []struct {
	file    string
	version uint64
	state   string
	dialogs string
}{
	{"01.sip", 0, "", ""}, // quirk 1: the empty first NOTIFY
	{"02.sip", 2, "full", "early/recipient/1-22744@127.0.0.1/+12125550123"},
	{"03.sip", 3, "full", "confirmed/recipient/1-22744@127.0.0.1/+12125550123"},
	{"04.sip", 4, "full", "terminated/recipient/1-22744@127.0.0.1/+12125550123"},
	{"05.sip", 5, "full", "early/recipient/dd3cdaed7eaf5c26/1002 terminated/recipient/1-22744@127.0.0.1/+12125550123"},
	{"06.sip", 6, "full", "terminated/recipient/dd3cdaed7eaf5c26/1002 terminated/recipient/1-22744@127.0.0.1/+12125550123"},
	{"07.sip", 7, "full", "trying/initiator/d589eb0b473bc230/1002 terminated/recipient/dd3cdaed7eaf5c26/1002 terminated/recipient/1-22744@127.0.0.1/+12125550123"},
	{"08.sip", 8, "full", "early/initiator/d589eb0b473bc230/1002 terminated/recipient/dd3cdaed7eaf5c26/1002 terminated/recipient/1-22744@127.0.0.1/+12125550123"},
	{"09.sip", 9, "full", "confirmed/initiator/d589eb0b473bc230/1002 terminated/recipient/dd3cdaed7eaf5c26/1002 terminated/recipient/1-22744@127.0.0.1/+12125550123"},
	{"10.sip", 10, "full", "terminated/initiator/d589eb0b473bc230/1002 terminated/recipient/dd3cdaed7eaf5c26/1002"},
	{"11.sip", 11, "full", "early/recipient/1-22765@127.0.0.1/+12125550123 terminated/initiator/d589eb0b473bc230/1002 terminated/recipient/dd3cdaed7eaf5c26/1002"},
	{"12.sip", 12, "full", "terminated/recipient/1-22765@127.0.0.1/+12125550123 terminated/initiator/d589eb0b473bc230/1002"},
	// 13–18 are not captured: stock Kamailio's pua_dialoginfo never sets the
	// event and code attributes (call D above was a 486, and 12.sip says
	// only "terminated"). They are 11/12 with the attributes RFC 4235 §3.7.1
	// defines, as PBXs that report them send: 486 event="rejected", 603
	// event="declined", and a caller's CANCEL event="cancelled" code="487".
	{"13.sip", 13, "full", "early/recipient/1-22790@127.0.0.1/+12125550123"},
	{"14.sip", 14, "full", "terminated/recipient/1-22790@127.0.0.1/+12125550123!rejected"},
	{"15.sip", 15, "full", "early/recipient/1-22811@127.0.0.1/+12125550123"},
	{"16.sip", 16, "full", "terminated/recipient/1-22811@127.0.0.1/+12125550123!rejected"},
	{"17.sip", 17, "full", "early/recipient/1-22834@127.0.0.1/+12125550123"},
	{"18.sip", 18, "full", "terminated/recipient/1-22834@127.0.0.1/+12125550123"},
}

func TestParseDialogInfoFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "notify", "*.sip"))
	if len(files) != len(fixtureTable) {
		t.Fatalf("%d fixture files, table covers %d", len(files), len(fixtureTable))
	}
	for _, tc := range fixtureTable {
		t.Run(tc.file, func(t *testing.T) {
			info, err := ParseDialogInfo(notifyBody(t, tc.file))
			if err != nil {
				t.Fatalf("ParseDialogInfo(%s) error = %v", tc.file, err)
			}
			if info.Version != tc.version || info.State != tc.state {
				t.Errorf("ParseDialogInfo(%s) version, state = %d, %q, want %d, %q", tc.file, info.Version, info.State, tc.version, tc.state)
			}
			if got := dialogSummary(info); got != tc.dialogs {
				t.Errorf("ParseDialogInfo(%s) dialogs = %q, want %q", tc.file, got, tc.dialogs)
			}
			if tc.state != "" && info.Entity != "sip:1001@127.0.0.1" {
				t.Errorf("ParseDialogInfo(%s) entity = %q, want sip:1001@127.0.0.1", tc.file, info.Entity)
			}
		})
	}
}

var parseCases = []struct {
	name    string
	body    string
	dialogs string
	err     bool
}{
	{"whitespace only", " \r\n", "", false},
	{"prefixed namespace and display", `<d:dialog-info xmlns:d="urn:ietf:params:xml:ns:dialog-info" version="1" state="partial" entity="sip:201@pbx"><d:dialog id="x" call-id="c1" direction="Recipient"><d:state event="rejected" code="486">TERMINATED</d:state><d:remote><d:identity display="Jane Client">sip:%2B12125550123@pbx;user=phone</d:identity></d:remote></d:dialog></d:dialog-info>`, "terminated/recipient/c1/+12125550123!rejected", false},
	{"tel URI and no call-id", `<dialog-info version="3" state="full" entity="sip:201@pbx"><dialog id="abc"><state>proceeding</state><remote><identity>tel:+442071234567;phone-context=x</identity></remote></dialog></dialog-info>`, "proceeding//abc/+442071234567", false},
	{"latin-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><dialog-info version=\"1\" state=\"full\" entity=\"sip:1@x\"><dialog id=\"a\" call-id=\"b\"><state>early</state><remote><identity display=\"Jos\xe9\">sip:123@x</identity></remote></dialog></dialog-info>", "early//b/123", false},
	{"target only", `<dialog-info version="1" state="full" entity="sip:1@x"><dialog id="a" call-id="b"><state>early</state><remote><target uri="sip:555@x:5060"/></remote></dialog></dialog-info>`, "early//b/555", false},
	{"not xml", "hello", "", true},
	{"wrong root", `<presence/>`, "", true},
	{"bad document state", `<dialog-info version="1" state="half"/>`, "", true},
	{"bad version", `<dialog-info version="-1" state="full"/>`, "", true},
	{"unknown charset", `<?xml version="1.0" encoding="EBCDIC"?><dialog-info/>`, "", true},
}

func TestParseDialogInfo(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			info, err := ParseDialogInfo([]byte(tc.body))
			if tc.err {
				if err == nil || !errors.Is(err, ErrMalformedDialogInfo) {
					t.Fatalf("ParseDialogInfo(%q) error = %v, want ErrMalformedDialogInfo", tc.body, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDialogInfo(%q) error = %v", tc.body, err)
			}
			if got := dialogSummary(info); got != tc.dialogs {
				t.Errorf("ParseDialogInfo(%q) dialogs = %q, want %q", tc.body, got, tc.dialogs)
			}
		})
	}
}

func TestDialogFields(t *testing.T) {
	info, err := ParseDialogInfo([]byte(parseCases[1].body))
	if err != nil {
		t.Fatal(err)
	}
	d := info.Dialogs[0]
	if d.Event != "rejected" || d.Code != 486 || d.Remote.Display != "Jane Client" || d.CallDirection() != tapi.DirectionIn {
		t.Errorf("dialog = %+v, want event rejected, code 486, display Jane Client, direction in", d)
	}
	if st, ok := d.CallState(); !ok || st != tapi.StateEnded {
		t.Errorf("CallState() = %v, %v, want ended, true", st, ok)
	}
	if info.Full() {
		t.Errorf("Full() = true for a partial document")
	}
}

func TestE164(t *testing.T) {
	for in, want := range map[string]string{
		"+12125550123": "+12125550123", "12125550123": "", "+1212": "", "+0123456789": "", "+1212555012x": "", "": "",
	} {
		if got := E164(in); got != want {
			t.Errorf("E164(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDialogStateFixtureSequence replays the captured NOTIFY sequence (calls
// A–D of the rig, NOTES §2) and checks that each change is emitted once:
// repeated terminated dialogs and re-sent states emit nothing.
func TestDialogStateFixtureSequence(t *testing.T) {
	want := []string{
		"02.sip ringing in 1-22744@127.0.0.1 +12125550123",
		"03.sip answered in 1-22744@127.0.0.1 +12125550123",
		"04.sip ended in 1-22744@127.0.0.1 +12125550123",
		"05.sip ringing in dd3cdaed7eaf5c26 1002",
		"06.sip ended in dd3cdaed7eaf5c26 1002",
		"07.sip ringing out d589eb0b473bc230 1002",
		"09.sip answered out d589eb0b473bc230 1002",
		"10.sip ended out d589eb0b473bc230 1002",
		"11.sip ringing in 1-22765@127.0.0.1 +12125550123",
		"12.sip ended in 1-22765@127.0.0.1 +12125550123",
		"13.sip ringing in 1-22790@127.0.0.1 +12125550123",
		"14.sip ended in 1-22790@127.0.0.1 +12125550123 rejected",
		"15.sip ringing in 1-22811@127.0.0.1 +12125550123",
		"16.sip ended in 1-22811@127.0.0.1 +12125550123 rejected",
		"17.sip ringing in 1-22834@127.0.0.1 +12125550123",
		"18.sip ended in 1-22834@127.0.0.1 +12125550123",
	}
	s := newDialogState()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	tr := tapi.NewTracker(tapi.TrackerOptions{Now: func() time.Time { return now }})
	var got []string
	replay := func(file string) {
		info, err := ParseDialogInfo(notifyBody(t, file))
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Second)
		for _, ev := range s.apply(info, now) {
			if ev.Source != SourceName || ev.Local != "1001" || !ev.At.Equal(now) {
				t.Errorf("%s: event %+v: want source sip, local 1001, at %v", file, ev, now)
			}
			if _, changed := tr.Apply(ev); !changed {
				t.Errorf("%s: tracker ignored %+v", file, ev)
			}
			line := file + " " + string(ev.State) + " " + string(ev.Direction) + " " + ev.CallID + " " + ev.Remote
			if ev.Reason != "" {
				line += " " + string(ev.Reason)
			}
			got = append(got, line)
			if c, _ := tr.Apply(ev); c.Phase == tapi.PhaseEnded && c.Rejected() != (ev.Reason == tapi.EndRejected) {
				t.Errorf("%s: tracker call %+v: Rejected() = %v, want %v", file, c, c.Rejected(), ev.Reason == tapi.EndRejected)
			}
		}
	}
	for _, tc := range fixtureTable {
		replay(tc.file)
	}
	// A refresh re-sends the last document: nothing new.
	n := len(got)
	replay("18.sip")
	replay("14.sip")
	replay("11.sip")
	if len(got) != n {
		t.Errorf("replaying old documents emitted %q", got[n:])
	}
	if strings.Join(got[:n], "\n") != strings.Join(want, "\n") {
		t.Errorf("events =\n%s\nwant\n%s", strings.Join(got[:n], "\n"), strings.Join(want, "\n"))
	}
	if active := tr.Active(); len(active) != 0 {
		t.Errorf("tracker still has active calls %+v", active)
	}
}

// TestDialogStateFullOmission: a full document that no longer lists a call
// that was ringing ends it (lost NOTIFY, PBX restart); a partial one does not.
func TestDialogStateFullOmission(t *testing.T) {
	now := time.Now()
	s := newDialogState()
	ring := &DialogInfo{State: DocumentPartial, Dialogs: []Dialog{{ID: "1", CallID: "c", State: DialogEarly, Remote: Participant{Identity: "sip:+12125550123@x"}}}}
	if evs := s.apply(ring, now); len(evs) != 1 || evs[0].State != tapi.StateRinging {
		t.Fatalf("apply(early) = %+v, want one ringing", evs)
	}
	if evs := s.apply(&DialogInfo{State: DocumentPartial}, now); len(evs) != 0 {
		t.Fatalf("apply(empty partial) = %+v, want none", evs)
	}
	evs := s.apply(&DialogInfo{State: DocumentFull}, now)
	if len(evs) != 1 || evs[0].State != tapi.StateEnded || evs[0].CallID != "c" || evs[0].Remote != "+12125550123" {
		t.Fatalf("apply(empty full) = %+v, want ended for c", evs)
	}
	// Forked outbound call: one fork terminated, the other still early.
	fork := &DialogInfo{State: DocumentFull, Dialogs: []Dialog{
		{ID: "a", CallID: "f", Direction: DirectionInitiator, State: DialogTerminated},
		{ID: "b", CallID: "f", Direction: DirectionInitiator, State: DialogEarly},
	}}
	if evs := s.apply(fork, now); len(evs) != 1 || evs[0].State != tapi.StateRinging || evs[0].Direction != tapi.DirectionOut {
		t.Fatalf("apply(fork) = %+v, want one outbound ringing", evs)
	}
}

// TestDialogEndReason: which terminated dialogs count as declined at the
// phone, and how a call's dialogs add up.
func TestDialogEndReason(t *testing.T) {
	for _, tc := range []struct {
		state, event string
		code         int
		want         tapi.EndReason
	}{
		{"terminated", "rejected", 486, tapi.EndRejected},
		{"terminated", "rejected", 0, tapi.EndRejected},
		{"terminated", "declined", 603, tapi.EndRejected},
		{"terminated", "decline", 0, tapi.EndRejected},
		{"terminated", "", 486, tapi.EndRejected},
		{"terminated", "", 603, tapi.EndRejected},
		{"terminated", "", 600, tapi.EndRejected},
		{"terminated", "rejected", 480, ""}, // ring timeout: nobody answered
		{"terminated", "rejected", 408, ""},
		{"terminated", "rejected", 487, ""},
		{"terminated", "cancelled", 487, ""},
		{"terminated", "timeout", 0, ""},
		{"terminated", "remote-bye", 0, ""},
		{"terminated", "", 0, ""},
		{"terminated", "", 404, ""},
		{"early", "rejected", 486, ""},
	} {
		d := Dialog{State: tc.state, Event: tc.event, Code: tc.code}
		if got := d.EndReason(); got != tc.want {
			t.Errorf("Dialog{%s event=%q code=%d}.EndReason() = %q, want %q", tc.state, tc.event, tc.code, got, tc.want)
		}
	}

	ring := func(id string) Dialog {
		return Dialog{ID: id, CallID: "g", State: DialogEarly, Remote: Participant{Identity: "sip:+12125550123@x"}}
	}
	end := func(id, event string, code int) Dialog {
		d := ring(id)
		d.State, d.Event, d.Code = DialogTerminated, event, code
		return d
	}
	for _, tc := range []struct {
		name string
		docs [][]Dialog
		want tapi.EndReason
	}{
		{"one phone declines", [][]Dialog{{ring("a")}, {end("a", "rejected", 486)}}, tapi.EndRejected},
		{"ring group: both phones decline", [][]Dialog{{ring("a"), ring("b")}, {end("a", "rejected", 486), ring("b")},
			{end("a", "rejected", 486), end("b", "declined", 603)}}, tapi.EndRejected},
		{"ring group: one declines, then the caller gives up", [][]Dialog{{ring("a"), ring("b")},
			{end("a", "rejected", 486), ring("b")}, {end("a", "rejected", 486), end("b", "cancelled", 487)}}, ""},
		{"ring group: one declines, the other is dropped without a word", [][]Dialog{{ring("a"), ring("b")},
			{end("a", "rejected", 486), end("b", "", 0)}}, tapi.EndRejected},
		{"caller cancels", [][]Dialog{{ring("a")}, {end("a", "cancelled", 487)}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newDialogState()
			var last tapi.Event
			for _, doc := range tc.docs {
				for _, ev := range s.apply(&DialogInfo{State: DocumentFull, Dialogs: doc}, time.Now()) {
					last = ev
				}
			}
			if last.State != tapi.StateEnded || last.Reason != tc.want {
				t.Errorf("last event = %+v, want ended with reason %q", last, tc.want)
			}
		})
	}
}
