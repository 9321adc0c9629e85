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

// ErrNotCallURL is wrapped by ParseURL for a URL that is not calldocket://call.
var ErrNotCallURL = errors.New("not a calldocket://call URL")

// ParseURL reads a Request from a screen-pop URL:
//
//	calldocket://call?number=…&state=…&name=…&id=…&direction=…
//
// "calldocket:call?…" and "calldocket://call/?…" are accepted too, and the
// scheme and host are case-insensitive. State defaults to ringing. Unknown
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
	if !strings.EqualFold(target, "call") {
		return Request{}, fmt.Errorf("parse call URL: %w", ErrNotCallURL)
	}

	r := Request{}
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
	if strings.TrimSpace(r.State) == "" {
		r.State = string(tapi.StateRinging)
	}
	return r, nil
}
