package directory

import (
	"errors"
	"regexp"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalidNumber is wrapped by every *NumberError: the input is not a
// phone number that can be written in E.164.
var ErrInvalidNumber = errors.New("invalid phone number")

// Reasons a *NumberError gives.
const (
	ReasonEmpty         = "empty"
	ReasonWithheld      = "withheld"
	ReasonTooShort      = "too short"
	ReasonTooLong       = "too long"
	ReasonInvalidLength = "invalid length"
	ReasonCountryCode   = "invalid country code"
	ReasonNotANumber    = "not a number"
)

// NumberError says why Normalize rejected its input. It never repeats the
// input, so it is safe to log.
type NumberError struct {
	Reason string // one of the Reason… constants
}

func (e *NumberError) Error() string { return "invalid phone number: " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalidNumber) true.
func (e *NumberError) Unwrap() error { return ErrInvalidNumber }

// defaultRegion is used when a caller passes an empty region.
const defaultRegion = "US"

// maxInput bounds the work done on hostile input; libphonenumber itself
// rejects numbers longer than 250 characters.
const maxInput = 250

// Normalize returns raw as an E.164 number ("+12125550123"), reading
// numbers without a country code as numbers of region (ISO 3166 code,
// "" means "US"). It tolerates what people type into a contact's phone
// field: punctuation, labels such as "(Jane's cell)" or "Mobile:",
// extensions ("ext 4", "x4", "#4", which are dropped), an international
// prefix ("001 212 555 0123", "011 44 …"), the "(0)" trunk after a country
// code ("+44 (0)20 7946 0958"), vanity letters ("1-800-FLOWERS") and
// sip:/tel: URIs. Withheld, anonymous, empty, too short or otherwise
// unusable input returns a *NumberError wrapping ErrInvalidNumber.
func Normalize(raw, region string) (e164 string, err error) {
	k := analyze(raw, region)
	if k.err != nil {
		return "", k.err
	}
	return k.e164, nil
}

// FormatNumber formats a number for display: the national format when the
// number belongs to region's country calling code ("(212) 555-0123" for
// US), the international format otherwise ("+44 20 7946 0958"). Input that
// cannot be normalised is returned unchanged.
func FormatNumber(e164OrRaw, region string) string {
	region = regionOrDefault(region)
	k := analyze(e164OrRaw, region)
	if k.err != nil || k.parsed == nil {
		return e164OrRaw
	}
	return formatParsed(k.parsed, region)
}

// numberKeys is what the directory indexes and searches by.
type numberKeys struct {
	e164     string // "" when the number cannot be normalised
	national string // national significant number, or digits without trunk zeros
	digits   string // digits compared by suffix: e164 without "+", else national
	count    int    // digits in the number itself, without any extension
	parsed   *phonenumbers.PhoneNumber
	err      error // *NumberError when e164 is ""
}

// withheld reports whether the input says the caller's number is hidden.
func (k numberKeys) withheld() bool {
	var ne *NumberError
	return errors.As(k.err, &ne) && (ne.Reason == ReasonWithheld || ne.Reason == ReasonEmpty)
}

var (
	// bracketLabel is a parenthesised note containing a letter: "(Jane's cell)".
	bracketLabel = regexp.MustCompile(`[(\[{][^()\[\]{}]*\pL[^()\[\]{}]*[)\]}]`)
	// leadingLabel is a "Mobile:" style prefix.
	leadingLabel = regexp.MustCompile(`^\s*\pL[\pL\s'’.\-/]*:\s*`)
)

// labelWords are words people put before or after a number in a phone field.
var labelWords = map[string]bool{
	"cell": true, "cellular": true, "mobile": true, "mob": true, "home": true, "work": true,
	"office": true, "fax": true, "main": true, "direct": true, "tel": true, "telephone": true,
	"phone": true, "ph": true, "business": true, "other": true, "pager": true, "primary": true,
	"personal": true, "m": true, "w": true, "h": true, "c": true, "o": true, "t": true,
}

// withheldWords mark caller-ID values that carry no number.
var withheldWords = []string{
	"anonymous", "withheld", "private", "unknown", "restricted", "unavailable",
	"blocked", "callerid", "outofarea", "notavailable", "presentation",
}

func regionOrDefault(region string) string {
	if region == "" {
		return defaultRegion
	}
	return strings.ToUpper(region)
}

// analyze derives the match keys of raw. It never panics and bounds its
// work by maxInput.
func analyze(raw, region string) numberKeys {
	region = regionOrDefault(region)
	if len(raw) > 4*maxInput {
		return numberKeys{err: &NumberError{Reason: ReasonTooLong}}
	}
	s, hidden := clean(raw)
	if hidden {
		return numberKeys{err: &NumberError{Reason: ReasonWithheld}}
	}
	if strings.TrimSpace(s) == "" {
		return numberKeys{err: &NumberError{Reason: ReasonEmpty}}
	}
	if len(s) > maxInput {
		return numberKeys{err: &NumberError{Reason: ReasonTooLong}}
	}

	phone := s
	if !plainNumber(s) { // only letters or # ; , can start an extension
		phone, _ = phonenumbers.MaybeSeparateExtensionFromPhone(s)
		if phonenumbers.IsAlphaNumber(phone) {
			phone = phonenumbers.ConvertAlphaCharactersInNumber(phone)
		}
	}
	d := asciiDigits(phone)
	k := numberKeys{count: len(d)}
	if len(d) == 0 {
		k.err = &NumberError{Reason: ReasonNotANumber}
		return k
	}

	num, err := phonenumbers.Parse(s, region)
	reason := ""
	switch {
	case err != nil:
		reason = parseReason(err)
	default:
		reason = lengthReason(phonenumbers.IsPossibleNumberWithReason(num))
	}
	if reason != "" {
		// Try the number as international: "00…"/"011…" from a region whose
		// own prefix differs, or a country code typed without "+".
		if alt := retryInternational(d, strings.ContainsRune(phone, '+')); alt != nil {
			num, reason = alt, ""
		}
	}
	if reason != "" {
		k.err = &NumberError{Reason: reason}
		k.national = strings.TrimLeft(d, "0")
		if num != nil && err == nil {
			// A number possible only locally ("555-0123") still has an NSN.
			if nsn := phonenumbers.GetNationalSignificantNumber(num); nsn != "" && len(nsn) <= len(d) {
				k.national = strings.TrimLeft(nsn, "0")
			}
		}
		if len(k.national) > 17 {
			k.national = k.national[len(k.national)-17:]
		}
		k.digits = k.national
		return k
	}
	num.Extension = nil
	k.parsed = num
	k.e164 = phonenumbers.Format(num, phonenumbers.E164)
	k.national = phonenumbers.GetNationalSignificantNumber(num)
	k.digits = k.e164[1:]
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
	if err != nil {
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

// clean strips what is not part of the number: URI wrapping, bracketed
// notes, "Label:" prefixes and label words. hidden is true for caller-ID
// values that say the number is withheld.
func clean(raw string) (s string, hidden bool) {
	s = strings.TrimSpace(raw)
	if plainNumber(s) { // the common case: nothing to strip
		return s, false
	}
	s = unwrapURI(s)
	if !strings.ContainsFunc(s, unicode.IsDigit) {
		key := strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
		for _, w := range withheldWords {
			if strings.Contains(key, w) {
				return "", true
			}
		}
	}
	s = bracketLabel.ReplaceAllString(s, " ")
	s = leadingLabel.ReplaceAllString(s, "")
	return stripLabelWords(s), false
}

// plainNumber reports whether s holds only ASCII digits and the
// punctuation of written numbers, so it has no label, URI or extension.
func plainNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == ' ', c == '+', c == '-', c == '.', c == '(', c == ')', c == '/':
		default:
			return false
		}
	}
	return true
}

