package phone

import (
	"strings"
	"unicode/utf8"
)

// MaxNumberLen is the longest number Check accepts, in characters (of a
// URI's user part, for a URI).
const MaxNumberLen = 32

// maxDigits is E.164's limit: no phone number has more digits.
const maxDigits = 15

// Check reports whether raw is a usable remote number: a phone number
// Normalize reads in region, or an internal extension or local number
// written as a dialler writes it (digits, a leading '+', spaces and
// - . ( ) / * #). A sip:, sips:, tel: or callto: URI is read by its user
// part (FromURI). It returns an *Error, which never repeats the input:
// ReasonEmpty, ReasonWithheld ("anonymous"), ReasonTooLong (more than
// MaxNumberLen characters or 15 digits) or ReasonNotANumber.
func Check(raw, region string) error {
	s := strings.TrimSpace(raw)
	if len(s) > maxURI {
		return &Error{Reason: ReasonTooLong}
	}
	if u, ok := FromURI(s); ok {
		s = u
	}
	if s == "" {
		return &Error{Reason: ReasonEmpty}
	}
	if utf8.RuneCountInString(s) > MaxNumberLen {
		return &Error{Reason: ReasonTooLong}
	}
	if digitCount(s) > maxDigits {
		return &Error{Reason: ReasonTooLong}
	}
	if dialString(s) {
		return nil
	}
	k := Analyze(s, region)
	switch {
	case k.Err == nil:
		return nil
	case k.Withheld():
		return k.Err
	}
	return &Error{Reason: ReasonNotANumber}
}

// dialString reports whether s has at least one digit and only what a
// dialler writes: digits, a leading '+', spaces and - . ( ) / * #.
func dialString(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && i == 0:
		case strings.IndexByte(" -.()/*#", c) >= 0:
		default:
			return false
		}
	}
	return digits > 0
}
