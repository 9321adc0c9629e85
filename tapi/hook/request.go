package hook

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/calldocket/calldocket/tapi"
)

// SourceName is the tapi.Event Source of every event from this package.
const SourceName = "hook"

// Field length limits, in characters.
const (
	MaxNumberLen = 64
	MaxNameLen   = 128
	MaxIDLen     = 128
)

// Request is a call event as a hook reports it, before validation.
type Request struct {
	State     string `json:"state"`               // ringing, answered or ended
	Number    string `json:"number"`              // the remote number
	Name      string `json:"name,omitempty"`      // the remote name, if the softphone knows it
	ID        string `json:"id,omitempty"`        // the softphone's call id, if it has one
	Direction string `json:"direction,omitempty"` // in (default) or out
}

// Problems a FieldError reports.
var (
	ErrMissing          = errors.New("missing value")
	ErrTooLong          = errors.New("value too long")
	ErrControlCharacter = errors.New("control character in value")
	ErrInvalidUTF8      = errors.New("invalid UTF-8 in value")
)

// FieldError reports a bad field of a Request. Err is one of ErrMissing,
// ErrTooLong, ErrControlCharacter, ErrInvalidUTF8, or a *tapi.ParseError.
// Its message names the field in plain words, e.g. "number is required".
type FieldError struct {
	Field string // "state", "number", "name", "id" or "direction"
	Max   int    // the limit, for ErrTooLong
	Err   error
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
	}
	return fmt.Sprintf("%s: %v", e.Field, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

// Event validates r and turns it into a tapi.Event with Source "hook" and At
// now. Fields are trimmed. State is required (see tapi.ParseState);
// Direction defaults to in. Number is required for ringing, and for
// answered and ended unless ID is given. A number given as a SIP or tel URI
// ("sip:+12125550123@pbx;user=phone") is reduced to its user part. Fields
// with control characters or invalid UTF-8 are refused, as are numbers over
// 64 characters and names or ids over 128.
func (r Request) Event(now time.Time) (tapi.Event, error) {
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
	number := userPart(r.Number)
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
	}, nil
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

// userPart reduces "sip:+12125550123@host;params", "sips:…" and
// "tel:+1-212-555-0123;ext=1" to the number; anything else is returned as is.
func userPart(s string) string {
	lower := strings.ToLower(s)
	for _, scheme := range []string{"sip:", "sips:", "tel:"} {
		if !strings.HasPrefix(lower, scheme) {
			continue
		}
		s = s[len(scheme):]
		if i := strings.IndexAny(s, "@;?"); i >= 0 {
			s = s[:i]
		}
		return strings.TrimSpace(s)
	}
	return s
}
