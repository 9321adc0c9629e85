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

	"github.com/calldocket/calldocket/phone"
)

// Retention limits. Ended calls are kept for a while so that late repeats
// (a SIP dialog-info document re-sends terminated dialogs for about 11 s, and
// again on every re-SUBSCRIBE) are recognised and dropped.
const (
	keepEnded     = 200              // always keep at least the last 200 ended calls…
	keepEndedFor  = 10 * time.Minute // …and every call that ended in the last 10 minutes,
	maxEnded      = 5000             // but never more than this many.
	maxOpen       = 1000             // not-ended calls kept at most (oldest forgotten first)
	maxInternal   = 1000             // ignored internal call ids remembered at most
	staleOpen     = 12 * time.Hour   // a call with no news for this long is forgotten
	sweepEvery    = time.Minute      // how often to look for stale calls
	ringRepeatFor = time.Minute      // window in which a CallID-less ringing repeats itself
)

// Defaults for TrackerOptions.
const (
	// DefaultMergeWindow is how close in time two sources must report the
	// same number for the tracker to treat their reports as one call.
	DefaultMergeWindow = 5 * time.Second
	// DefaultRingTimeout is how long a call may ring without news before
	// Expire ends it.
	DefaultRingTimeout = 5 * time.Minute
)

// TrackerOptions configures a Tracker. The zero value works.
type TrackerOptions struct {
	// Normalize turns a raw remote number into a comparable key, used to
	// tie events without a CallID to the same call (for example
	// "(212) 555-0123" and "+12125550123") and to merge the reports of two
	// sources. The tracker first reduces SIP and tel URIs to their user part.
	// Nil means the trimmed number.
	Normalize func(raw string) string
	// Now is the clock; nil means time.Now. Events with a zero At get Now().
	Now func() time.Time
	// Logger receives debug and info records; nil discards them.
	Logger *slog.Logger

	// IsInternal reports whether a call between remote and local (both as
	// the source reported them; local may be empty) is an internal call
	// between two extensions, which the tracker ignores. Nil means: use
	// MinDigits.
	IsInternal func(remote, local string) bool
	// MinDigits, when IsInternal is nil and MinDigits > 0, makes every call
	// whose remote number has 1 to MinDigits-1 digits internal, unless the
	// local side is known and has MinDigits digits or more. Zero never
	// treats a call as internal.
	MinDigits int
	// MergeWindow: a call reported by a second source is merged into an
	// open call with the same normalised remote number that the tracker
	// heard about (started or changed) at most this long ago. Zero means
	// DefaultMergeWindow; a negative value turns merging off.
	MergeWindow time.Duration
	// RingTimeout: Expire ends calls that have rung this long without news.
	// Zero means DefaultRingTimeout.
	RingTimeout time.Duration
}

// Tracker folds the events of one or more sources into calls. It is safe
// for concurrent use.
//
// Keying: an event with a CallID belongs to the call with that ID (or to
// the call that ID was merged into, see below), whatever its source. An event
// without a CallID (a softphone hook, say) is matched by its normalised
// remote number: ringing starts a new call (unless the same source reported
// the same number ringing less than a minute ago and that call is still
// ringing, which is a repeat); answered and ended attach to the most
// recently started not-ended call with that number, preferring the same
// source. Answered with nothing to attach to starts a call; ended with
// nothing to attach to is dropped.
//
// Merging: when an event would start a new call, and another source
// reported an open call with the same normalised remote number (and the
// same direction) within MergeWindow, the event joins that call instead:
// its CallID from then on maps onto that call. Different CallIDs from the
// same source always stay separate calls (call waiting), and a call keeps
// its identity for as long as its CallID does, even when the remote number
// changes (transfer).
//
// Internal calls (see TrackerOptions.IsInternal and MinDigits) are dropped;
// later events with the same CallID are dropped too.
//
// A call only moves forward (ringing, active, ended): repeated states and
// backward transitions are ignored and reported as unchanged.
type Tracker struct {
	normalize   func(string) string
	now         func() time.Time
	log         *slog.Logger
	quiet       bool // no logger was given: skip building log records
	isInternal  func(remote, local string) bool
	mergeWindow time.Duration
	ringTimeout time.Duration

	mu        sync.Mutex
	calls     map[string]*tracked   // by Call.ID
	aliases   map[string]string     // source+"\x00"+CallID of a merged source -> Call.ID
	byKey     map[string][]*tracked // not-ended calls by normalised number
	internal  map[string]time.Time  // ignored internal calls: source+"\x00"+CallID -> when
	ended     []*tracked            // ended calls, in the order they ended
	open      int                   // number of not-ended calls in calls
	seq       uint64
	lastSweep time.Time
}

