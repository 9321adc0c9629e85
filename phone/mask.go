package phone

import "strings"

// Mask hides a phone number for logging: every digit but the last two
// becomes '*', a leading '+' is kept, and everything else (letters of a SIP
// user name, punctuation) is dropped. "+1 (212) 555-0123" becomes
// "+*********23". A value without digits becomes "***" and "" stays "".
func Mask(s string) string {
	if s == "" {
		return ""
	}
	digits := digitCount(s)
	if digits == 0 {
		return "***"
	}
	var b strings.Builder
	if strings.HasPrefix(strings.TrimSpace(s), "+") {
		b.WriteByte('+')
	}
	seen := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		seen++
		if seen > digits-2 {
			b.WriteByte(c)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}
