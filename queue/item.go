package queue

import (
	"fmt"
	"strings"
	"time"
)

// Kind says what an item records.
type Kind string

// Kinds the outbox accepts.
const (
	KindCall   Kind = "call"   // a completed call: a Communication plus a TimeEntry
	KindMissed Kind = "missed" // a missed call: a Communication only
	// KindRejected is a call declined at the phone: a Communication only,
	// saying the call was declined.
	KindRejected Kind = "rejected"
	KindSMS      Kind = "sms" // a text message: a Communication only, Text is the message
	KindFax      Kind = "fax" // a fax: a Communication plus a Document uploaded from FilePath
	// KindNote adds Text as a note to the Communication of the item whose
	// EventID is RefEventID (a note on a missed call already logged).
	KindNote Kind = "note"
)

// kinds lists every kind.
var kinds = []Kind{KindCall, KindMissed, KindRejected, KindSMS, KindFax, KindNote}

func (k Kind) valid() bool {
	for _, v := range kinds {
		if k == v {
			return true
		}
	}
	return false
}

// ParseKind parses a kind name as stored ("call", "missed", "rejected",
// "sms", "fax", "note").
func ParseKind(s string) (Kind, error) {
	if k := Kind(s); k.valid() {
		return k, nil
	}
	return "", fmt.Errorf("%w: unknown kind %q", ErrInvalid, s)
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

// Item is one thing to deliver. The fields from Number to RefEventID are the
// payload the caller enqueues; the rest is kept by the outbox. Progress
// fields (ContactCreated to Uploaded) record each completed delivery step,
// so a retry resumes where the last attempt stopped.
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
	Text      string // KindSMS: the message text; KindNote: the note
	FilePath  string // KindFax: the PDF, a copy the app keeps in its data folder
	// RefEventID is, for KindNote, the EventID of the item whose
	// Communication the note is added to.
	RefEventID string

	Attempts      int // claims so far, including the current one
	NextAttemptAt time.Time
	LastError     string
	// Uncertain says an earlier attempt may have written to Clio without
	// recording it (it crashed, lost its lease, or a write's answer never
	// arrived), so the deliverer must look before it posts again.
	Uncertain bool

	ContactCreated  bool   // progress: ContactID is a contact created for this item
	CommunicationID int64  // progress: Clio communication created, 0 if not yet
	ActivityID      int64  // progress: Clio time entry created, 0 if not yet
	FolderID        int64  // progress: the fax folder found or created, 0 if not yet
	DocumentID      int64  // progress: the fax document created, 0 if not yet
	DocumentUUID    string // progress: the document version to upload into
	Uploaded        bool   // progress: the file was uploaded and marked complete

	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeliveredAt time.Time
}

// Progress is one or more completed delivery steps. Zero fields leave the
// stored value unchanged, so a step records only what it learned.
type Progress struct {
	// ContactID is a contact created for the item (Contact Creation); it
	// becomes the item's ContactID and sets ContactCreated.
	ContactID       int64
	CommunicationID int64
	ActivityID      int64
	FolderID        int64
	DocumentID      int64
	DocumentUUID    string
	Uploaded        bool
}

func (p Progress) valid() error {
	if p.ContactID < 0 || p.CommunicationID < 0 || p.ActivityID < 0 || p.FolderID < 0 || p.DocumentID < 0 {
		return fmt.Errorf("%w: negative id", ErrInvalid)
	}
	if len(p.DocumentUUID) > maxEventIDLen {
		return fmt.Errorf("%w: document uuid longer than %d bytes", ErrInvalid, maxEventIDLen)
	}
	return nil
}

// String describes the recorded step for the audit trail (ids only).
func (p Progress) String() string {
	var parts []string
	add := func(name string, v int64) {
		if v != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", name, v))
		}
	}
	add("contact_id", p.ContactID)
	add("communication_id", p.CommunicationID)
	add("activity_id", p.ActivityID)
	add("folder_id", p.FolderID)
	add("document_id", p.DocumentID)
	if p.DocumentUUID != "" {
		parts = append(parts, "document_uuid="+p.DocumentUUID)
	}
	if p.Uploaded {
		parts = append(parts, "uploaded")
	}
	return strings.Join(parts, " ")
}

// ListOptions filters List. No States means every state; Limit <= 0 means
// no limit.
type ListOptions struct {
	States []State
	Limit  int
}

// maxEventIDLen bounds a caller-supplied event id.
const maxEventIDLen = 200

// maxTextLen bounds an SMS text (Clio's communication body is far larger;
// a concatenated SMS is a few kilobytes at most).
const maxTextLen = 64 << 10

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
	if it.Kind == KindFax && it.FilePath == "" {
		return fmt.Errorf("%w: a fax needs its file path", ErrInvalid)
	}
	if len(it.Text) > maxTextLen {
		return fmt.Errorf("%w: text longer than %d bytes", ErrInvalid, maxTextLen)
	}
	if len(it.RefEventID) > maxEventIDLen {
		return fmt.Errorf("%w: ref event id longer than %d bytes", ErrInvalid, maxEventIDLen)
	}
	if it.Kind == KindNote && (it.RefEventID == "" || strings.TrimSpace(it.Text) == "") {
		return fmt.Errorf("%w: a note needs its text and the event id it refers to", ErrInvalid)
	}
	if it.Kind != KindNote && it.RefEventID != "" {
		return fmt.Errorf("%w: only a note refers to another item", ErrInvalid)
	}
	return nil
}
