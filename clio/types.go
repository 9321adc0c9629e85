package clio

import "time"

// The resource types below mirror the fields CallDocket reads from and writes
// to Clio Manage API v4 (schemas Contact_base, PhoneNumber_base, Matter_base,
// User_base, Communication_base and Activity_base in Clio's OpenAPI spec).
// Only the fields CallDocket uses are modelled; JSON names are Clio's.

// User is a Clio user (GET /users/who_am_i.json, GET /users.json).
type User struct {
	ID               int64    `json:"id"`
	Name             string   `json:"name,omitempty"`
	FirstName        string   `json:"first_name,omitempty"`
	LastName         string   `json:"last_name,omitempty"`
	Email            string   `json:"email,omitempty"`
	TimeZone         string   `json:"time_zone,omitempty"`
	Enabled          bool     `json:"enabled,omitempty"`
	PhoneNumber      string   `json:"phone_number,omitempty"`
	SubscriptionType string   `json:"subscription_type,omitempty"`
	Account          *Account `json:"account,omitempty"`
}

// Account is the firm a user belongs to.
type Account struct {
	ID   int64  `json:"id"`
	Name string `json:"name,omitempty"`
}

// Contact type values.
const (
	ContactPerson  = "Person"
	ContactCompany = "Company"
)

// Contact is a Person or a Company.
type Contact struct {
	ID           int64         `json:"id"`
	Name         string        `json:"name,omitempty"`
	FirstName    string        `json:"first_name,omitempty"`
	LastName     string        `json:"last_name,omitempty"`
	Type         string        `json:"type,omitempty"`
	IsClient     bool          `json:"is_client,omitempty"`
	Company      *Ref          `json:"company,omitempty"`
	PhoneNumbers []PhoneNumber `json:"phone_numbers,omitempty"`
	CreatedAt    time.Time     `json:"created_at,omitzero"`
	UpdatedAt    time.Time     `json:"updated_at,omitzero"`
}

// PhoneNumber is one of a contact's numbers, stored as the firm typed it.
// On read the default flag is "primary"; "default_number" is create/update only.
type PhoneNumber struct {
	ID      int64  `json:"id,omitempty"`
	Number  string `json:"number"`
	Name    string `json:"name,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

// Ref is a nested reference to another record: {id, name}.
type Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name,omitempty"`
}

// Matter status values as Clio returns them (filters take lowercase).
const (
	MatterOpen    = "Open"
	MatterPending = "Pending"
	MatterClosed  = "Closed"
)

// Matter is a Clio matter.
type Matter struct {
	ID                  int64     `json:"id"`
	DisplayNumber       string    `json:"display_number,omitempty"`
	Description         string    `json:"description,omitempty"`
	Status              string    `json:"status,omitempty"`
	Client              *Ref      `json:"client,omitempty"`
	ResponsibleAttorney *Ref      `json:"responsible_attorney,omitempty"`
	OriginatingAttorney *Ref      `json:"originating_attorney,omitempty"`
	PracticeArea        *Ref      `json:"practice_area,omitempty"`
	OpenDate            string    `json:"open_date,omitempty"`  // YYYY-MM-DD
	CloseDate           string    `json:"close_date,omitempty"` // YYYY-MM-DD
	LastActivityDate    string    `json:"last_activity_date,omitempty"`
	UpdatedAt           time.Time `json:"updated_at,omitzero"`
}

// Participant type values for communication senders and receivers.
const (
	ParticipantUser    = "User"
	ParticipantContact = "Contact"
)

// Participant is a sender or receiver of a communication. On create the type
// is User or Contact; on read Clio reports Person, Company or User.
type Participant struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
}

// ExternalProperty is a name/value pair Clio stores on communications,
// documents and folders (at most 5 per record). CallDocket puts its own
// event id here so a retry can find what an earlier attempt created.
type ExternalProperty struct {
	ID    int64  `json:"id,omitempty"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Communication type values.
const CommunicationPhone = "PhoneCommunication"

// Communication is a logged phone call, SMS or fax (read shape).
type Communication struct {
	ID                 int64              `json:"id"`
	Type               string             `json:"type,omitempty"`
	Subject            string             `json:"subject,omitempty"`
	Body               string             `json:"body,omitempty"`
	ReceivedAt         time.Time          `json:"received_at,omitzero"`
	Matter             *Ref               `json:"matter,omitempty"`
	Senders            []Participant      `json:"senders,omitempty"`
	Receivers          []Participant      `json:"receivers,omitempty"`
	ExternalProperties []ExternalProperty `json:"external_properties,omitempty"`
}

// IDRef is a nested {id} reference used in create bodies.
type IDRef struct {
	ID int64 `json:"id"`
}

// CommunicationCreate is the body of POST /communications.json.
// Clio (2026 spec) requires type, subject, body and received_at.
type CommunicationCreate struct {
	Type               string             `json:"type"`
	Subject            string             `json:"subject"`
	Body               string             `json:"body"`
	ReceivedAt         time.Time          `json:"received_at"`
	Matter             *IDRef             `json:"matter,omitempty"`
	Senders            []Participant      `json:"senders,omitempty"`
	Receivers          []Participant      `json:"receivers,omitempty"`
	ExternalProperties []ExternalProperty `json:"external_properties,omitempty"`
}

// Activity type values.
const ActivityTimeEntry = "TimeEntry"

// Activity is a time entry (read shape). Quantity is in seconds (API >= 4.0.4).
type Activity struct {
	ID            int64   `json:"id"`
	Type          string  `json:"type,omitempty"`
	Date          string  `json:"date,omitempty"` // YYYY-MM-DD
	Quantity      float64 `json:"quantity,omitempty"`
	Note          string  `json:"note,omitempty"`
	NonBillable   bool    `json:"non_billable,omitempty"`
	Matter        *Ref    `json:"matter,omitempty"`
	User          *Ref    `json:"user,omitempty"`
	Communication *Ref    `json:"communication,omitempty"`
}

// ActivityCreate is the body of POST /activities.json for a TimeEntry.
// Quantity is in seconds; Date is the user's local date (YYYY-MM-DD).
type ActivityCreate struct {
	Type          string `json:"type"`
	Date          string `json:"date"`
	Quantity      int64  `json:"quantity"`
	Note          string `json:"note,omitempty"`
	NonBillable   bool   `json:"non_billable"`
	Matter        *IDRef `json:"matter,omitempty"`
	User          *IDRef `json:"user,omitempty"`
	Communication *IDRef `json:"communication,omitempty"`
}
