package tapi

import "time"

// Phase is where a tracked call stands.
type Phase string

// The phases of a Call. A call only moves forward: ringing, active, ended.
const (
	PhaseRinging Phase = "ringing" // ringing in, or dialling out
	PhaseActive  Phase = "active"  // answered, in progress
	PhaseEnded   Phase = "ended"   // over
)

// rank orders phases so that the tracker can refuse to move backwards.
func (p Phase) rank() int {
	switch p {
	case PhaseRinging:
		return 1
	case PhaseActive:
		return 2
	case PhaseEnded:
		return 3
	}
	return 0
}

// phaseOf maps a reported state to the phase it moves a call to.
func phaseOf(s State) Phase {
	switch s {
	case StateRinging:
		return PhaseRinging
	case StateAnswered:
		return PhaseActive
	case StateEnded:
		return PhaseEnded
	}
	return ""
}

// Call is one real phone call as the Tracker sees it.
type Call struct {
	// ID identifies the call in CallDocket. It equals the source's CallID
	// when the source has one, and is "call-" followed by 16 hex digits
	// otherwise.
	ID           string
	Source       string // the source of the first event
	SourceCallID string // the source's CallID; empty for sources without one
	Direction    Direction
	Remote       string // remote number as first reported
	RemoteE164   string // remote number in E.164, if a source supplied it
	RemoteName   string
	Local        string
	Phase        Phase
	RingAt       time.Time // first ringing, or the answer when no ringing was seen
	AnsweredAt   time.Time // zero if never answered
	EndedAt      time.Time // zero while the call is in progress
	// EndReason is why the call ended, as the ending event said
	// (EndRejected), or "" when it did not say.
	EndReason EndReason
}

// Missed reports whether this is an inbound call that ended without being
// answered, whether nobody picked up or the attorney declined it (see
// Rejected to tell them apart).
func (c Call) Missed() bool {
	return c.Phase == PhaseEnded && c.AnsweredAt.IsZero() && c.Direction == DirectionIn
}

// Rejected reports whether this is an inbound call the attorney declined
// while it rang (486, 603, decline): Missed, with EndReason EndRejected.
func (c Call) Rejected() bool { return c.Missed() && c.EndReason == EndRejected }

// Duration is the talk time, EndedAt minus AnsweredAt, when both are set.
// It is zero otherwise and never negative.
func (c Call) Duration() time.Duration {
	if c.AnsweredAt.IsZero() || c.EndedAt.IsZero() {
		return 0
	}
	d := c.EndedAt.Sub(c.AnsweredAt)
	if d < 0 {
		return 0
	}
	return d
}
