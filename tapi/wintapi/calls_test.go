package wintapi

import (
	"errors"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// step is one TAPI notification for the mapper.
type step struct {
	h     uint32
	info  *CallInfo // LINE_CALLINFO (re-read) when set
	state uint32    // LINE_CALLSTATE when info is nil
	after time.Duration
}

func inbound() *CallInfo {
	return &CallInfo{CallID: 77, Origin: OriginInbound,
		Caller: Party{Flags: PartyAddress | PartyName, Address: "+12125550123", Name: "Jane Client"},
		Called: Party{Flags: PartyAddress, Address: "201"}}
}

func TestCallsMapping(t *testing.T) {
	outbound := &CallInfo{Origin: OriginOutbound, Caller: Party{Address: "201"}, Called: Party{Address: "2125550123"}}
	tests := []struct {
		name  string
		steps []step
		want  []tapi.Event // At is t0 plus the accumulated 'after'
	}{
		{
			name: "answered inbound call",
			steps: []step{
				{h: 5, info: inbound()},
				{h: 5, state: CallStateOffering},
				{h: 5, state: CallStateAccepted},
				{h: 5, state: CallStateConnected, after: 3 * time.Second},
				{h: 5, state: CallStateDisconnected, after: time.Minute},
				{h: 5, state: CallStateIdle},
			},
			want: []tapi.Event{
				{Source: "tapi", CallID: "tapi-77", State: tapi.StateRinging, Direction: tapi.DirectionIn,
					Remote: "+12125550123", RemoteName: "Jane Client", Local: "201"},
				{Source: "tapi", CallID: "tapi-77", State: tapi.StateAnswered, Direction: tapi.DirectionIn,
					Remote: "+12125550123", RemoteName: "Jane Client", Local: "201"},
				{Source: "tapi", CallID: "tapi-77", State: tapi.StateEnded, Direction: tapi.DirectionIn,
					Remote: "+12125550123", RemoteName: "Jane Client", Local: "201"},
			},
		},
		{
			name: "caller id after offering",
			steps: []step{
				{h: 9, state: CallStateOffering},
				{h: 9, info: inbound(), after: 200 * time.Millisecond},
				{h: 9, state: CallStateIdle, after: 10 * time.Second},
			},
			want: []tapi.Event{
				{Source: "tapi", CallID: "tapi-1", State: tapi.StateRinging, Direction: tapi.DirectionIn,
					Remote: "+12125550123", RemoteName: "Jane Client", Local: "201"},
				{Source: "tapi", CallID: "tapi-1", State: tapi.StateEnded, Direction: tapi.DirectionIn,
					Remote: "+12125550123", RemoteName: "Jane Client", Local: "201"},
			},
		},
		{
			name: "outbound dialing, ringback, connected",
			steps: []step{
				{h: 3, info: outbound},
				{h: 3, state: CallStateDialtone},
				{h: 3, state: CallStateDialing},
				{h: 3, state: CallStateRingback},
				{h: 3, state: CallStateProceeding},
				{h: 3, state: CallStateConnected, after: 5 * time.Second},
				{h: 3, state: CallStateIdle, after: time.Minute},
			},
			want: []tapi.Event{
				{Source: "tapi", CallID: "tapi-1", State: tapi.StateRinging, Direction: tapi.DirectionOut, Remote: "2125550123", Local: "201"},
				{Source: "tapi", CallID: "tapi-1", State: tapi.StateAnswered, Direction: tapi.DirectionOut, Remote: "2125550123", Local: "201"},
				{Source: "tapi", CallID: "tapi-1", State: tapi.StateEnded, Direction: tapi.DirectionOut, Remote: "2125550123", Local: "201"},
			},
		},
		{
			name: "idle of a call never seen is silent",
			steps: []step{
				{h: 4, state: CallStateIdle},
			},
		},
		{
			name: "two calls at once (call waiting)",
			steps: []step{
				{h: 1, info: inbound()},
				{h: 1, state: CallStateOffering},
				{h: 1, state: CallStateConnected},
				{h: 2, info: &CallInfo{CallID: 78, Origin: OriginInbound, Caller: Party{Address: "3125550100"}}},
				{h: 2, state: CallStateOffering},
				{h: 2, state: CallStateIdle},
			},
			want: []tapi.Event{
				{Source: "tapi", CallID: "tapi-77", State: tapi.StateRinging, Direction: tapi.DirectionIn,
					Remote: "+12125550123", RemoteName: "Jane Client", Local: "201"},
				{Source: "tapi", CallID: "tapi-77", State: tapi.StateAnswered, Direction: tapi.DirectionIn,
					Remote: "+12125550123", RemoteName: "Jane Client", Local: "201"},
				{Source: "tapi", CallID: "tapi-78", State: tapi.StateRinging, Direction: tapi.DirectionIn, Remote: "3125550100", Local: "line"},
				{Source: "tapi", CallID: "tapi-78", State: tapi.StateEnded, Direction: tapi.DirectionIn, Remote: "3125550100", Local: "line"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := newCalls("line")
			now := t0
			var got []tapi.Event
			for _, s := range tt.steps {
				now = now.Add(s.after)
				if s.info != nil {
					got = append(got, cs.info(s.h, *s.info, now)...)
				} else {
					got = append(got, cs.state(s.h, s.state, now)...)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("events = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				w := tt.want[i]
				w.At = got[i].At
				if got[i] != w {
					t.Errorf("event %d = %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
}

func TestCallsRingWithoutCallerID(t *testing.T) {
	cs := newCalls("Line 201")
	if evs := cs.state(1, CallStateOffering, t0); len(evs) != 0 {
		t.Fatalf("state(offering, no caller id) = %+v, want nothing yet", evs)
	}
	if evs := cs.tick(t0.Add(ringWait / 2)); len(evs) != 0 {
		t.Fatalf("tick(before ringWait) = %+v, want nothing", evs)
	}
	evs := cs.tick(t0.Add(ringWait))
	if len(evs) != 1 || evs[0].State != tapi.StateRinging || evs[0].CallID == "" || evs[0].Local != "Line 201" {
		t.Fatalf("tick(after ringWait) = %+v, want one ringing with a call id", evs)
	}
	// LINE_CLOSE ends what is open.
	evs = cs.closeAll(t0.Add(5 * time.Second))
	if len(evs) != 1 || evs[0].State != tapi.StateEnded {
		t.Errorf("closeAll() = %+v, want one ended", evs)
	}
	if len(cs.m) != 0 {
		t.Errorf("calls left after closeAll: %d", len(cs.m))
	}
}

func TestPick(t *testing.T) {
	lines := []Line{{Index: 0, Name: "WAN Miniport"}, {Index: 1, Name: "3CX TAPI Line 201"}, {Index: 2, Name: "Avaya IP Office"}}
	tests := []struct {
		want    string
		wantIdx uint32
		wantErr bool
	}{
		{"", 0, false},
		{"1", 1, false},
		{"3cx", 1, false},
		{"  avaya ", 2, false},
		{"7", 0, true},
		{"Mitel", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got, err := pick(lines, tt.want)
			if (err != nil) != tt.wantErr || (err == nil && got.Index != tt.wantIdx) {
				t.Errorf("pick(%q) = %+v, %v, want index %d, error %v", tt.want, got, err, tt.wantIdx, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrLineNotFound) {
				t.Errorf("pick(%q) error = %v, want ErrLineNotFound", tt.want, err)
			}
		})
	}
	if _, err := pick(nil, ""); !errors.Is(err, ErrLineNotFound) {
		t.Errorf("pick(no lines) error = %v, want ErrLineNotFound", err)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{{0, time.Second}, {1, 2 * time.Second}, {5, 32 * time.Second}, {6, time.Minute}, {60, time.Minute}}
	for _, tt := range tests {
		if got := backoff(tt.attempt, 0, 0); got != tt.want {
			t.Errorf("backoff(%d) = %v, want %v", tt.attempt, got, tt.want)
		}
	}
}

func TestLineError(t *testing.T) {
	e := &LineError{Func: "lineOpenW", Code: 0x80000048}
	if got, want := e.Error(), "lineOpenW failed: LINEERR_OPERATIONFAILED"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = &LineError{Func: "lineOpenW", Code: 0x8000ABCD}
	if got, want := e.Error(), "lineOpenW failed: LINEERR 0x8000ABCD"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
