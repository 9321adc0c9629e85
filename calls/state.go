package calls

import (
	"errors"
	"fmt"
)

// State is where a record is in its life.
type State string

// The states of a record. Their names are part of `calldocket calls --json`.
const (
	StateRinging   State = "ringing"           // ringing in, or dialling out
	StateAnswered  State = "answered"          // connected
	StateAwaiting  State = "awaiting_decision" // ended; billable or not?
	StateMissed    State = "missed"            // ended unanswered (inbound): nobody picked up
	StateRejected  State = "rejected"          // ended unanswered (inbound): declined at the phone
	StateLater     State = "later"             // waiting in Review
	StateQueued    State = "queued"            // decided; in the outbox on its way to Clio
	StateDelivered State = "delivered"         // in Clio
	StateFailed    State = "failed"            // Clio refused it; Reason says why
	StateDiscarded State = "discarded"         // thrown away on purpose; Undo brings it back
)

// States lists every state in life order.
var States = []State{StateRinging, StateAnswered, StateAwaiting, StateMissed, StateRejected, StateLater,
	StateQueued, StateDelivered, StateFailed, StateDiscarded}

// ParseState parses a state name.
func ParseState(s string) (State, error) {
	for _, st := range States {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("%w: unknown state %q", ErrInvalid, s)
}

// Undecided reports whether the record still waits for the attorney: it
// ended (or was lost) and nobody said billable or not.
func (s State) Undecided() bool { return s == StateAwaiting || s == StateLater }

// Unanswered reports whether the record is an inbound call that ended
// unanswered and is not logged yet: missed or rejected.
func (s State) Unanswered() bool { return s == StateMissed || s == StateRejected }

// Open reports whether the call is still in progress.
func (s State) Open() bool { return s == StateRinging || s == StateAnswered }

// Kind says what a record is.
type Kind string

// Kinds of records; they match the outbox's kinds.
const (
	KindCall   Kind = "call"
	KindMissed Kind = "missed"
	// KindRejected is an inbound call the attorney declined at the phone
	// (486, 603, decline). It follows the missed-call rules; only its
	// words differ ("Declined call").
	KindRejected Kind = "rejected"
	KindSMS      Kind = "sms"
	KindFax      Kind = "fax"
)

// Unanswered reports whether the kind is an inbound call nobody talked on:
// missed or rejected.
func (k Kind) Unanswered() bool { return k == KindMissed || k == KindRejected }

// Action is something that happens to a record.
type Action string

// Actions, each a transition of the state machine (see Next).
const (
	ActAnswer  Action = "answer"  // the call was connected
	ActEnd     Action = "end"     // the call ended after it was answered, or an outbound call ended unanswered
	ActMiss    Action = "miss"    // an inbound call ended unanswered
	ActReject  Action = "reject"  // an inbound call was declined at the phone
	ActLose    Action = "lose"    // CallDocket was closed during the call and its end never came
	ActLater   Action = "later"   // Esc, the confirm delay ran out, or pop-ups are paused
	ActDecide  Action = "decide"  // billable or not: queue it
	ActQueue   Action = "queue"   // queued without a decision (missed call, SMS, fax, log)
	ActDeliver Action = "deliver" // Clio has it
	ActFail    Action = "fail"    // Clio refused it
	ActRetry   Action = "retry"   // put a refused item back in line
	ActDiscard Action = "discard" // thrown away on purpose
	ActUndo    Action = "undo"    // the discard taken back
)

// Sentinel errors, matched with errors.Is.
var (
	ErrInvalid    = errors.New("invalid value")
	ErrNotFound   = errors.New("no such call")
	ErrTransition = errors.New("not possible in this state")
)

// TransitionError says an action does not apply to a record's state.
type TransitionError struct {
	ID     int64
	From   State
	Action Action
}

func (e *TransitionError) Error() string {
	what := map[Action]string{
		ActDecide: "decided", ActLater: "moved to Review", ActDiscard: "discarded",
		ActUndo: "restored (it was not discarded)", ActRetry: "retried (it has not failed)",
	}[e.Action]
	if what == "" {
		what = string(e.Action)
	}
	return fmt.Sprintf("call %d is %s and cannot be %s", e.ID, e.From, what)
}

func (e *TransitionError) Unwrap() error { return ErrTransition }

// transitions is the state machine: from → action → to. Undo goes back to
// the state before the discard and is handled by Next.
var transitions = map[State]map[Action]State{
	StateRinging:   {ActAnswer: StateAnswered, ActEnd: StateAwaiting, ActMiss: StateMissed, ActReject: StateRejected, ActLose: StateLater},
	StateAnswered:  {ActEnd: StateAwaiting, ActLose: StateLater},
	StateAwaiting:  {ActDecide: StateQueued, ActLater: StateLater, ActDiscard: StateDiscarded},
	StateMissed:    {ActQueue: StateQueued, ActDecide: StateQueued, ActDiscard: StateDiscarded},
	StateRejected:  {ActQueue: StateQueued, ActDecide: StateQueued, ActDiscard: StateDiscarded},
	StateLater:     {ActDecide: StateQueued, ActDiscard: StateDiscarded, ActLater: StateLater},
	StateQueued:    {ActDeliver: StateDelivered, ActFail: StateFailed},
	StateFailed:    {ActRetry: StateQueued, ActDecide: StateQueued, ActDiscard: StateDiscarded, ActDeliver: StateDelivered},
	StateDelivered: {},
	StateDiscarded: {},
}

// Next is the state a record in from moves to on a; prev is the state it had
// before it was discarded (used by undo).
func Next(from, prev State, a Action) (State, bool) {
	if a == ActUndo {
		if from != StateDiscarded || prev == "" || prev == StateDiscarded {
			return from, false
		}
		return prev, true
	}
	to, ok := transitions[from][a]
	return to, ok
}
