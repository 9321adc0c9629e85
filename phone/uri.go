package phone

import (
	"net/url"
	"strings"
)

// maxURI bounds the input FromURI reads.
const maxURI = 2048

// FromURI reads the number out of a URI as softphones pass it to a
// click-to-dial or call hook: "sip:+12125550123@pbx;user=phone",
// "sips:201@pbx?Subject=x", "tel:+1-212-555-0123;ext=4",
// "callto:+12125550123", "callto://+12125550123", a display-name form
// such as `"Jane" <sip:%2B12125550123@pbx>`, with %-escapes decoded. The
// number is the URI's user part without parameters or headers, trimmed;
// ok is false when s is not a sip:, sips:, tel: or callto: URI or has no
// user part. It never panics; the number is not checked (see Check).
func FromURI(s string) (number string, ok bool) {
	if len(s) > maxURI {
		return "", false
	}
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return "", false
		}
		s = strings.TrimSpace(s[i+1 : i+j])
	}
	rest := ""
	for _, scheme := range uriSchemes {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			rest, ok = s[len(scheme):], true
			break
		}
	}
	if !ok {
		return "", false
	}
	rest = strings.TrimPrefix(rest, "//")
	if i := strings.IndexAny(rest, "@;?"); i >= 0 {
		rest = rest[:i]
	}
	user, err := url.PathUnescape(rest)
	if err != nil {
		return "", false
	}
	user = strings.TrimSpace(user)
	if user == "" || strings.ContainsAny(user, "@;?<>") {
		return "", false
	}
	return user, true
}
