package hook

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/tapi"
)

// SourceName is the tapi.Event Source of every event from this package.
const SourceName = "hook"

// Field length limits, in characters.
const (
	MaxNumberLen = 64
	MaxNameLen   = 128
	MaxIDLen     = 128
	MaxTextLen   = 2000
)

// The kinds of Request.
const (
	KindCall = "call" // a call event (the default)
	KindSMS  = "sms"  // a text message
)

// Request is a call event as a hook reports it, before validation.
type Request struct {
	State     string `json:"state"`               // ringing, answered or ended
	Number    string `json:"number"`              // the remote number
	Name      string `json:"name,omitempty"`      // the remote name, if the softphone knows it
	ID        string `json:"id,omitempty"`        // the softphone's call id, if it has one
	Direction string `json:"direction,omitempty"` // in (default) or out
	Kind      string `json:"kind,omitempty"`      // "call" (default) or "sms"
	Text      string `json:"text,omitempty"`      // the message body, for kind "sms"
	// Reason says why an ended call ended, when the softphone knows:
	// "rejected" (or "declined") for a ringing call the user declined.
	Reason string `json:"reason,omitempty"`
}

// Problems a FieldError reports.
var (
	ErrMissing          = errors.New("missing value")
	ErrTooLong          = errors.New("value too long")
	ErrControlCharacter = errors.New("control character in value")
	ErrInvalidUTF8      = errors.New("invalid UTF-8 in value")
	ErrWrongKind        = errors.New("wrong kind of event")
	// ErrReasonNotEnded: a reason was given with a state other than ended.
	ErrReasonNotEnded = errors.New("reason without the ended state")
)

// FieldError reports a bad field of a Request. Err is one of ErrMissing,
// ErrTooLong, ErrControlCharacter, ErrInvalidUTF8, or a *tapi.ParseError.
// Its message names the field in plain words, e.g. "number is required".
type FieldError struct {
	Field string // "state", "number", "name", "id", "direction", "kind", "text" or "reason"
	Max   int    // the limit, for ErrTooLong
	Err   error
	want  string // what was expected, for ErrWrongKind
}

