package phone

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalid is wrapped by every *Error: the input is not a phone number
// that can be written in E.164.
var ErrInvalid = errors.New("invalid phone number")

// Reasons an *Error gives.
const (
	ReasonEmpty         = "empty"
	ReasonWithheld      = "withheld"
	ReasonTooShort      = "too short"
	ReasonTooLong       = "too long"
	ReasonInvalidLength = "invalid length"
	ReasonCountryCode   = "invalid country code"
	ReasonNotANumber    = "not a number"
)

// Error says why Normalize rejected its input. It never repeats the input,
// so it is safe to log.
type Error struct {
	Reason string // one of the Reason… constants
}

func (e *Error) Error() string { return "invalid phone number: " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *Error) Unwrap() error { return ErrInvalid }

// DefaultRegion is the region used when a caller passes "".
const DefaultRegion = "US"

// maxInput bounds the work done on hostile input; libphonenumber itself
// rejects numbers longer than 250 characters.
const maxInput = 250

// Region returns region (an ISO 3166 code) in upper case, DefaultRegion
// when it is empty.
func Region(region string) string {
	if region == "" {
		return DefaultRegion
	}
	return strings.ToUpper(region)
}

// KnownRegion reports whether libphonenumber knows Region(region).
func KnownRegion(region string) bool {
	return phonenumbers.GetSupportedRegions()[Region(region)]
}

// Normalize returns raw as an E.164 number ("+12125550123"), reading
// numbers without a country code as numbers of region (ISO 3166 code,
// "" means DefaultRegion). It tolerates what people type into a contact's
// phone field: punctuation, labels such as "(Jane's cell)" or "Mobile:",
// extensions ("ext 4", "x4", "#4", which are dropped), an international
// prefix ("001 212 555 0123", "011 44 …"), the "(0)" trunk after a country
// code ("+44 (0)20 7946 0958"), vanity letters ("1-800-FLOWERS") and
// sip:/tel: URIs. Withheld, anonymous, empty, too short or otherwise
// unusable input returns an *Error wrapping ErrInvalid.
func Normalize(raw, region string) (e164 string, err error) {
	k := Analyze(raw, region)
	if k.Err != nil {
		return "", k.Err
	}
	return k.E164, nil
}

// Format formats a number for display: the national format when the
// number belongs to region's country calling code ("(212) 555-0123" for
// US), the international format otherwise ("+44 20 7946 0958"). Input that
// cannot be normalised is returned unchanged.
func Format(e164OrRaw, region string) string {
	k := Analyze(e164OrRaw, region)
	if k.parsed == nil {
		return e164OrRaw
	}
	return k.Display()
}

// Keys are what a number is indexed, compared and shown by; Analyze
// derives them.
type Keys struct {
	// E164 is the number in E.164, "" when it cannot be normalised.
	E164 string
	// National is the national significant number; when E164 is "", the
	// digits without leading zeros (at most the last 17).
	National string
	// Digits are compared by suffix: E164 without "+", else National.
	Digits string
	// Count is the number of digits in the number itself, without any
	// extension; it tells internal extensions from full numbers.
	Count int
	// Err is the *Error saying why E164 is "", nil otherwise.
	Err error

	parsed *phonenumbers.PhoneNumber // nil when E164 is ""
	region string
}

// Withheld reports whether the input said the caller's number is hidden
// (or was empty).
func (k Keys) Withheld() bool {
	var e *Error
	return errors.As(k.Err, &e) && (e.Reason == ReasonWithheld || e.Reason == ReasonEmpty)
}

