package tapi

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// Retention limits. Ended calls are kept for a while so that late repeats
// (a SIP dialog-info document re-sends terminated dialogs for about 11 s, and
// again on every re-SUBSCRIBE) are recognised and dropped.
const (
	keepEnded     = 200              // always keep at least the last 200 ended calls…
	keepEndedFor  = 10 * time.Minute // …and every call that ended in the last 10 minutes,
	maxEnded      = 5000             // but never more than this many.
	maxOpen       = 1000             // not-ended calls kept at most (oldest forgotten first)
	staleOpen     = 12 * time.Hour   // a call with no news for this long is forgotten
	sweepEvery    = time.Minute      // how often to look for stale calls
	ringRepeatFor = time.Minute      // window in which a CallID-less ringing repeats itself
)

// TrackerOptions configures a Tracker. The zero value works.
type TrackerOptions struct {
	// Normalize turns a raw remote number into a comparable key, used to
	// tie events without a CallID to the same call (for example
	// "(212) 555-0123" and "+12125550123"). Nil means the trimmed number.
	Normalize func(raw string) string
	// Now is the clock; nil means time.Now. Events with a zero At get Now().
	Now func() time.Time
	// Logger receives debug and info records; nil discards them.
	Logger *slog.Logger
}

// Tracker folds the events of one or more sources into calls. It is safe
// for concurrent use.
//
// Keying: an event with a CallID belongs to the call with that ID, whatever
// its source. An event without a CallID (a softphone hook, say) is matched by
// its normalised remote number: ringing starts a new call (unless the same
// source reported the same number ringing less than a minute ago and that
// call is still ringing, which is a repeat); answered and ended attach to the
// most recently started not-ended call with that number, preferring the same
// source. Answered with nothing to attach to starts a call; ended with
// nothing to attach to is dropped.
//
// A call only moves forward (ringing, active, ended): repeated states and
// backward transitions are ignored and reported as unchanged.
type Tracker struct {
	normalize func(string) string
	now       func() time.Time
	log       *slog.Logger

	mu        sync.Mutex
	calls     map[string]*tracked // by Call.ID
	ended     []*tracked          // ended calls, in the order they ended
	open      int                 // number of not-ended calls in calls
	seq       uint64
	lastSweep time.Time
}

type tracked struct {
	call     Call
	key      string    // normalised remote number
	seq      uint64    // creation order
	lastSeen time.Time // tracker clock of the last event that changed the call
}