func (e *FieldError) Error() string {
	switch {
	case errors.Is(e.Err, ErrMissing):
		return e.Field + " is required"
	case errors.Is(e.Err, ErrTooLong):
		return fmt.Sprintf("%s is too long (at most %d characters)", e.Field, e.Max)
	case errors.Is(e.Err, ErrControlCharacter):
		return e.Field + " contains a control character"
	case errors.Is(e.Err, ErrInvalidUTF8):
		return e.Field + " is not valid UTF-8"
	case errors.Is(e.Err, ErrWrongKind):
		return e.Field + " is not " + e.want
	case errors.Is(e.Err, ErrReasonNotEnded):
		return e.Field + " goes only with the state ended"
	case errors.Is(e.Err, tapi.ErrInvalidReason):
		return fmt.Sprintf("%s: %v (want rejected or declined, or leave it out)", e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Field, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

// Event validates r and turns it into a tapi.Event with Source "hook" and At
// now. Kind must be "call" or empty, and Text is ignored. Fields are trimmed. State is required (see tapi.ParseState);
// Direction defaults to in. Number is required for ringing, and for
// answered and ended unless ID is given. A number given as a SIP or tel URI
// ("sip:+12125550123@pbx;user=phone") is reduced to its user part. Fields
// with control characters or invalid UTF-8 are refused, as are numbers over
// 64 characters and names or ids over 128. Reason (see tapi.ParseEndReason:
// "rejected", "declined") goes only with the state ended.
func (r Request) Event(now time.Time) (tapi.Event, error) {
	if k := strings.ToLower(strings.TrimSpace(r.Kind)); k != "" && k != KindCall {
		return tapi.Event{}, &FieldError{Field: "kind", Err: ErrWrongKind, want: `"call"`}
	}
	fields := []struct {
		name string
		val  *string
		max  int
	}{
		{"state", &r.State, 16},
		{"number", &r.Number, MaxNumberLen},
		{"name", &r.Name, MaxNameLen},
		{"id", &r.ID, MaxIDLen},
		{"direction", &r.Direction, 16},
		{"reason", &r.Reason, 16},
	}
	for _, f := range fields {
		v := strings.TrimSpace(*f.val)
		if err := checkText(v); err != nil {
			return tapi.Event{}, &FieldError{Field: f.name, Err: err}
		}
		if utf8.RuneCountInString(v) > f.max {
			return tapi.Event{}, &FieldError{Field: f.name, Max: f.max, Err: ErrTooLong}
		}
		*f.val = v
	}
	if r.State == "" {
		return tapi.Event{}, &FieldError{Field: "state", Err: ErrMissing}
	}
	state, err := tapi.ParseState(r.State)
	if err != nil {
		return tapi.Event{}, &FieldError{Field: "state", Err: err}
	}
	dir, err := tapi.ParseDirection(r.Direction)
	if err != nil {
		return tapi.Event{}, &FieldError{Field: "direction", Err: err}
	}
	reason, err := tapi.ParseEndReason(r.Reason)
	if err != nil {
		return tapi.Event{}, &FieldError{Field: "reason", Err: err}
	}
	if reason != "" && state != tapi.StateEnded {
		return tapi.Event{}, &FieldError{Field: "reason", Err: ErrReasonNotEnded}
	}
	number := phone.UserPart(r.Number)
	if number == "" && (state == tapi.StateRinging || r.ID == "") {
		return tapi.Event{}, &FieldError{Field: "number", Err: ErrMissing}
	}
	return tapi.Event{
		Source:     SourceName,
		CallID:     r.ID,
		State:      state,
		Direction:  dir,
		Remote:     number,
		RemoteName: r.Name,
		At:         now,
		Reason:     reason,
	}, nil
}

// SMS validates r as a text message and turns it into a tapi.Message with
// Source "hook" and At now. Kind must be "sms" or empty; State is ignored.
// Number and Text are required; the number is reduced like Event's, and
// Direction defaults to in. Text may hold line breaks and tabs but no other
// control characters, and at most 2000 characters; the other fields follow
// Event's rules.
func (r Request) SMS(now time.Time) (tapi.Message, error) {
	if k := strings.ToLower(strings.TrimSpace(r.Kind)); k != "" && k != KindSMS {
		return tapi.Message{}, &FieldError{Field: "kind", Err: ErrWrongKind, want: `"sms"`}
	}
	fields := []struct {
		name string
		val  *string
		max  int
	}{
		{"number", &r.Number, MaxNumberLen},
		{"name", &r.Name, MaxNameLen},
		{"id", &r.ID, MaxIDLen},
		{"direction", &r.Direction, 16},
	}
	for _, f := range fields {
		v := strings.TrimSpace(*f.val)
		if err := checkText(v); err != nil {
			return tapi.Message{}, &FieldError{Field: f.name, Err: err}
		}
		if utf8.RuneCountInString(v) > f.max {
			return tapi.Message{}, &FieldError{Field: f.name, Max: f.max, Err: ErrTooLong}
		}
		*f.val = v
	}
	text := strings.TrimSpace(r.Text)
	if err := checkBody(text); err != nil {
		return tapi.Message{}, &FieldError{Field: "text", Err: err}
	}
	if utf8.RuneCountInString(text) > MaxTextLen {
		return tapi.Message{}, &FieldError{Field: "text", Max: MaxTextLen, Err: ErrTooLong}
	}
	dir, err := tapi.ParseDirection(r.Direction)
	if err != nil {
		return tapi.Message{}, &FieldError{Field: "direction", Err: err}
	}
	number := phone.UserPart(r.Number)
	if number == "" {
		return tapi.Message{}, &FieldError{Field: "number", Err: ErrMissing}
	}
	if text == "" {
		return tapi.Message{}, &FieldError{Field: "text", Err: ErrMissing}
	}
	return tapi.Message{
		Source:     SourceName,
		ID:         r.ID,
		Direction:  dir,
		Remote:     number,
		RemoteName: r.Name,
		Text:       text,
		At:         now,
	}, nil
}

// IsSMS reports whether r is a text message rather than a call event.
func (r Request) IsSMS() bool {
	return strings.EqualFold(strings.TrimSpace(r.Kind), KindSMS)
}

// checkBody is checkText for message bodies: line breaks and tabs are
// allowed.
func checkBody(s string) error {
	if !utf8.ValidString(s) {
		return ErrInvalidUTF8
	}
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) {
			return ErrControlCharacter
		}
	}
	return nil
}

// checkText refuses invalid UTF-8 and control characters (including
// newlines and tabs, which have no business in a number or a name).
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return ErrInvalidUTF8
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ErrControlCharacter
		}
	}
	return nil
}
