package phone

import "strings"

// uriSchemes are the schemes UserPart strips.
var uriSchemes = [...]string{"sip:", "sips:", "tel:", "callto:"}

// UserPart reduces "sip:+12125550123@host;params", "sips:…",
// "tel:+1-212-555-0123;ext=1" and "callto:+12125550123" to the number (the
// user part, without parameters or headers); anything else is returned
// unchanged.
func UserPart(s string) string {
	if len(s) < 4 {
		return s
	}
	for _, scheme := range uriSchemes {
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

// IsExtension reports whether number (raw, or a URI UserPart reads) looks
// like an internal extension: it has at least one and fewer than minDigits
// digits.
func IsExtension(number string, minDigits int) bool {
	n := digitCount(UserPart(strings.TrimSpace(number)))
	return n > 0 && n < minDigits
}

// IsInternal is the extension-pair rule for a call: it is internal when the
// remote number is an extension (IsExtension) and the local side is not a
// full number either (it is an extension, a name, or unknown).
func IsInternal(remote, local string, minDigits int) bool {
	return IsExtension(remote, minDigits) && digitCount(UserPart(strings.TrimSpace(local))) < minDigits
}
