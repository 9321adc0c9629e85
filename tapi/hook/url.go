package hook

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/calldocket/calldocket/tapi"
)

// Scheme is the URL scheme CallDocket registers for screen-pop links.
const Scheme = "calldocket"

// MaxURLLen bounds the URLs ParseURL accepts.
const MaxURLLen = 2048

// ErrNotCallURL is wrapped by ParseURL for a URL that is neither
// calldocket://call nor calldocket://message.
var ErrNotCallURL = errors.New("not a calldocket://call URL")

// ParseURL reads a Request from a screen-pop URL:
//
//	calldocket://call?number=…&state=…&name=…&id=…&direction=…&reason=…
//
// reason=rejected (or declined) with state=ended says the user declined
// the ringing call. "calldocket:call?…" and "calldocket://call/?…" are accepted too, and the
// scheme and host are case-insensitive. State defaults to ringing.
//
// A text message uses the host "message" and a text parameter; the Request
// then has Kind "sms" (and no default State):
//
//	calldocket://message?number=…&text=…&name=…&id=…&direction=…
//
// Unknown
// parameters are ignored; for repeated ones the first wins. A '+' in number
// and id is kept as is (so "number=+12125550123" works unencoded), while in
// name, state and direction it means a space. ParseURL does not validate
// the values: Request.Event does.
func ParseURL(raw string) (Request, error) {
	if len(raw) > MaxURLLen {
		return Request{}, fmt.Errorf("parse call URL: %w (longer than %d bytes)", ErrNotCallURL, MaxURLLen)
	}
	rest := strings.TrimSpace(raw)
	if len(rest) < len(Scheme)+1 || !strings.EqualFold(rest[:len(Scheme)+1], Scheme+":") {
		return Request{}, fmt.Errorf("parse call URL: %w", ErrNotCallURL)
	}
	rest = rest[len(Scheme)+1:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	target, query, _ := strings.Cut(rest, "?")
	target = strings.TrimPrefix(target, "//")
	target = strings.TrimSuffix(target, "/")
	r := Request{}
	switch {
	case strings.EqualFold(target, KindCall):
	case strings.EqualFold(target, "message"):
		r.Kind = KindSMS
	default:
		return Request{}, fmt.Errorf("parse call URL: %w", ErrNotCallURL)
	}

	seen := map[string]bool{}
	for pair := range strings.SplitSeq(query, "&") {
		if pair == "" {
			continue
		}
		key, val, _ := strings.Cut(pair, "=")
		key = strings.ToLower(key)
		var dst *string
		plusIsSpace := true
		switch key {
		case "number":
			dst, plusIsSpace = &r.Number, false
		case "id":
			dst, plusIsSpace = &r.ID, false
		case "name":
			dst = &r.Name
		case "state":
			dst = &r.State
		case "direction":
			dst = &r.Direction
		case "reason":
			if r.Kind == KindSMS {
				continue
			}
			dst = &r.Reason
		case "text":
			if r.Kind != KindSMS {
				continue
			}
			dst = &r.Text
		default:
			continue
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		var err error
		if plusIsSpace {
			val, err = url.QueryUnescape(val)
		} else {
			val, err = url.PathUnescape(val)
		}
		if err != nil {
			return Request{}, fmt.Errorf("parse call URL: bad escape in %s: %w", key, err)
		}
		*dst = val
	}
	if r.Kind == "" && strings.TrimSpace(r.State) == "" {
		r.State = string(tapi.StateRinging)
	}
	return r, nil
}