// NewTracker returns an empty Tracker.
func NewTracker(opts TrackerOptions) *Tracker {
	t := &Tracker{
		normalize: opts.Normalize,
		now:       opts.Now,
		log:       opts.Logger,
		calls:     make(map[string]*tracked),
	}
	if t.normalize == nil {
		t.normalize = strings.TrimSpace
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.log == nil {
		t.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return t
}

// Apply folds ev into its call and returns the call as it now stands.
// changed is false, and the event had no effect, when ev is invalid, repeats
// the call's current state, would move the call backwards, or ends a call the
// tracker does not know; the returned Call is then the unchanged call, or the
// zero Call when there is none.
func (t *Tracker) Apply(ev Event) (Call, bool) {
	if err := ev.Validate(); err != nil {
		t.log.Debug("dropping invalid call event", "source", ev.Source, "error", err)
		return Call{}, false
	}
	now := t.now()
	at := ev.At
	if at.IsZero() {
		at = now
	}
	callID := strings.TrimSpace(ev.CallID)
	remote := strings.TrimSpace(ev.Remote)
	key := t.key(remote, ev.RemoteE164)

	t.mu.Lock()
	defer t.mu.Unlock()
	t.prune(now)

	var tr *tracked
	if callID != "" {
		tr = t.calls[callID]
	} else {
		switch ev.State {
		case StateRinging:
			if old := t.latestOpen(key, ev.Source, true); old != nil && old.call.Phase == PhaseRinging &&
				old.call.SourceCallID == "" && now.Sub(old.lastSeen) < ringRepeatFor {
				t.log.Debug("dropping repeated ringing", "call_id", old.call.ID, "source", ev.Source)
				return old.call, false
			}
		case StateAnswered, StateEnded:
			tr = t.latestOpen(key, ev.Source, false)
		}
	}

	if tr == nil {
		if ev.State == StateEnded {
			t.log.Debug("dropping end of unknown call", "call_id", callID, "source", ev.Source,
				"number", MaskNumber(remote))
			return Call{}, false
		}
		return t.start(ev, callID, remote, key, at, now), true
	}
	return t.advance(tr, ev, remote, key, at, now)
}

// Active returns the calls that have not ended, oldest RingAt first.
func (t *Tracker) Active() []Call {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Call, 0, t.open)
	for _, tr := range t.calls {
		if tr.call.Phase != PhaseEnded {
			out = append(out, tr.call)
		}
	}
	slices.SortFunc(out, func(a, b Call) int {
		if c := a.RingAt.Compare(b.RingAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

func (t *Tracker) key(remote, e164 string) string {
	if remote != "" {
		return t.normalize(remote)
	}
	return strings.TrimSpace(e164)
}

// latestOpen finds the most recently started not-ended call with the given
// number key, preferring calls from source. With sameSource it looks only at
// calls from source.
func (t *Tracker) latestOpen(key, source string, sameSource bool) *tracked {
	if key == "" {
		return nil
	}
	var best, bestSame *tracked
	for _, tr := range t.calls {
		if tr.call.Phase == PhaseEnded || tr.key != key {
			continue
		}
		if best == nil || tr.seq > best.seq {
			best = tr
		}
		if tr.call.Source == source && (bestSame == nil || tr.seq > bestSame.seq) {
			bestSame = tr
		}
	}
	if bestSame != nil || sameSource {
		return bestSame
	}
	return best
}

func (t *Tracker) start(ev Event, callID, remote, key string, at, now time.Time) Call {
	id := callID
	if id == "" {
		id = newCallID()
	}
	dir := ev.Direction
	if dir == "" {
		dir = DirectionIn
	}
	t.seq++
	tr := &tracked{
		call: Call{
			ID:           id,
			Source:       ev.Source,
			SourceCallID: callID,
			Direction:    dir,
			Remote:       remote,
			RemoteE164:   strings.TrimSpace(ev.RemoteE164),
			RemoteName:   strings.TrimSpace(ev.RemoteName),
			Local:        strings.TrimSpace(ev.Local),
			Phase:        phaseOf(ev.State),
			RingAt:       at,
		},
		key:      key,
		seq:      t.seq,
		lastSeen: now,
	}
	if ev.State == StateAnswered {
		tr.call.AnsweredAt = at
	}
	t.calls[id] = tr
	t.open++
	t.logChange(tr.call)
	if t.open > maxOpen {
		t.forgetOldestOpen()
	}
	return tr.call
}

func (t *Tracker) advance(tr *tracked, ev Event, remote, key string, at, now time.Time) (Call, bool) {
	next := phaseOf(ev.State)
	if next.rank() <= tr.call.Phase.rank() {
		t.log.Debug("dropping repeated or out-of-order call event", "call_id", tr.call.ID,
			"source", ev.Source, "state", string(ev.State), "phase", string(tr.call.Phase))
		return tr.call, false
	}
	c := &tr.call
	if c.Remote == "" && remote != "" {
		c.Remote = remote
		tr.key = key
	}
	fill(&c.RemoteE164, ev.RemoteE164)
	fill(&c.RemoteName, ev.RemoteName)
	fill(&c.Local, ev.Local)
	c.Phase = next
	tr.lastSeen = now
	switch next {
	case PhaseActive:
		c.AnsweredAt = at
	case PhaseEnded:
		c.EndedAt = at
		t.open--
		t.ended = append(t.ended, tr)
	}
	t.logChange(*c)
	return *c, true
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = strings.TrimSpace(v)
	}
}

func (t *Tracker) logChange(c Call) {
	attrs := []any{"call_id", c.ID, "source", c.Source, "direction", string(c.Direction),
		"number", MaskNumber(c.Remote)}
	switch c.Phase {
	case PhaseRinging:
		t.log.Info("call ringing", attrs...)
	case PhaseActive:
		t.log.Info("call answered", attrs...)
	case PhaseEnded:
		t.log.Info("call ended", append(attrs, "missed", c.Missed(), "duration", c.Duration())...)
	}
}

// prune forgets ended calls beyond the retention limits and, at most once a
// minute, calls that have had no news for staleOpen.
func (t *Tracker) prune(now time.Time) {
	n := 0
	for n < len(t.ended) {
		tr := t.ended[n]
		left := len(t.ended) - n
		old := now.Sub(tr.lastSeen) > keepEndedFor
		if left <= maxEnded && (left <= keepEnded || !old) {
			break
		}
		if t.calls[tr.call.ID] == tr {
			delete(t.calls, tr.call.ID)
		}
		t.ended[n] = nil
		n++
	}
	if n > 0 {
		t.ended = slices.Delete(t.ended, 0, n)
	}

	if now.Sub(t.lastSweep) < sweepEvery && !now.Before(t.lastSweep) {
		return
	}
	t.lastSweep = now
	for id, tr := range t.calls {
		if tr.call.Phase != PhaseEnded && now.Sub(tr.lastSeen) > staleOpen {
			t.log.Debug("forgetting stale call", "call_id", id, "phase", string(tr.call.Phase))
			delete(t.calls, id)
			t.open--
		}
	}
}

// forgetOldestOpen drops the not-ended call that has had no news longest.
func (t *Tracker) forgetOldestOpen() {
	var oldest *tracked
	for _, tr := range t.calls {
		if tr.call.Phase == PhaseEnded {
			continue
		}
		if oldest == nil || tr.lastSeen.Before(oldest.lastSeen) ||
			(tr.lastSeen.Equal(oldest.lastSeen) && tr.seq < oldest.seq) {
			oldest = tr
		}
	}
	if oldest != nil {
		t.log.Debug("forgetting oldest open call", "call_id", oldest.call.ID)
		delete(t.calls, oldest.call.ID)
		t.open--
	}
}

// newCallID returns "call-" followed by 16 random hex digits.
func newCallID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error (Go 1.24+)
	return "call-" + hex.EncodeToString(b[:])
}
