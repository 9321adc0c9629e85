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
	dir      tapi.Direction // "" until known: a dial in or out, or a ringing device
	remote   string
	name     string
	dialed   string // the Exten of a channel in state Ring: what it may dial out to
	clNum    string // the last connected line (NewConnectedLine), a fallback
	clName   string //   for the caller's number and name
	rang     bool   // the device rang (Newstate Ringing)
	up       bool   // the channel is up (Newstate Up)
	ringing  bool   // ringing reported
	answered bool   // answered reported
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
//
// A call is reported from what the user's own channel does, as real
// Asterisk streams show it (see testdata/):
//   - in: a Dial reaches the channel (DialBegin with it as the destination)
//     and its device rings (Newstate Ringing), in either order; a channel
//     that is dialled but never rings (busy, offline, or a queue member in
//     use) reports nothing;
//   - out: the channel dials (DialBegin with it as the origin); a channel
//     that only runs dialplan (voicemail *97, a pickup *8) reports nothing
//     until a Dial reaches it;
//   - pickup: a channel that is already up when a Dial reaches it (the
//     Pickup application, or a SIP INVITE with Replaces) reports an
//     answered inbound call from the caller.
func (m *mapper) handle(f Frame, now time.Time) []tapi.Event {
	switch strings.ToLower(f.Get("Event")) {
	case "newchannel":
		if !m.mine(f.Get("Channel")) {
			return nil
		}
		c := m.open(f.Get("Uniqueid"), f.Get("Linkedid"))
		if f.Get("ChannelState") == chanStateRing && c.dialed == "" {
			c.dialed = f.Get("Exten")
		}
	case "newstate":
		if !m.mine(f.Get("Channel")) {
			return nil
		}
		c := m.open(f.Get("Uniqueid"), f.Get("Linkedid"))
		switch f.Get("ChannelState") {
		case chanStateRinging:
			c.rang = true
			if c.dir == "" {
				c.dir = tapi.DirectionIn
			}
			return m.ringIn(c, f.Get("ConnectedLineNum"), f.Get("ConnectedLineName"), now)
		case chanStateRing:
			if c.dialed == "" {
				c.dialed = f.Get("Exten")
			}
		case chanStateUp:
			c.up = true
			return m.answer(c, now)
		}
	case "newconnectedline":
		if !m.mine(f.Get("Channel")) {
			return nil
		}
		c := m.open(f.Get("Uniqueid"), f.Get("Linkedid"))
		if num := number(f.Get("ConnectedLineNum")); num != "" {
			c.clNum, c.clName = num, name(f.Get("ConnectedLineName"))
		}
	case "dialbegin":
		switch {
		case m.mine(f.Get("DestChannel")):
			c := m.open(f.Get("DestUniqueid"), f.Get("DestLinkedid"))
			num, nm := f.Get("CallerIDNum"), f.Get("CallerIDName")
			if number(num) == "" {
				num, nm = f.Get("DestConnectedLineNum"), f.Get("DestConnectedLineName")
			}
			if c.dir == "" {
				c.dir = tapi.DirectionIn
			}
			if c.up {
				// Already up when the Dial reaches it: a pickup.
				m.setRemote(c, num, nm)
				return m.answer(c, now)
			}
			return m.ringIn(c, num, nm, now)
		case m.mine(f.Get("Channel")):
			c := m.open(f.Get("Uniqueid"), f.Get("Linkedid"))
			// The number the user dialled is the Exten the channel had
			// when it started (state Ring); by DialBegin the dialplan may
			// have moved it on (FreePBX: "s" in macro-dialout-trunk).
			num := firstOf(c.dialed, f.Get("Exten"))
			if number(num) == "" || num == "s" {
				num = dialTarget(f.Get("DialString"))
			}
			// DestCallerIDName is the caller ID the far end is shown (the
			// firm's own), not the far end's name: leave the name empty.
			return m.dialOut(c, num, "", now)
		}
	case "dialstate":
		// A device that answers 183 Session Progress instead of 180
		// Ringing never enters state Ringing; DialState PROGRESS (or
		// RINGING) says it is alerting all the same.
		switch strings.ToUpper(f.Get("DialStatus")) {
		case "RINGING", "PROGRESS":
			if m.mine(f.Get("DestChannel")) {
				c := m.open(f.Get("DestUniqueid"), f.Get("DestLinkedid"))
				c.rang = true
				return m.ringIn(c, "", "", now)
			}
		}
	case "dialend":
		switch strings.ToUpper(f.Get("DialStatus")) {
		case "ANSWER":
			switch {
			case m.mine(f.Get("DestChannel")):
				return m.answer(m.open(f.Get("DestUniqueid"), f.Get("DestLinkedid")), now)
			case m.mine(f.Get("Channel")):
				return m.answer(m.open(f.Get("Uniqueid"), f.Get("Linkedid")), now)
			}
		case "NOANSWER", "CANCEL":
			// The dial ran until the caller gave up or it timed out: the
			// device was alerting even if it never said Ringing (183).
			if m.mine(f.Get("DestChannel")) {
				c := m.open(f.Get("DestUniqueid"), f.Get("DestLinkedid"))
				c.rang = true
				return m.ringIn(c, "", "", now)
			}
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
			c = &channel{linked: firstOf(f.Get("Linkedid"), uid), ringing: true}
			c.remote, c.name = number(f.Get("ConnectedLineNum")), name(f.Get("ConnectedLineName"))
		}
		if c.linked == "" || (!c.ringing && !c.answered) {
			return nil // nothing was reported for this channel
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

// ringIn reports an inbound call ringing once the device rings and the
// caller's number is known.
func (m *mapper) ringIn(c *channel, num, nm string, now time.Time) []tapi.Event {
	if c.ringing || c.answered || c.dir != tapi.DirectionIn {
		return nil
	}
	m.setRemote(c, num, nm)
	if c.remote == "" || !c.rang {
		return nil // wait for the number (DialBegin, NewConnectedLine) or the ring
	}
	c.ringing = true
	return []tapi.Event{m.event(c, tapi.StateRinging, now)}
}

// setRemote sets an inbound call's number and name once: from num and nm
// (DialBegin's caller ID, or the ringing channel's connected line), else
// from the last NewConnectedLine.
func (m *mapper) setRemote(c *channel, num, nm string) {
	if c.remote != "" {
		return
	}
	c.remote, c.name = number(num), name(nm)
	if c.remote == "" {
		c.remote, c.name = c.clNum, c.clName
	}
}

// dialOut reports an outbound call when the user's channel dials; the
// number is the one dialled (a connected line set by the dialplan before
// the dial, such as FreePBX's "Kitchen (Available)", is not the far end's).
func (m *mapper) dialOut(c *channel, num, nm string, now time.Time) []tapi.Event {
	if c.ringing || c.answered {
		return nil // already a call (a blind transfer dialling on): keep it
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

// answer reports the call answered, once its direction and number are known.
func (m *mapper) answer(c *channel, now time.Time) []tapi.Event {
	if c.answered || c.linked == "" || c.dir == "" || (!c.ringing && c.remote == "") {
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