type tracked struct {
	call     Call
	key      string    // normalised remote number
	seq      uint64    // creation order
	created  time.Time // tracker clock when the call was started
	lastSeen time.Time // tracker clock of the last event that changed the call
	sources  []string  // every source that reported on this call
	aliases  []string  // keys in Tracker.aliases that point here
}

// NewTracker returns an empty Tracker.
func NewTracker(opts TrackerOptions) *Tracker {
	t := &Tracker{
		normalize:   opts.Normalize,
		now:         opts.Now,
		log:         opts.Logger,
		isInternal:  opts.IsInternal,
		mergeWindow: opts.MergeWindow,
		ringTimeout: opts.RingTimeout,
		calls:       make(map[string]*tracked),
		aliases:     make(map[string]string),
		byKey:       make(map[string][]*tracked),
		internal:    make(map[string]time.Time),
	}
	if t.normalize == nil {
		t.normalize = strings.TrimSpace
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.log == nil {
		t.log = slog.New(slog.NewTextHandler(io.Discard, nil))
		t.quiet = true
	}
	if t.isInternal == nil && opts.MinDigits > 0 {
		t.isInternal = func(remote, local string) bool { return phone.IsInternal(remote, local, opts.MinDigits) }
	}
	if t.mergeWindow == 0 {
		t.mergeWindow = DefaultMergeWindow
	}
	if t.ringTimeout <= 0 {
		t.ringTimeout = DefaultRingTimeout
	}
	return t
}

// Apply folds ev into its call and returns the call as it now stands.
// changed is false, and the event had no effect, when ev is invalid, repeats
// the call's current state, would move the call backwards, ends a call the
// tracker does not know, or belongs to an internal call; the returned Call is
// then the unchanged call, or the zero Call when there is none.
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
		if _, ok := t.internal[aliasKey(ev.Source, callID)]; ok {
			return Call{}, false
		}
		tr = t.byID(ev.Source, callID)
	} else {
		switch ev.State {
		case StateRinging:
			if old := t.latestOpen(key, ev.Source, true); old != nil && old.call.Phase == PhaseRinging &&
				old.call.SourceCallID == "" && now.Sub(old.lastSeen) < ringRepeatFor {
				if !t.quiet {
					t.log.Debug("dropping repeated ringing", "call_id", old.call.ID, "source", ev.Source)
				}
				return old.call, false
			}
		case StateAnswered, StateEnded:
			tr = t.latestOpen(key, ev.Source, false)
		}
	}

	if tr == nil {
		if ev.State == StateEnded {
			if !t.quiet {
				t.log.Debug("dropping end of unknown call", "call_id", callID, "source", ev.Source,
					"number", phone.Mask(remote))
			}
			return Call{}, false
		}
		if remote != "" && t.isInternal != nil && t.isInternal(remote, strings.TrimSpace(ev.Local)) {
			t.rememberInternal(ev.Source, callID, now)
			if !t.quiet {
				t.log.Debug("ignoring internal call", "call_id", callID, "source", ev.Source,
					"number", phone.Mask(remote))
			}
			return Call{}, false
		}
		if m := t.mergeCandidate(key, ev, now); m != nil {
			if !t.quiet {
				t.log.Debug("merging call reports", "call_id", m.call.ID, "source", ev.Source,
					"first_source", m.call.Source)
			}
			t.attach(m, ev.Source, callID)
			return t.advance(m, ev, remote, key, at, now)
		}
		return t.start(ev, callID, remote, key, at, now), true
	}
	t.attach(tr, ev.Source, callID)
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
	sortCalls(out)
	return out
}