// Display is the number in Format's display format for the region it was
// analysed in; "" when E164 is "".
func (k Keys) Display() string {
	if k.parsed == nil {
		return ""
	}
	if int(k.parsed.GetCountryCode()) == phonenumbers.GetCountryCodeForRegion(k.region) {
		return phonenumbers.Format(k.parsed, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(k.parsed, phonenumbers.INTERNATIONAL)
}

// Analyze derives the keys of raw, read as Normalize reads it. It never
// panics and bounds its work on long input.
func Analyze(raw, region string) Keys {
	region = Region(region)
	if len(raw) > 4*maxInput {
		return Keys{Err: &Error{Reason: ReasonTooLong}, region: region}
	}
	s, hidden := clean(raw)
	if hidden {
		return Keys{Err: &Error{Reason: ReasonWithheld}, region: region}
	}
	if strings.TrimSpace(s) == "" {
		return Keys{Err: &Error{Reason: ReasonEmpty}, region: region}
	}
	if len(s) > maxInput {
		return Keys{Err: &Error{Reason: ReasonTooLong}, region: region}
	}

	number := s
	if !plainNumber(s) { // only letters or # ; , can start an extension
		number, _ = phonenumbers.MaybeSeparateExtensionFromPhone(s)
		if phonenumbers.IsAlphaNumber(number) {
			number = phonenumbers.ConvertAlphaCharactersInNumber(number)
		}
	}
	d := asciiDigits(number)
	k := Keys{Count: len(d), region: region}
	if len(d) == 0 {
		k.Err = &Error{Reason: ReasonNotANumber}
		return k
	}

	num, err := phonenumbers.Parse(s, region)
	reason := ""
	switch {
	case err != nil:
		reason = parseReason(err)
	case num.GetNationalNumber() == 0:
		// All zeros: libphonenumber keeps them as "Italian leading
		// zeros" and drops one when formatting, so no E.164 form is
		// stable.
		reason = ReasonNotANumber
	default:
		reason = lengthReason(phonenumbers.IsPossibleNumberWithReason(num))
	}
	if reason != "" {
		// Try the number as international: "00…"/"011…" from a region whose
		// own prefix differs, or a country code typed without "+".
		if alt := retryInternational(d, strings.ContainsRune(number, '+')); alt != nil {
			num, reason = alt, ""
		}
	}
	if reason != "" {
		k.Err = &Error{Reason: reason}
		k.National = strings.TrimLeft(d, "0")
		if num != nil && err == nil {
			// A number possible only locally ("555-0123") still has an NSN.
			if nsn := phonenumbers.GetNationalSignificantNumber(num); nsn != "" && len(nsn) <= len(d) {
				k.National = strings.TrimLeft(nsn, "0")
			}
		}
		if len(k.National) > 17 {
			k.National = k.National[len(k.National)-17:]
		}
		k.Digits = k.National
		return k
	}
	num.Extension = nil
	k.parsed = num
	k.E164 = phonenumbers.Format(num, phonenumbers.E164)
	k.National = phonenumbers.GetNationalSignificantNumber(num)
	k.Digits = k.E164[1:]
	return k
}

// retryInternational reparses digits d as an international number when
// they start with an international prefix ("00", "011") or, for input
// without "+", when "+"+d is a valid number.
func retryInternational(d string, hadPlus bool) *phonenumbers.PhoneNumber {
	var cand string
	strict := false
	switch {
	case hadPlus:
		return nil
	case strings.HasPrefix(d, "00"):
		cand = d[2:]
	case strings.HasPrefix(d, "011"):
		cand = d[3:]
	case strings.HasPrefix(d, "0"):
		return nil
	default:
		cand, strict = d, true
	}
	if len(cand) < 7 {
		return nil
	}
	num, err := phonenumbers.Parse("+"+cand, "ZZ")
	if err != nil || num.GetNationalNumber() == 0 {
		return nil
	}
	if strict && !phonenumbers.IsValidNumber(num) {
		return nil
	}
	if !strict && lengthReason(phonenumbers.IsPossibleNumberWithReason(num)) != "" {
		return nil
	}
	return num
}

func parseReason(err error) string {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return ReasonCountryCode
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return ReasonTooShort
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return ReasonTooLong
	default:
		return ReasonNotANumber
	}
}

func lengthReason(v phonenumbers.ValidationResult) string {
	switch v {
	case phonenumbers.IS_POSSIBLE:
		return ""
	case phonenumbers.INVALID_COUNTRY_CODE:
		return ReasonCountryCode
	case phonenumbers.TOO_SHORT, phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return ReasonTooShort
	case phonenumbers.TOO_LONG:
		return ReasonTooLong
	default:
		return ReasonInvalidLength
	}
}
