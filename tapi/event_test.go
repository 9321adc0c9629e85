package tapi

import (
	"errors"
	"testing"
	"time"
)

var parseStateTests = []struct {
	in      string
	want    State
	wantErr bool
}{
	{"ringing", StateRinging, false},
	{"answered", StateAnswered, false},
	{"ended", StateEnded, false},
	{"  Ringing\t", StateRinging, false},
	{"ANSWERED", StateAnswered, false},
	{"Ended\n", StateEnded, false},
	{"", "", true},
	{"ring", "", true},
	{"missed", "", true},
	{"ringing!", "", true},
	{"early", "", true},
}

func TestParseState(t *testing.T) {
	for _, tt := range parseStateTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseState(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseState(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseState(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || !errors.Is(err, ErrInvalidState) || pe.Field != "state" {
					t.Errorf("ParseState(%q) error = %#v, want *ParseError wrapping ErrInvalidState", tt.in, err)
				}
			}
		})
	}
}

var parseDirectionTests = []struct {
	in      string
	want    Direction
	wantErr bool
}{
	{"", DirectionIn, false},
	{"   ", DirectionIn, false},
	{"in", DirectionIn, false},
	{"out", DirectionOut, false},
	{" OUT ", DirectionOut, false},
	{"In", DirectionIn, false},
	{"inbound", "", true},
	{"recipient", "", true},
	{"o", "", true},
}

func TestParseDirection(t *testing.T) {
	for _, tt := range parseDirectionTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDirection(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDirection(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseDirection(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if err != nil && !errors.Is(err, ErrInvalidDirection) {
				t.Errorf("ParseDirection(%q) error = %v, want ErrInvalidDirection", tt.in, err)
			}
		})
	}
}

func TestParseErrorCutsLongValues(t *testing.T) {
	long := "x"
	for len(long) < 100 {
		long += long
	}
	_, err := ParseState(long)
	var pe *ParseError
	if !errors.As(err, &pe) || len(pe.Value) != 32 {
		t.Errorf("ParseState(long) error = %v, want *ParseError with a 32-byte value", err)
	}
}

func TestEventValidate(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		ev   Event
		want error // nil, or the sentinel the error must wrap
	}{
		{"ringing with number", Event{State: StateRinging, Remote: "+12125550123", At: at}, nil},
		{"answered with call id only", Event{State: StateAnswered, CallID: "1-22392@127.0.0.1"}, nil},
		{"ended outbound", Event{State: StateEnded, Direction: DirectionOut, CallID: "x"}, nil},
		{"empty direction means in", Event{State: StateRinging, Direction: "", Remote: "1"}, nil},
		{"empty state", Event{Remote: "1"}, ErrInvalidState},
		{"unknown state", Event{State: "missed", Remote: "1"}, ErrInvalidState},
		{"unnormalised state", Event{State: "Ringing", Remote: "1"}, ErrInvalidState},
		{"unknown direction", Event{State: StateRinging, Direction: "sideways", Remote: "1"}, ErrInvalidDirection},
		{"no call id and no number", Event{State: StateRinging}, ErrMissingParty},
		{"blank call id and number", Event{State: StateEnded, CallID: " ", Remote: "\t"}, ErrMissingParty},
		{"ended rejected", Event{State: StateEnded, CallID: "x", Reason: EndRejected}, nil},
		{"unknown reason", Event{State: StateEnded, CallID: "x", Reason: "hung-up"}, ErrInvalidReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.ev.Validate()
			if tt.want == nil {
				if err != nil {
					t.Errorf("Validate(%+v) = %v, want nil", tt.ev, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Validate(%+v) = %v, want %v", tt.ev, err, tt.want)
			}
		})
	}
}

func FuzzParseState(f *testing.F) {
	for _, tt := range parseStateTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseState(in)
		if err != nil {
			return
		}
		if again, err := ParseState(string(got)); err != nil || again != got {
			t.Errorf("ParseState(%q) = %q, %v, want %q, nil", got, again, err, got)
		}
	})
}

func FuzzParseDirection(f *testing.F) {
	for _, tt := range parseDirectionTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseDirection(in)
		if err != nil {
			return
		}
		if got != DirectionIn && got != DirectionOut {
			t.Errorf("ParseDirection(%q) = %q, want in or out", in, got)
		}
	})
}

var parseEndReasonTests = []struct {
	in      string
	want    EndReason
	wantErr bool
}{
	{"", "", false},
	{"  ", "", false},
	{"rejected", EndRejected, false},
	{" Rejected ", EndRejected, false},
	{"declined", EndRejected, false},
	{"DECLINE", EndRejected, false},
	{"busy", EndRejected, false},
	{"missed", "", true},
	{"cancelled", "", true},
	{"rejected2", "", true},
}

func TestParseEndReason(t *testing.T) {
	for _, tt := range parseEndReasonTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseEndReason(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseEndReason(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseEndReason(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if err != nil && !errors.Is(err, ErrInvalidReason) {
				t.Errorf("ParseEndReason(%q) error = %v, want ErrInvalidReason", tt.in, err)
			}
		})
	}
}

func FuzzParseEndReason(f *testing.F) {
	for _, tt := range parseEndReasonTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseEndReason(in)
		if err != nil {
			return
		}
		if got != "" && got != EndRejected {
			t.Errorf("ParseEndReason(%q) = %q, want \"\" or rejected", in, got)
		}
		if err := (Event{State: StateEnded, CallID: "x", Reason: got}).Validate(); err != nil {
			t.Errorf("Validate(reason %q) = %v, want nil", got, err)
		}
	})
}
