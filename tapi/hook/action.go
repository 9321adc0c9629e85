package hook

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ActionPath is where the ActionServer accepts desk-phone action URLs.
const ActionPath = "/event"

// MaxActionQueryLen bounds the query strings ParseActionQuery accepts.
const MaxActionQueryLen = 2048

// ErrActionQueryTooLong is returned by ParseActionQuery for a query string
// over MaxActionQueryLen bytes.
var ErrActionQueryTooLong = errors.New("action URL query too long")

// actionStates maps the event words desk phones and admins use to a state
// and, for some, a direction ("" when the word does not imply one) and an
// end reason.
var actionStates = map[string][3]string{
	"ringing":          {"ringing", ""},
	"ring":             {"ringing", ""},
	"incoming":         {"ringing", "in"},
	"incoming_call":    {"ringing", "in"},
	"incomingcall":     {"ringing", "in"},
	"outgoing":         {"ringing", "out"},
	"outgoing_call":    {"ringing", "out"},
	"outgoingcall":     {"ringing", "out"},
	"dialing":          {"ringing", "out"},
	"answered":         {"answered", ""},
	"answer":           {"answered", ""},
	"established":      {"answered", ""},
	"call_established": {"answered", ""},
	"connected":        {"answered", ""},
	"ended":            {"ended", ""},
	"end":              {"ended", ""},
	"terminated":       {"ended", ""},
	"call_terminated":  {"ended", ""},
	"disconnected":     {"ended", ""},
	"hangup":           {"ended", ""},
	"onhook":           {"ended", ""},
	"missed":           {"ended", "in"},
	"missed_call":      {"ended", "in"},
	"rejected":         {"ended", "in", "rejected"},
	"reject":           {"ended", "in", "rejected"},
	"declined":         {"ended", "in", "rejected"},
	"decline":          {"ended", "in", "rejected"},
}

// ParseActionQuery reads a Request and the token from the query string of a
// desk-phone action URL, as Yealink and Snom phones send it:
//
//	state=ringing&number=$remote&name=$display_remote&id=$call_id&token=…
//
// Parameter names are case-insensitive and have aliases: state (event,
// action), number (remote, caller), name (display_remote, display), id
// (call_id, call-id, callid), direction (dir) and token (key). The state may
// be any of the event words phones use (incoming, outgoing, established,
// connected, terminated, disconnected, missed, rejected, declined, …);
// incoming, outgoing, missed, rejected and declined also set the direction
// unless one is given, and rejected and declined the reason (reason,
// cause) unless one is given. A value that is still
// an unreplaced "$variable" counts as absent, and a number given as
// `"Name" <sip:…>` keeps only the URI. A '+' in number and id is kept;
// elsewhere it means a space. Values with bad %-escapes are taken literally.
// The first of repeated parameters wins. ParseActionQuery only refuses
// queries over MaxActionQueryLen bytes; Request.Event validates the rest.
func ParseActionQuery(rawQuery string) (Request, string, error) {
	if len(rawQuery) > MaxActionQueryLen {
		return Request{}, "", fmt.Errorf("parse action URL: %w (longer than %d bytes)", ErrActionQueryTooLong, MaxActionQueryLen)
	}
	var r Request
	var token string
	seen := map[string]bool{}
	for pair := range strings.SplitSeq(rawQuery, "&") {
		key, val, _ := strings.Cut(pair, "=")
		field, plusIsSpace := actionField(strings.ToLower(key))
		if field == "" || seen[field] {
			continue
		}
		seen[field] = true
		val = actionUnescape(val, plusIsSpace)
		if strings.HasPrefix(val, "$") {
			val = "" // the phone did not replace the variable
		}
		switch field {
		case "state":
			r.State = val
		case "number":
			r.Number = angleURI(val)
		case "name":
			r.Name = val
		case "id":
			r.ID = val
		case "direction":
			r.Direction = val
		case "reason":
			r.Reason = val
		case "token":
			token = val
		}
	}
	if st, ok := actionStates[strings.ToLower(strings.TrimSpace(r.State))]; ok {
		r.State = st[0]
		if strings.TrimSpace(r.Direction) == "" {
			r.Direction = st[1]
		}
		if strings.TrimSpace(r.Reason) == "" {
			r.Reason = st[2]
		}
	}
	return r, token, nil
}

func actionField(key string) (field string, plusIsSpace bool) {
	switch key {
	case "state", "event", "action":
		return "state", true
	case "number", "remote", "caller":
		return "number", false
	case "name", "display_remote", "display":
		return "name", true
	case "id", "call_id", "call-id", "callid":
		return "id", false
	case "direction", "dir":
		return "direction", true
	case "reason", "cause":
		return "reason", true
	case "token", "key":
		return "token", false
	}
	return "", false
}

func actionUnescape(val string, plusIsSpace bool) string {
	var out string
	var err error
	if plusIsSpace {
		out, err = url.QueryUnescape(val)
	} else {
		out, err = url.PathUnescape(val)
	}
	if err != nil {
		return val
	}
	return out
}

// angleURI reduces `"Jane" <sip:+1212…@pbx>` to the URI between the angle
// brackets; anything else is returned as is.
func angleURI(s string) string {
	i := strings.IndexByte(s, '<')
	if i < 0 {
		return s
	}
	j := strings.IndexByte(s[i:], '>')
	if j < 0 {
		return s
	}
	return s[i+1 : i+j]
}
