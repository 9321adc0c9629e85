package calls

import (
	"time"
)

// Record is one call, missed call, text message or fax, as the ledger keeps
// it. Its JSON form is the contract of `calldocket calls --json`.
type Record struct {
	ID        int64  `json:"id"`
	CallID    string `json:"call_id"` // the tracker's call id, or the message's own key
	Kind      Kind   `json:"kind"`
	State     State  `json:"state"`
	PrevState State  `json:"-"` // the state before a discard, for undo

	Source       string    `json:"source,omitempty"`
	SourceCallID string    `json:"-"`
	Direction    string    `json:"direction"`
	Number       string    `json:"number"` // as the source reported it
	E164         string    `json:"e164"`
	CallerName   string    `json:"-"` // caller-ID name, as the network sent it
	StartedAt    time.Time `json:"started_at"`
	AnsweredAt   time.Time `json:"-"`
	EndedAt      time.Time `json:"ended_at,omitzero"`
	// DurationS is the talk time in seconds; DurationKnown is false when
	// CallDocket never saw the call end (it was closed during the call).
	DurationS     int64 `json:"-"`
	DurationKnown bool  `json:"-"`

	ContactID    int64  `json:"contact_id"`
	ContactName  string `json:"-"`
	NotAClient   bool   `json:"-"`
	MatterID     int64  `json:"matter_id"`
	MatterReason string `json:"-"` // why the matter was filed automatically
	Decided      bool   `json:"-"` // billable was chosen (or set by the kind)
	Billable     bool   `json:"billable"`
	Note         string `json:"note"`
	Text         string `json:"-"` // an SMS's text
	FilePath     string `json:"-"` // a fax's PDF
	Reason       string `json:"reason"`

	// Restored: the call was still open when CallDocket last stopped; it
	// waits for news from its source before it goes to Review.
	Restored        bool      `json:"-"`
	OutboxID        int64     `json:"outbox_id"`
	EventID         string    `json:"-"`
	CommunicationID int64     `json:"clio_communication_id"`
	CreatedAt       time.Time `json:"-"`
	UpdatedAt       time.Time `json:"-"`
	ChangedAt       time.Time `json:"-"` // when State last changed
	DiscardedAt     time.Time `json:"-"`
}

// Duration is the talk time, 0 when unknown.
func (r Record) Duration() time.Duration { return time.Duration(r.DurationS) * time.Second }

// DisplayName is who the record is with: the filed contact, else the
// caller-ID name, else "".
func (r Record) DisplayName() string {
	if r.ContactName != "" {
		return r.ContactName
	}
	return r.CallerName
}

// Missed reports whether this is an inbound call nobody talked on: missed,
// or declined at the phone (see Rejected).
func (r Record) Missed() bool { return r.Kind.Unanswered() }

// Rejected reports whether this is an inbound call the attorney declined
// at the phone.
func (r Record) Rejected() bool { return r.Kind == KindRejected }