// unwrapURI turns `"Jane" <sip:+1212…@host;user=phone>` or
// "tel:+1-212-555-0123;ext=4" into the number part, keeping an extension.
func unwrapURI(s string) string {
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			inner := s[i+1 : i+j]
			if hasScheme(inner) {
				s = inner
			}
		}
	}
	low := strings.ToLower(s)
	for _, p := range []string{"sips:", "sip:", "tel:"} {
		if !strings.HasPrefix(low, p) {
			continue
		}
		s = s[len(p):]
		if p != "tel:" {
			if at := strings.IndexByte(s, '@'); at >= 0 {
				s = s[:at]
			}
		}
		parts := strings.Split(s, ";")
		s = parts[0]
		for _, param := range parts[1:] {
			if v, ok := strings.CutPrefix(strings.ToLower(param), "ext="); ok {
				s += " ext " + v
			}
		}
		break
	}
	return s
}

func hasScheme(s string) bool {
	low := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(low, "sip:") || strings.HasPrefix(low, "sips:") || strings.HasPrefix(low, "tel:")
}

// stripLabelWords removes label words ("cell", "home", …) at either end,
// but only while at least 7 digits remain, so vanity numbers such as
// "1 800 CALL HOME" keep their letters.
func stripLabelWords(s string) string {
	f := strings.Fields(s)
	trim := func(w string) string { return strings.ToLower(strings.Trim(w, ".,:;-")) }
	for len(f) > 1 && labelWords[trim(f[0])] {
		f = f[1:]
	}
	for len(f) > 1 && labelWords[trim(f[len(f)-1])] && len(asciiDigits(strings.Join(f[:len(f)-1], ""))) >= 7 {
		f = f[:len(f)-1]
	}
	return strings.Join(f, " ")
}

// asciiDigits returns the ASCII digits of s, after libphonenumber's
// mapping of full-width and Arabic-Indic digits; other scripts' digits are
// dropped so that keys stay within '0'…'9'.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phonenumbers.NormalizeDigitsOnly(s))
}
