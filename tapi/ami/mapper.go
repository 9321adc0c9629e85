package ami

import (
	"strings"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// SourceName is the tapi.Event Source of every event from this package.
const SourceName = "ami"

// Asterisk channel states (ChannelState).
const (
	chanStateRing    = "4" // the channel is dialling out (it rings the far end)
	chanStateRinging = "5" // the channel's device is ringing
	chanStateUp      = "6" // answered
)

// maxChannels bounds the tracked channels; beyond it the map is reset (a
// channel whose Hangup was lost must not leak forever).
const maxChannels = 4096

// mapper turns AMI events into tapi.Events for one extension. It is not
// safe for concurrent use.
type mapper struct {
	ext   string // "201", or "PJSIP/201" to pin the technology; lower case
	chans map[string]*channel
}

// channel is one of the user's channels, by Uniqueid.
type channel struct {
	linked   string
	dir      tapi.Direction
	remote   string
	name     string
	ringing  bool // ringing reported
	answered bool // answered reported
}

func newMapper(ext string) *mapper {
	return &mapper{ext: strings.ToLower(strings.TrimSpace(ext)), chans: make(map[string]*channel)}
}

// mine reports whether a channel name ("PJSIP/201-0000002a") belongs to the
// extension. Local/ channels never do: the real device channel follows.
func (m *mapper) mine(name string) bool {
	name = strings.ToLower(strings.TrimSpace(name))
	tech, rest, ok := strings.Cut(name, "/")
	if !ok || tech == "local" || m.ext == "" {
		return false
	}
	i := strings.LastIndexByte(rest, '-')
	if i <= 0 {
		return false
	}
	resource := rest[:i]
	if strings.Contains(m.ext, "/") {
		return tech+"/"+resource == m.ext
	}
	return resource == m.ext
}

// handle maps one event frame.
func (m *mapper) handle(f Frame, now time.Time) []tapi.Event {
	switch strings.ToLower(f.Get("Event")) {
	case "newchannel":
		if !m.mine(f.Get("Channel")) {
			return nil
		}
		c := m.open(f.Get("Uniqueid"), f.Get("Linkedid"))
		if f.Get("ChannelState") == chanStateRing {
			return m.dialOut(c, f.Get("Exten"), "", now)
		}
	case "newstate":
		if !m.mine(f.Get("Channel")) {
			return nil
		}
		c := m.open(f.Get("Uniqueid"), f.Get("Linkedid"))
		switch f.Get("ChannelState") {
		case chanStateRinging:
			return m.ringIn(c, f.Get("ConnectedLineNum"), f.Get("ConnectedLineName"), now)
		case chanStateRing:
			return m.dialOut(c, f.Get("Exten"), f.Get("ConnectedLineName"), now)
		case chanStateUp:
			return m.answer(c, now)
		}
	case "newconnectedline":
		if !m.mine(f.Get("Channel")) {
			return nil
		}
		c := m.open(f.Get("Uniqueid"), f.Get("Linkedid"))
		if c.remote == "" {
			c.remote, c.name = number(f.Get("ConnectedLineNum")), name(f.Get("ConnectedLineName"))
		}
	case "dialbegin":
		switch {
		case m.mine(f.Get("DestChannel")):
			c := m.open(f.Get("DestUniqueid"), f.Get("DestLinkedid"))
			num, nm := f.Get("CallerIDNum"), f.Get("CallerIDName")
			if number(num) == "" {
				num, nm = f.Get("DestConnectedLineNum"), f.Get("DestConnectedLineName")
			}
			return m.ringIn(c, num, nm, now)
		case m.mine(f.Get("Channel")):
			c := m.open(f.Get("Uniqueid"), f.Get("Linkedid"))
			num := f.Get("Exten")
			if number(num) == "" || num == "s" {
				num = dialTarget(f.Get("DialString"))
			}
			return m.dialOut(c, num, f.Get("DestCallerIDName"), now)
		}
	case "dialend":
		if !strings.EqualFold(f.Get("DialStatus"), "ANSWER") {
			return nil
		}
		switch {
		case m.mine(f.Get("DestChannel")):
			return m.answer(m.open(f.Get("DestUniqueid"), f.Get("DestLinkedid")), now)
		case m.mine(f.Get("Channel")):
			return m.answer(m.open(f.Get("Uniqueid"), f.Get("Linkedid")), now)
		}
	case "hangup":
		if !m.mine(f.Get("Channel")) {
			return nil
		}
		uid := f.Get("Uniqueid")
		c := m.chans[uid]
		delete(m.chans, uid)
		if c == nil {
			// Seen before a reconnect, or never: end it by its Linkedid
			// (the tracker drops the end of a call it does not know).
			c = &channel{linked: firstOf(f.Get("Linkedid"), uid)}
			c.remote, c.name = number(f.Get("ConnectedLineNum")), name(f.Get("ConnectedLineName"))
		}
		if c.linked == "" {
			return nil
		}
		ev := m.event(c, tapi.StateEnded, now)
		if !c.answered {
			ev.Reason = hangupReason(f.Get("Cause"))
		}
		return []tapi.Event{ev}
	}
	return nil
}

// hangupReason maps the Q.850 cause of the Hangup of the user's own,
// unanswered channel to an end reason: 21 "Call rejected" (603 Decline)
// and 17 "User busy" (486 Busy Here: the phone declined the ringing call)
// mean the call was declined at the phone. Anything else (16 normal
// clearing when the caller gives up, 19 no answer, …) says nothing.
func hangupReason(cause string) tapi.EndReason {
	switch strings.TrimSpace(cause) {
	case "17", "21":
		return tapi.EndRejected
	}
	return ""
}

// open returns the channel for uid, creating it.
func (m *mapper) open(uid, linked string) *channel {
	if uid == "" {
		uid = linked
	}
	c := m.chans[uid]
	if c == nil {
		if len(m.chans) >= maxChannels {
			clear(m.chans)
		}
		c = &channel{}
		m.chans[uid] = c
	}
	if c.linked == "" {
		c.linked = firstOf(linked, uid)
	}
	return c
}

func (m *mapper) ringIn(c *channel, num, nm string, now time.Time) []tapi.Event {
	if c.ringing || c.answered {
		return nil
	}
	if c.dir == "" {
		c.dir = tapi.DirectionIn
	}
	if c.remote == "" {
		c.remote, c.name = number(num), name(nm)
	}
	if c.remote == "" {
		return nil // wait for DialBegin or NewConnectedLine with the number
	}
	c.ringing = true
	return []tapi.Event{m.event(c, tapi.StateRinging, now)}
}

func (m *mapper) dialOut(c *channel, num, nm string, now time.Time) []tapi.Event {
	if c.ringing || c.answered {
		return nil
	}
	c.dir = tapi.DirectionOut
	if c.remote == "" {
		c.remote, c.name = number(num), name(nm)
	}
	if c.remote == "" {
		return nil
	}
	c.ringing = true
	return []tapi.Event{m.event(c, tapi.StateRinging, now)}
}

func (m *mapper) answer(c *channel, now time.Time) []tapi.Event {
	if c.answered || c.linked == "" {
		return nil
	}
	c.answered = true
	return []tapi.Event{m.event(c, tapi.StateAnswered, now)}
}

func (m *mapper) event(c *channel, st tapi.State, now time.Time) tapi.Event {
	dir := c.dir
	if dir == "" {
		dir = tapi.DirectionIn
	}
	return tapi.Event{
		Source:     SourceName,
		CallID:     "ami-" + c.linked,
		State:      st,
		Direction:  dir,
		Remote:     c.remote,
		RemoteName: c.name,
		Local:      m.ext,
		At:         now,
	}
}

// number cleans a caller-id number field: "<unknown>" and empty mean none.
func number(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "<unknown>") {
		return ""
	}
	return s
}

func name(s string) string { return number(s) }

// dialTarget extracts the dialled number from a DialString such as
// "trunk/+12125550123", "+12125550123@trunk" or "201".
func dialTarget(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	return number(s)
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
