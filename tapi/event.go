package tapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// State is the state of a call as a source reports it.
type State string

// The states a source can report.
const (
	StateRinging  State = "ringing"  // inbound: ringing; outbound: dialing
	StateAnswered State = "answered" // the call is connected
	StateEnded    State = "ended"    // hung up, cancelled, rejected or missed
)

// EndReason says why a call ended, when the source knows. The empty
// reason means the source did not say (hung up, cancelled, timed out, or
// unknown).
type EndReason string

// The end reasons a source can report.
const (
	// EndRejected: the attorney declined the ringing call at the phone
	// (486 Busy Here, 603 Decline, dialog-info event="rejected" or
	// "declined", Asterisk hangup cause 21 "Call rejected").
	EndRejected EndReason = "rejected"
)

// ParseEndReason parses an end reason case-insensitively, ignoring
// surrounding white space: "" (none), "rejected", or its synonyms
// "declined", "decline" and "busy" (a phone answering 486 Busy Here).
func ParseEndReason(s string) (EndReason, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "rejected", "reject", "declined", "decline", "busy":
		return EndRejected, nil
	}
	return "", newParseError("reason", s, ErrInvalidReason)
}

// Direction says who placed the call.
type Direction string

// The two call directions.
const (
	DirectionIn  Direction = "in"  // the remote party called us
	DirectionOut Direction = "out" // we called the remote party
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrInvalidState is wrapped by ParseState and Event.Validate.
	ErrInvalidState = errors.New("invalid call state")
	// ErrInvalidDirection is wrapped by ParseDirection and Event.Validate.
	ErrInvalidDirection = errors.New("invalid call direction")
	// ErrInvalidReason is wrapped by ParseEndReason and Event.Validate.
	ErrInvalidReason = errors.New("invalid end reason")
	// ErrMissingParty is returned by Event.Validate for an event that has
	// neither a CallID nor a Remote number, so it cannot be tied to a call.
	ErrMissingParty = errors.New("missing call id and remote number")
)

// ParseError reports a value that is not a known State, Direction or
// EndReason. It unwraps to ErrInvalidState, ErrInvalidDirection or
// ErrInvalidReason.
type ParseError struct {
	Field string // "state", "direction" or "reason"
	Value string // the rejected input, cut to 32 bytes
	Err   error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%v %q", e.Err, e.Value)
}

func (e *ParseError) Unwrap() error { return e.Err }

func newParseError(field, value string, err error) *ParseError {
	if len(value) > 32 {
		value = value[:32]
	}
	return &ParseError{Field: field, Value: value, Err: err}
}

// ParseState parses a state name case-insensitively, ignoring surrounding
// white space. Only "ringing", "answered" and "ended" are accepted.
func ParseState(s string) (State, error) {
	switch st := State(strings.ToLower(strings.TrimSpace(s))); st {
	case StateRinging, StateAnswered, StateEnded:
		return st, nil
	}
	return "", newParseError("state", s, ErrInvalidState)
}

// ParseDirection parses a direction case-insensitively, ignoring surrounding
// white space. The empty string means DirectionIn.
func ParseDirection(s string) (Direction, error) {
	switch d := Direction(strings.ToLower(strings.TrimSpace(s))); d {
	case "":
		return DirectionIn, nil
	case DirectionIn, DirectionOut:
		return d, nil
	}
	return "", newParseError("direction", s, ErrInvalidDirection)
}

// Event is one observation from a call source: a call rang (or is being
// dialled), was answered, or ended.
type Event struct {
	Source     string    // provider name: "sip", "hook", "sim", …
	CallID     string    // the provider's call identifier; unique across sources; may be empty
	State      State     // StateRinging, StateAnswered or StateEnded
	Direction  Direction // DirectionIn or DirectionOut; empty means DirectionIn
	Remote     string    // the remote number as the source saw it
	RemoteE164 string    // the remote number in E.164 when the source knows it
	RemoteName string    // caller name from the network or softphone, if any
	Local      string    // our own extension or address of record, if known
	At         time.Time // when it happened; zero means "when the tracker saw it"
	// Reason says why the call ended, for StateEnded when the source knows
	// (EndRejected); it is ignored for other states.
	Reason EndReason
}

// Validate reports whether the event can be tracked: the state must be one of
// the State constants, the direction DirectionIn, DirectionOut or empty, and
// the reason "" or EndRejected, and the event must carry a CallID or a
// Remote number.
func (ev Event) Validate() error {
	switch ev.State {
	case StateRinging, StateAnswered, StateEnded:
	default:
		return fmt.Errorf("validate call event: %w", newParseError("state", string(ev.State), ErrInvalidState))
	}
	switch ev.Direction {
	case "", DirectionIn, DirectionOut:
	default:
		return fmt.Errorf("validate call event: %w", newParseError("direction", string(ev.Direction), ErrInvalidDirection))
	}
	switch ev.Reason {
	case "", EndRejected:
	default:
		return fmt.Errorf("validate call event: %w", newParseError("reason", string(ev.Reason), ErrInvalidReason))
	}
	if strings.TrimSpace(ev.CallID) == "" && strings.TrimSpace(ev.Remote) == "" {
		return fmt.Errorf("validate call event: %w", ErrMissingParty)
	}
	return nil
}

// LinkFunc is told when a source's connection to the phone system comes
// up (why is "") or goes down (why says what failed), so the app can say
// "Phone link down" while calls may go unseen. It must not block.
type LinkFunc func(up bool, why string)

// Report calls f when it is set.
func (f LinkFunc) Report(up bool, why string) {
	if f != nil {
		f(up, why)
	}
}

// Source is the one provider contract: Run observes calls and passes each
// event to emit until ctx is cancelled, then returns ctx.Err(). Run returns
// early with a non-nil error when the source cannot work (bad configuration,
// lost connection it cannot recover from). emit is called from one goroutine
// at a time and should not block for long.
type Source interface {
	Run(ctx context.Context, emit func(Event)) error
}
