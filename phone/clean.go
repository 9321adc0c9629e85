package phone

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

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
	return Digits(phonenumbers.NormalizeDigitsOnly(s))
}