// Expire ends every call that has been ringing without news for longer than
// the RingTimeout, as of now, so that a lost hang-up (a dropped connection, a
// softphone that never reports the end) never leaves a call ringing forever.
// It returns the calls it ended, oldest RingAt first; an inbound one is
// Missed. Call it every minute or so.
func (t *Tracker) Expire(now time.Time) []Call {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Call
	for _, tr := range t.calls {
		if tr.call.Phase != PhaseRinging || now.Sub(tr.lastSeen) <= t.ringTimeout {
			continue
		}
		t.end(tr, now, now)
		t.logChange(tr.call)
		out = append(out, tr.call)
	}
	sortCalls(out)
	return out
}

func sortCalls(out []Call) {
	slices.SortFunc(out, func(a, b Call) int {
		if c := a.RingAt.Compare(b.RingAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

func (t *Tracker) key(remote, e164 string) string {
	if remote != "" {
		return t.normalize(phone.UserPart(remote))
	}
	if e164 = strings.TrimSpace(e164); e164 != "" {
		return t.normalize(e164)
	}
	return ""
}

func aliasKey(source, callID string) string { return source + "\x00" + callID }

// byID finds the call for a CallID: a merged alias of this source first,
// then the CallID itself.
func (t *Tracker) byID(source, callID string) *tracked {
	if len(t.aliases) > 0 {
		if id, ok := t.aliases[aliasKey(source, callID)]; ok {
			if tr := t.calls[id]; tr != nil {
				return tr
			}
		}
	}
	return t.calls[callID]
}

// latestOpen finds the most recently started not-ended call with the given
// number key, preferring calls from source. With sameSource it looks only at
// calls from source.
func (t *Tracker) latestOpen(key, source string, sameSource bool) *tracked {
	if key == "" {
		return nil
	}
	var best, bestSame *tracked
	for _, tr := range t.byKey[key] {
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

// mergeCandidate finds the open call another source reported for the same
// number within the merge window, which ev should join.
func (t *Tracker) mergeCandidate(key string, ev Event, now time.Time) *tracked {
	if key == "" || t.mergeWindow < 0 {
		return nil
	}
	var best *tracked
	for _, tr := range t.byKey[key] {
		if slices.Contains(tr.sources, ev.Source) {
			continue // the same source with another call id: a separate call
		}
		if ev.Direction != "" && ev.Direction != tr.call.Direction {
			continue
		}
		if now.Sub(tr.created) > t.mergeWindow && now.Sub(tr.lastSeen) > t.mergeWindow {
			continue
		}
		if best == nil || tr.seq > best.seq {
			best = tr
		}
	}
	return best
}

// attach records that source reported on tr, under callID.
func (t *Tracker) attach(tr *tracked, source, callID string) {
	if !slices.Contains(tr.sources, source) {
		tr.sources = append(tr.sources, source)
	}
	if callID == "" || callID == tr.call.ID {
		return
	}
	k := aliasKey(source, callID)
	if _, ok := t.aliases[k]; !ok {
		t.aliases[k] = tr.call.ID
		tr.aliases = append(tr.aliases, k)
	}
}

func (t *Tracker) rememberInternal(source, callID string, now time.Time) {
	if callID == "" {
		return
	}
	if len(t.internal) >= maxInternal {
		for k := range t.internal { // forget an arbitrary half
			delete(t.internal, k)
			if len(t.internal) < maxInternal/2 {
				break
			}
		}
	}
	t.internal[aliasKey(source, callID)] = now
}

func (t *Tracker) start(ev Event, callID, remote, key string, at, now time.Time) Call {
	id := callID
	if id == "" || t.calls[id] != nil {
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
		created:  now,
		lastSeen: now,
		sources:  []string{ev.Source},
	}
	if ev.State == StateAnswered {
		tr.call.AnsweredAt = at
	}
	if id != callID {
		t.attach(tr, ev.Source, callID)
	}
	t.calls[id] = tr
	t.index(tr)
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
		if !t.quiet {
			t.log.Debug("dropping repeated or out-of-order call event", "call_id", tr.call.ID,
				"source", ev.Source, "state", string(ev.State), "phase", string(tr.call.Phase))
		}
		return tr.call, false
	}
	c := &tr.call
	if c.Remote == "" && remote != "" {
		t.unindex(tr)
		c.Remote = remote
		tr.key = key
		t.index(tr)
	}
	fill(&c.RemoteE164, ev.RemoteE164)
	fill(&c.RemoteName, ev.RemoteName)
	fill(&c.Local, ev.Local)
	tr.lastSeen = now
	switch next {
	case PhaseActive:
		c.Phase = next
		c.AnsweredAt = at
	case PhaseEnded:
		if c.AnsweredAt.IsZero() {
			c.EndReason = ev.Reason // only an unanswered call can be declined
		}
		t.end(tr, at, now)
	}
	t.logChange(*c)
	return *c, true
}

// end moves tr to PhaseEnded at the given event time.
func (t *Tracker) end(tr *tracked, at, now time.Time) {
	tr.call.Phase = PhaseEnded
	tr.call.EndedAt = at
	tr.lastSeen = now
	t.open--
	t.unindex(tr)
	t.ended = append(t.ended, tr)
}

func (t *Tracker) index(tr *tracked) {
	if tr.key != "" {
		t.byKey[tr.key] = append(t.byKey[tr.key], tr)
	}
}

func (t *Tracker) unindex(tr *tracked) {
	list := t.byKey[tr.key]
	if i := slices.Index(list, tr); i >= 0 {
		list = slices.Delete(list, i, i+1)
		if len(list) == 0 {
			delete(t.byKey, tr.key)
		} else {
			t.byKey[tr.key] = list
		}
	}
}

// forget removes tr and its aliases from the tracker's maps.
func (t *Tracker) forget(tr *tracked) {
	if t.calls[tr.call.ID] == tr {
		delete(t.calls, tr.call.ID)
	}
	for _, k := range tr.aliases {
		if t.aliases[k] == tr.call.ID {
			delete(t.aliases, k)
		}
	}
	if tr.call.Phase != PhaseEnded {
		t.unindex(tr)
		t.open--
	}
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = strings.TrimSpace(v)
	}
}

func (t *Tracker) logChange(c Call) {
	if t.quiet {
		return
	}
	attrs := []any{"call_id", c.ID, "source", c.Source, "direction", string(c.Direction),
		"number", phone.Mask(c.Remote)}
	switch c.Phase {
	case PhaseRinging:
		t.log.Info("call ringing", attrs...)
	case PhaseActive:
		t.log.Info("call answered", attrs...)
	case PhaseEnded:
		t.log.Info("call ended", append(attrs, "missed", c.Missed(), "rejected", c.Rejected(), "duration", c.Duration())...)
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
		t.forget(tr)
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
			if !t.quiet {
				t.log.Debug("forgetting stale call", "call_id", id, "phase", string(tr.call.Phase))
			}
			t.forget(tr)
		}
	}
	for k, when := range t.internal {
		if now.Sub(when) > keepEndedFor {
			delete(t.internal, k)
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
		if !t.quiet {
			t.log.Debug("forgetting oldest open call", "call_id", oldest.call.ID)
		}
		t.forget(oldest)
	}
}

// newCallID returns "call-" followed by 16 random hex digits.
func newCallID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error (Go 1.24+)
	return "call-" + hex.EncodeToString(b[:])
}
