package phone

import "strings"

// minSame is the fewest digits two numbers must have to be compared by
// Same.
const minSame = 7

// Digits returns the ASCII digits of s, in order, and nothing else.
func Digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Same reports whether a and b, as typed by hand (a Clio contact's phone
// field, a caller ID), are the same number: comparing Digits only, both
// have at least 7 digits and they are equal or one ends with the other
// ("+1 212 555 0123" and "(212) 555-0123"; "555 0123" is too short to
// match anything).
func Same(a, b string) bool {
	da, db := Digits(a), Digits(b)
	if len(da) < minSame || len(db) < minSame {
		return false
	}
	return strings.HasSuffix(da, db) || strings.HasSuffix(db, da)
}

// digitCount counts the ASCII digits of s.
func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}
