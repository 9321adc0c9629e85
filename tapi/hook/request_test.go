package hook

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var requestEventTests = []struct {
	name    string
	in      Request
	want    tapi.Event
	wantErr string // the error message, "" for success
}{
	{
		name: "ringing with number and name",
		in:   Request{State: "ringing", Number: " +12125550123 ", Name: " Jane Client "},
		want: tapi.Event{Source: "hook", State: tapi.StateRinging, Direction: tapi.DirectionIn,
			Remote: "+12125550123", RemoteName: "Jane Client", At: now},
	},
	{
		name: "case-insensitive state and direction",
		in:   Request{State: "ANSWERED", Number: "1002", Direction: " Out "},
		want: tapi.Event{Source: "hook", State: tapi.StateAnswered, Direction: tapi.DirectionOut, Remote: "1002", At: now},
	},
	{
		name: "ended with id only",
		in:   Request{State: "ended", ID: "abc-1"},
		want: tapi.Event{Source: "hook", CallID: "abc-1", State: tapi.StateEnded, Direction: tapi.DirectionIn, At: now},
	},
	{
		name: "answered with id only",
		in:   Request{State: "answered", ID: "abc-1"},
		want: tapi.Event{Source: "hook", CallID: "abc-1", State: tapi.StateAnswered, Direction: tapi.DirectionIn, At: now},
	},
	{
		name: "sip uri reduced to user part",
		in:   Request{State: "ringing", Number: "sip:+12125550123@127.0.0.1;transport=udp"},
		want: tapi.Event{Source: "hook", State: tapi.StateRinging, Direction: tapi.DirectionIn, Remote: "+12125550123", At: now},
	},
	{
		name: "tel uri",
		in:   Request{State: "ringing", Number: "TEL:+1-212-555-0123;ext=7"},
		want: tapi.Event{Source: "hook", State: tapi.StateRinging, Direction: tapi.DirectionIn, Remote: "+1-212-555-0123", At: now},
	},
	{
		name: "ended, declined at the phone",
		in:   Request{State: "ended", ID: "abc-1", Reason: " Rejected "},
		want: tapi.Event{Source: "hook", CallID: "abc-1", State: tapi.StateEnded, Direction: tapi.DirectionIn, At: now,
			Reason: tapi.EndRejected},
	},
	{
		name: "declined is rejected",
		in:   Request{State: "ended", Number: "2125550123", Reason: "declined"},
		want: tapi.Event{Source: "hook", State: tapi.StateEnded, Direction: tapi.DirectionIn, Remote: "2125550123", At: now,
			Reason: tapi.EndRejected},
	},
	{name: "unknown reason", in: Request{State: "ended", ID: "x", Reason: "hung up"},
		wantErr: `reason: invalid end reason "hung up" (want rejected or declined, or leave it out)`},
	{name: "reason with ringing", in: Request{State: "ringing", Number: "1", Reason: "rejected"},
		wantErr: "reason goes only with the state ended"},
	{name: "reason too long", in: Request{State: "ended", ID: "x", Reason: strings.Repeat("r", 17)},
		wantErr: "reason is too long (at most 16 characters)"},
	{name: "missing state", in: Request{Number: "1"}, wantErr: "state is required"},
	{name: "unknown state", in: Request{State: "missed", Number: "1"}, wantErr: `state: invalid call state "missed"`},
	{name: "unknown direction", in: Request{State: "ringing", Number: "1", Direction: "inbound"},
		wantErr: `direction: invalid call direction "inbound"`},
	{name: "ringing needs number even with id", in: Request{State: "ringing", ID: "x"}, wantErr: "number is required"},
	{name: "ended needs number or id", in: Request{State: "ended", Number: "  "}, wantErr: "number is required"},
	{name: "blank sip uri", in: Request{State: "ringing", Number: "sip:@host"}, wantErr: "number is required"},
	{name: "number too long", in: Request{State: "ringing", Number: strings.Repeat("1", 65)},
		wantErr: "number is too long (at most 64 characters)"},
	{name: "name too long", in: Request{State: "ringing", Number: "1", Name: strings.Repeat("é", 129)},
		wantErr: "name is too long (at most 128 characters)"},
	{name: "id too long", in: Request{State: "ended", ID: strings.Repeat("a", 129)},
		wantErr: "id is too long (at most 128 characters)"},
	{name: "name at the limit", in: Request{State: "ringing", Number: "1", Name: strings.Repeat("é", 128)},
		want: tapi.Event{Source: "hook", State: tapi.StateRinging, Direction: tapi.DirectionIn, Remote: "1",
			RemoteName: strings.Repeat("é", 128), At: now}},
	{name: "newline in name", in: Request{State: "ringing", Number: "1", Name: "Jane\nClient"},
		wantErr: "name contains a control character"},
	{name: "escape in number", in: Request{State: "ringing", Number: "12\x1b[31m"},
		wantErr: "number contains a control character"},
	{name: "invalid utf-8", in: Request{State: "ringing", Number: "1", Name: "\xff"},
		wantErr: "name is not valid UTF-8"},
}

func TestRequestEvent(t *testing.T) {
	for _, tt := range requestEventTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Event(now)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Event(%+v) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				var fe *FieldError
				if !errors.As(err, &fe) {
					t.Errorf("Event(%+v) error = %T, want *FieldError", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Event(%+v) error = %v, want nil", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Event(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Event(%+v).Validate() = %v, want nil", tt.in, err)
			}
		})
	}
}

func FuzzRequestEvent(f *testing.F) {
	for _, tt := range requestEventTests {
		f.Add(tt.in.State, tt.in.Number, tt.in.Name, tt.in.ID, tt.in.Direction)
	}
	f.Fuzz(func(t *testing.T, state, number, name, id, direction string) {
		r := Request{State: state, Number: number, Name: name, ID: id, Direction: direction}
		ev, err := r.Event(now)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Event(%+v) error = %T %v, want *FieldError", r, err, err)
			}
			return
		}
		if err := ev.Validate(); err != nil {
			t.Fatalf("Event(%+v) = %+v, invalid: %v", r, ev, err)
		}
		if ev.Source != SourceName || len(ev.Remote) > 4*MaxNumberLen || strings.ContainsAny(ev.Remote+ev.RemoteName+ev.CallID, "\r\n\x00") {
			t.Fatalf("Event(%+v) = %+v, want a clean hook event", r, ev)
		}
	})
}
