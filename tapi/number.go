package tapi

import "strings"

// NumberPart reduces "sip:+12125550123@host;params", "sips:…" and
// "tel:+1-212-555-0123;ext=1" to the number; anything else is returned
// unchanged.
func NumberPart(s string) string {
	if len(s) < 4 {
		return s
	}
	for _, scheme := range [...]string{"sip:", "sips:", "tel:"} {
		if len(s) < len(scheme) || !strings.EqualFold(s[:len(scheme)], scheme) {
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

// IsExtension reports whether number (raw, or a SIP or tel URI) looks like an
// internal extension: it has at least one and fewer than minDigits digits.
func IsExtension(number string, minDigits int) bool {
	n := digitCount(NumberPart(strings.TrimSpace(number)))
	return n > 0 && n < minDigits
}

// extensionPair is the MinDigits rule of TrackerOptions: the remote number
// is an extension, and the local side is not a full number (it is an
// extension, a name, or unknown).
func extensionPair(remote, local string, minDigits int) bool {
	return IsExtension(remote, minDigits) && digitCount(NumberPart(strings.TrimSpace(local))) < minDigits
}
