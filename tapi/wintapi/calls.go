package wintapi

import (
	"fmt"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// SourceName is the tapi.Event Source of every event from this package.
const SourceName = "tapi"

// LINECALLSTATE_* values, as LINE_CALLSTATE reports them in dwParam1.
const (
	CallStateIdle         = 0x1
	CallStateOffering     = 0x2
	CallStateAccepted     = 0x4
	CallStateDialtone     = 0x8
	CallStateDialing      = 0x10
	CallStateRingback     = 0x20
	CallStateBusy         = 0x40
	CallStateSpecialInfo  = 0x80
	CallStateConnected    = 0x100
	CallStateProceeding   = 0x200
	CallStateOnHold       = 0x400
	CallStateConferenced  = 0x800
	CallStateDisconnected = 0x4000
	CallStateUnknown      = 0x8000
)

// ringWait is how long a ringing call may wait for its caller ID before it
// is reported without one.
const ringWait = time.Second

// calls turns the per-handle TAPI notifications of one line into
// tapi.Events. It is not safe for concurrent use: the message loop owns it.
type calls struct {
	line    string // the line's name, reported as Event.Local when no own number is known
	session string // prefix that keeps generated call ids unique across reopens
	seq     uint64
	m       map[uint32]*call // by HCALL
}

type call struct {
	id       string
	info     CallInfo
	haveInfo bool
	dir      tapi.Direction
	reported tapi.State // the last state emitted, "" for none
	pending  tapi.State // a ringing waiting for the caller ID
	since    time.Time  // when pending was set
}

func newCalls(line string) *calls {
	return &calls{line: line, m: make(map[uint32]*call)}
}

func (cs *calls) get(h uint32) *call {
	c := cs.m[h]
	if c == nil {
		cs.seq++
		c = &call{}
		cs.m[h] = c
		c.id = fmt.Sprintf("tapi-%s%d", cs.session, cs.seq) // replaced by the switch's call id when one arrives first
	}
	return c
}

// known reports whether h is a call the mapper tracks.
func (cs *calls) known(h uint32) bool { return cs.m[h] != nil }

// info records fresh LINECALLINFO for h and returns the events it releases
// (a ringing that was waiting for the caller ID).
func (cs *calls) info(h uint32, ci CallInfo, now time.Time) []tapi.Event {
	c := cs.get(h)
	if c.reported == "" && c.pending == "" && ci.CallID != 0 {
		c.id = fmt.Sprintf("tapi-%d", ci.CallID)
	}
	c.info, c.haveInfo = ci, true
	if ci.Origin&OriginOutbound != 0 {
		c.dir = tapi.DirectionOut
	} else if ci.Origin&OriginInbound != 0 && c.dir == "" {
		c.dir = tapi.DirectionIn
	}
	if c.pending != "" && cs.remote(c) != "" {
		return cs.release(c, now)
	}
	return nil
}

// state applies a LINE_CALLSTATE for h and returns the events to emit.
func (cs *calls) state(h uint32, st uint32, now time.Time) []tapi.Event {
	c := cs.get(h)
	var out []tapi.Event
	switch st {
	case CallStateOffering, CallStateAccepted:
		if c.dir == "" {
			c.dir = tapi.DirectionIn
		}
		out = cs.ring(c, now)
	case CallStateDialing, CallStateRingback, CallStateProceeding:
		if c.dir == "" || c.info.Origin&OriginInbound == 0 {
			c.dir = tapi.DirectionOut
		}
		out = cs.ring(c, now)
	case CallStateConnected:
		out = append(cs.release(c, now), cs.emit(c, tapi.StateAnswered, now)...)
	case CallStateDisconnected:
		out = append(cs.release(c, now), cs.emit(c, tapi.StateEnded, now)...)
	case CallStateIdle:
		out = append(cs.release(c, now), cs.emit(c, tapi.StateEnded, now)...)
		delete(cs.m, h)
	}
	return out
}

// ring reports ringing now if the remote number is known, or marks it
// pending until the caller ID arrives (or ringWait passes).
func (cs *calls) ring(c *call, now time.Time) []tapi.Event {
	if c.reported != "" || c.pending != "" {
		return nil
	}
	if cs.remote(c) != "" {
		return cs.emit(c, tapi.StateRinging, now)
	}
	c.pending, c.since = tapi.StateRinging, now
	return nil
}

// release emits a pending ringing.
func (cs *calls) release(c *call, now time.Time) []tapi.Event {
	if c.pending == "" {
		return nil
	}
	c.pending = ""
	return cs.emit(c, tapi.StateRinging, now)
}

// tick releases ringing calls that waited ringWait for a caller ID.
func (cs *calls) tick(now time.Time) []tapi.Event {
	var out []tapi.Event
	for _, c := range cs.m {
		if c.pending != "" && now.Sub(c.since) >= ringWait {
			out = append(out, cs.release(c, now)...)
		}
	}
	return out
}

// closeAll ends every call: the line closed under them.
func (cs *calls) closeAll(now time.Time) []tapi.Event {
	var out []tapi.Event
	for h, c := range cs.m {
		if c.reported != "" || c.pending != "" {
			out = append(out, cs.release(c, now)...)
			out = append(out, cs.emit(c, tapi.StateEnded, now)...)
		}
		delete(cs.m, h)
	}
	return out
}

// handles returns the tracked call handles (to deallocate at shutdown).
func (cs *calls) handles() []uint32 {
	out := make([]uint32, 0, len(cs.m))
	for h := range cs.m {
		out = append(out, h)
	}
	return out
}

func (cs *calls) emit(c *call, st tapi.State, now time.Time) []tapi.Event {
	if c.reported == st || (c.reported == tapi.StateEnded) || (c.reported == tapi.StateAnswered && st == tapi.StateRinging) {
		return nil
	}
	if c.reported == "" && st == tapi.StateEnded && c.pending == "" && !c.haveInfo {
		return nil // a call we never saw ring or connect: nothing to end
	}
	c.reported = st
	dir := c.dir
	if dir == "" {
		dir = tapi.DirectionIn
	}
	ev := tapi.Event{Source: SourceName, CallID: c.id, State: st, Direction: dir, At: now}
	ev.Remote, ev.RemoteName = cs.remoteParty(c)
	ev.Local = cs.local(c)
	return []tapi.Event{ev}
}

func (cs *calls) remote(c *call) string {
	n, _ := cs.remoteParty(c)
	return n
}

// remoteParty is the caller for inbound calls and the called (or else
// connected) party for outbound ones.
func (cs *calls) remoteParty(c *call) (number, name string) {
	order := []Party{c.info.Caller, c.info.Connected}
	if c.dir == tapi.DirectionOut {
		order = []Party{c.info.Called, c.info.Connected}
	}
	for _, p := range order {
		if p.Address != "" {
			return p.Address, p.Name
		}
	}
	return "", ""
}

func (cs *calls) local(c *call) string {
	p := c.info.Called
	if c.dir == tapi.DirectionOut {
		p = c.info.Caller
	}
	if p.Address != "" {
		return p.Address
	}
	return cs.line
}
