package tapi

import "strings"

// MaskNumber hides a phone number for logging: every digit but the last two
// becomes '*', a leading '+' is kept, and everything else (letters of a SIP
// user name, punctuation) is dropped. "+1 (212) 555-0123" becomes
// "+*********23". A value without digits becomes "***" and "" stays "".
func MaskNumber(s string) string {
	if s == "" {
		return ""
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits == 0 {
		return "***"
	}
	var b strings.Builder
	if strings.HasPrefix(strings.TrimSpace(s), "+") {
		b.WriteByte('+')
	}
	seen := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			continue
		}
		seen++
		if seen > digits-2 {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}
