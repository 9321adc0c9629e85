package clio

import "time"

// The types below complete types.go for the resources added in wave 2:
// contact creation, relationships, folders and documents. As there, only
// the fields CallDocket uses are modelled and JSON names are Clio's
// (schemas Contact, PhoneNumber, Relationship, Folder, Document and
// DocumentVersion in Clio's OpenAPI spec).

// Phone number kinds a create body accepts (PhoneNumber name). Clio files
// a number without a kind as Other.
const (
	PhoneWork   = "Work"
	PhoneHome   = "Home"
	PhoneMobile = "Mobile"
	PhoneFax    = "Fax"
	PhonePager  = "Pager"
	PhoneSkype  = "Skype"
	PhoneOther  = "Other"
)

// ContactCreate is the body of POST /contacts.json. A Person needs a first
// or a last name (Clio discourages sending name for a person, and answers
// 422 when it cannot split it); a Company needs Name. Company optionally
// links a person to an existing company contact. A contact holds at most
// 20 phone numbers (API 4.0.13).
type ContactCreate struct {
	Type         string
	FirstName    string
	LastName     string
	Name         string
	Company      *IDRef
	PhoneNumbers []PhoneNumberCreate
}

// PhoneNumberCreate is one phone number in a contact create body. Name is
// one of the Phone* kinds (empty means Other). Default marks the contact's
// default number; Clio calls the flag default_number on create and primary
// on read.
type PhoneNumberCreate struct {
	Name    string
	Number  string
	Default bool
}

// Parent type values for folders and documents.
const (
	ParentMatter   = "Matter"
	ParentContact  = "Contact"
	ParentFolder   = "Folder"
	ParentDocument = "Document" // a document's parent only: a new version
)

// Parent names where a folder or document goes: {id, type}. A Matter or
// Contact parent means that record's root folder, which Clio creates when
// needed.
type Parent struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

// Relationship links a contact to a matter in which they are a related
// party (not the client). Matter carries id, display_number, description
// and status.
type Relationship struct {
	ID          int64   `json:"id"`
	Description string  `json:"description,omitempty"`
	Matter      *Matter `json:"matter,omitempty"`
	Contact     *Ref    `json:"contact,omitempty"`
}

// Folder is a document folder. Root is true for the folder Clio keeps for
// each matter and contact.
type Folder struct {
	ID                 int64              `json:"id"`
	Name               string             `json:"name,omitempty"`
	Root               bool               `json:"root,omitempty"`
	Parent             *Ref               `json:"parent,omitempty"`
	ExternalProperties []ExternalProperty `json:"external_properties,omitempty"`
}

// FolderCreate is the body of POST /folders.json. Parent.Type is Matter,
// Contact or Folder. At most 5 external properties.
type FolderCreate struct {
	Name               string
	Parent             Parent
	ExternalProperties []ExternalProperty
}

// Document is a document record (read shape). Until its upload is marked
// complete Clio lists it only with show_uncompleted=true.
type Document struct {
	ID                    int64              `json:"id"`
	Name                  string             `json:"name,omitempty"`
	Filename              string             `json:"filename,omitempty"`
	ContentType           string             `json:"content_type,omitempty"`
	ReceivedAt            time.Time          `json:"received_at,omitzero"`
	Parent                *Ref               `json:"parent,omitempty"`
	ExternalProperties    []ExternalProperty `json:"external_properties,omitempty"`
	LatestDocumentVersion *DocumentVersion   `json:"latest_document_version,omitempty"`
}

// DocumentVersion is the upload state of a document's newest version.
// PutURL (valid for 10 minutes) takes the file's bytes with every header
// in PutHeaders; UUID names the version when marking it uploaded.
type DocumentVersion struct {
	ID            int64       `json:"id,omitempty"`
	UUID          string      `json:"uuid,omitempty"`
	PutURL        string      `json:"put_url,omitempty"`
	PutHeaders    []PutHeader `json:"put_headers,omitempty"`
	FullyUploaded bool        `json:"fully_uploaded,omitempty"`
}

// PutHeader is one header the upload PUT must carry.
type PutHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// DocumentCreate is the body of POST /documents.json, the first step of an
// upload. Name and Parent are required; Parent.Type is Matter, Contact,
// Folder or Document. CommunicationID links the communication the document
// came with (0 for none). At most 5 external properties.
type DocumentCreate struct {
	Name               string
	Parent             Parent
	ContentType        string
	ReceivedAt         time.Time
	Filename           string
	CommunicationID    int64
	ExternalProperties []ExternalProperty
}
