package queue

import (
	"fmt"
	"time"
)

// Kind says what an item records.
type Kind string

// Kinds the outbox accepts.
const (
	KindCall   Kind = "call"   // a completed call: a Communication plus a TimeEntry
	KindMissed Kind = "missed" // a missed call: a Communication only
)

func (k Kind) valid() bool {
	switch k {
	case KindCall, KindMissed:
		return true
	}
	return false
}

// State is where an item is in its life.
type State string

// States of an item. pending -> delivering -> delivered, or -> pending again
// (retry), or -> failed (parked; Requeue makes it pending again).
const (
	StatePending    State = "pending"
	StateDelivering State = "delivering"
	StateDelivered  State = "delivered"
	StateFailed     State = "failed"
)

// states lists every state, in life-cycle order.
var states = []State{StatePending, StateDelivering, StateDelivered, StateFailed}

// ParseState parses a state name as stored ("pending", "delivering",
// "delivered", "failed").
func ParseState(s string) (State, error) {
	for _, st := range states {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("%w: unknown state %q", ErrInvalid, s)
}

// Item is one thing to deliver. The fields from Number to Source are the
// payload the caller enqueues; the rest is kept by the outbox.
type Item struct {
	ID      int64  // assigned by Enqueue
	EventID string // idempotency key; "cd-" + 32 hex digits when left empty
	Kind    Kind
	State   State

	Number    string // E.164 or raw
	Name      string // who the call was with, as shown
	ContactID int64  // Clio contact; 0 when unknown
	MatterID  int64  // Clio matter; 0 for none
	UserID    int64  // Clio user; 0 for the signed-in user
	Direction string // "in" or "out"
	StartedAt time.Time
	DurationS int64 // seconds, >= 0
	Billable  bool
	Note      string
	Source    string // telephony source, e.g. "sim", "hook"

	Attempts        int // claims so far, including the current one
	NextAttemptAt   time.Time
	LastError       string
	CommunicationID int64 // progress: Clio communication created, 0 if not yet
	ActivityID      int64 // progress: Clio time entry created, 0 if not yet

	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeliveredAt time.Time
}

// ListOptions filters List. No States means every state; Limit <= 0 means
// no limit.
type ListOptions struct {
	States []State
	Limit  int
}

// maxEventIDLen bounds a caller-supplied event id.
const maxEventIDLen = 200

func validate(it Item) error {
	if !it.Kind.valid() {
		return fmt.Errorf("%w: unknown kind %q", ErrInvalid, it.Kind)
	}
	if it.DurationS < 0 {
		return fmt.Errorf("%w: negative duration %d", ErrInvalid, it.DurationS)
	}
	if len(it.EventID) > maxEventIDLen {
		return fmt.Errorf("%w: event id longer than %d bytes", ErrInvalid, maxEventIDLen)
	}
	if it.ContactID < 0 || it.MatterID < 0 || it.UserID < 0 {
		return fmt.Errorf("%w: negative id", ErrInvalid)
	}
	return nil
}

// toMS stores a time as unix milliseconds, the zero time as 0.
func toMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS is the inverse of toMS.
func fromMS(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
