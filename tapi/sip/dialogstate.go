package sip

import (
	"slices"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// Retention of per-call state. Kamailio repeats a terminated dialog for about
// 11 s, and every re-SUBSCRIBE repeats it again, so ended calls are kept long
// enough to recognise those repeats.
const (
	keepEndedFor = 10 * time.Minute
	keepOpenFor  = 12 * time.Hour
	maxCalls     = 2000
)

// dialogState turns a stream of dialog-info documents into call events. It
// keeps, per call (Call-ID), the state of each of its dialogs and the last
// state it reported, so that full-state snapshots, re-sent terminated
// dialogs and refresh NOTIFYs emit nothing new. It is not safe for
// concurrent use.
type dialogState struct {
	calls map[string]*callEntry
}

type callEntry struct {
	dialogs  map[string]string // dialog id -> lower-case dialog state
	why      map[string]string // dialog id -> why it terminated (whyRejected, whyOther), when the PBX said
	reported tapi.State        // last state reported, "" for none
	ev       tapi.Event        // identity of the call, for events
	lastSeen time.Time
}

func newDialogState() *dialogState {
	return &dialogState{calls: make(map[string]*callEntry)}
}

func rank(s tapi.State) int {
	switch s {
	case tapi.StateRinging:
		return 1
	case tapi.StateAnswered:
		return 2
	case tapi.StateEnded:
		return 3
	}
	return 0
}

// dialogID tells the dialogs of one call apart (forked calls have several).
func dialogID(d Dialog) string {
	if d.ID != "" {
		return d.ID
	}
	return d.LocalTag + "\x00" + d.RemoteTag
}

// apply folds one document into the state and returns the events it causes,
// stamped with now. A full document also ends every dialog it no longer
// lists (the terminated NOTIFY was lost, or the PBX restarted).
func (s *dialogState) apply(info *DialogInfo, now time.Time) []tapi.Event {
	if info == nil {
		return nil
	}
	touched := make(map[string]bool)
	if info.Full() {
		present := make(map[string]map[string]bool)
		for _, d := range info.Dialogs {
			k := d.Key()
			if present[k] == nil {
				present[k] = make(map[string]bool)
			}
			present[k][dialogID(d)] = true
		}
		for key, c := range s.calls {
			if c.reported == tapi.StateEnded {
				continue
			}
			for id, st := range c.dialogs {
				if st != DialogTerminated && !present[key][id] {
					c.dialogs[id] = DialogTerminated
					touched[key] = true
				}
			}
		}
	}
	var order []string
	for _, d := range info.Dialogs {
		key := d.Key()
		if key == "" {
			continue
		}
		if _, ok := d.CallState(); !ok {
			continue
		}
		c := s.calls[key]
		if c == nil {
			c = &callEntry{dialogs: make(map[string]string), why: make(map[string]string)}
			s.calls[key] = c
		}
		if c.ev.CallID == "" {
			remote := d.Remote.Number()
			local := d.Local.Number()
			if local == "" {
				local = userPart(info.Entity)
			}
			c.ev = tapi.Event{
				Source:     SourceName,
				CallID:     key,
				Direction:  d.CallDirection(),
				Remote:     remote,
				RemoteE164: E164(remote),
				RemoteName: d.Remote.Display,
				Local:      local,
			}
		}
		if c.ev.RemoteName == "" && d.Remote.Display != "" {
			c.ev.RemoteName = d.Remote.Display
		}
		c.dialogs[dialogID(d)] = d.State
		if why := d.endWhy(); why != whyUnknown {
			c.why[dialogID(d)] = why
		}
		c.lastSeen = now
		if !touched[key] {
			order = append(order, key)
		}
		touched[key] = true
	}
	// Calls ended by omission from a full document come after the listed
	// ones, in a stable order.
	var omitted []string
	for key := range touched {
		if !slices.Contains(order, key) {
			omitted = append(omitted, key)
		}
	}
	slices.Sort(omitted)
	order = append(order, omitted...)
	var out []tapi.Event
	for _, key := range order {
		c := s.calls[key]
		st := aggregate(c.dialogs)
		if rank(st) <= rank(c.reported) {
			continue
		}
		first := c.reported == ""
		c.reported = st
		c.lastSeen = now
		if first && st == tapi.StateEnded {
			// A call that was over before we saw it (a repeat from before
			// this watcher started): remember it, report nothing.
			continue
		}
		ev := c.ev
		ev.State = st
		ev.At = now
		if st == tapi.StateEnded {
			ev.Reason = endReason(c.why)
		}
		out = append(out, ev)
	}
	s.prune(now)
	return out
}

// aggregate is the state of a call from the states of its dialogs: answered
// if any dialog is confirmed, ringing if any is still being set up, ended
// when all have terminated.
func aggregate(dialogs map[string]string) tapi.State {
	var ringing, ended bool
	for _, st := range dialogs {
		switch st {
		case DialogConfirmed:
			return tapi.StateAnswered
		case DialogTrying, DialogProceeding, DialogEarly:
			ringing = true
		case DialogTerminated:
			ended = true
		}
	}
	switch {
	case ringing:
		return tapi.StateRinging
	case ended:
		return tapi.StateEnded
	}
	return ""
}

// endReason is why a call ended from why its dialogs terminated: rejected
// when at least one dialog was declined and none ended otherwise (a ring
// group where one phone declined and the caller then gave up is missed).
// Dialogs the PBX said nothing about do not count.
func endReason(why map[string]string) tapi.EndReason {
	rejected := false
	for _, w := range why {
		switch w {
		case whyRejected:
			rejected = true
		case whyOther:
			return ""
		}
	}
	if rejected {
		return tapi.EndRejected
	}
	return ""
}

// prune forgets ended calls after keepEndedFor, open calls without news for
// keepOpenFor, and the oldest calls beyond maxCalls.
func (s *dialogState) prune(now time.Time) {
	for key, c := range s.calls {
		age := now.Sub(c.lastSeen)
		if (c.reported == tapi.StateEnded && age > keepEndedFor) || age > keepOpenFor {
			delete(s.calls, key)
		}
	}
	for len(s.calls) > maxCalls {
		var oldest string
		var at time.Time
		for key, c := range s.calls {
			if oldest == "" || c.lastSeen.Before(at) {
				oldest, at = key, c.lastSeen
			}
		}
		delete(s.calls, oldest)
	}
}
