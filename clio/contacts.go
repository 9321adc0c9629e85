package clio

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ContactsService reads Clio contacts (people and companies).
// https://docs.developers.clio.com/api-reference/#tag/Contacts
type ContactsService service

// contactFields is the fields list for contacts: Contact_base plus the
// company and phone numbers, one nesting level.
const contactFields = "id,name,first_name,last_name,type,is_client,updated_at,created_at," +
	"company{id,name},phone_numbers{id,number,name,primary}"

// ContactListOptions filters GET /contacts.json. UpdatedSince (sent as
// RFC 3339) limits the list to contacts changed at or after it; Query is
// Clio's wildcard search over names, phone numbers, emails and more; Limit
// is the page size, 1 to 200 (0 or out of range means 200).
type ContactListOptions struct {
	UpdatedSince time.Time
	Query        string
	Limit        int
}

func (o *ContactListOptions) url() string {
	q := fieldsQuery(contactFields)
	q.Set("order", orderByID)
	var opts ContactListOptions
	if o != nil {
		opts = *o
	}
	q.Set("limit", strconv.Itoa(limitOrDefault(opts.Limit)))
	if !opts.UpdatedSince.IsZero() {
		q.Set("updated_since", formatTimestamp(opts.UpdatedSince.UTC()))
	}
	if opts.Query != "" {
		q.Set("query", opts.Query)
	}
	return "contacts.json?" + q.Encode()
}

// List returns the first page of contacts ordered by id; Response.NextPage
// links the next one.
// https://docs.developers.clio.com/api-reference/#tag/Contacts/operation/Contact#index
func (s *ContactsService) List(ctx context.Context, opts *ContactListOptions) ([]Contact, *Response, error) {
	return listPage[Contact](ctx, s.client, opts.url())
}

// ListAll pages through every contact matching opts in id order, following
// meta.paging.next, and hands each page to fn. It returns fn's first error
// unchanged.
// https://docs.developers.clio.com/api-docs/paging
func (s *ContactsService) ListAll(ctx context.Context, opts *ContactListOptions, fn func([]Contact) error) error {
	return listAll(ctx, s.client, opts.url(), contactFields, fn)
}

// Get returns one contact.
// https://docs.developers.clio.com/api-reference/#tag/Contacts/operation/Contact#show
func (s *ContactsService) Get(ctx context.Context, id int64) (*Contact, *Response, error) {
	if id <= 0 {
		return nil, nil, &invalidRequestError{msg: fmt.Sprintf("contact id %d is not positive", id)}
	}
	u := "contacts/" + strconv.FormatInt(id, 10) + ".json?" + fieldsQuery(contactFields).Encode()
	return getOne[Contact](ctx, s.client, u)
}

// formatTimestamp renders t as RFC 3339 with its zone offset, to the second.
func formatTimestamp(t time.Time) string {
	return t.Format(time.RFC3339)
}

// maxPhoneNumbers is how many phone numbers a contact may hold (API 4.0.13).
const maxPhoneNumbers = 20

// phoneKinds are the phone number names a create body accepts.
var phoneKinds = []string{PhoneWork, PhoneHome, PhoneMobile, PhoneFax, PhonePager, PhoneSkype, PhoneOther}

// contactBody is what POST /contacts.json is sent.
type contactBody struct {
	Type         string            `json:"type"`
	Name         string            `json:"name,omitempty"`
	FirstName    string            `json:"first_name,omitempty"`
	LastName     string            `json:"last_name,omitempty"`
	Company      *IDRef            `json:"company,omitempty"`
	PhoneNumbers []phoneNumberBody `json:"phone_numbers,omitempty"`
}

type phoneNumberBody struct {
	Name          string `json:"name,omitempty"`
	Number        string `json:"number"`
	DefaultNumber bool   `json:"default_number,omitempty"`
}

// newContactBody checks c against what Clio requires and converts it. A
// Person is sent with first and last name only, a Company with its name
// only.
func newContactBody(c *ContactCreate) (*contactBody, error) {
	if c == nil {
		return nil, &invalidRequestError{msg: "contact is nil"}
	}
	b := &contactBody{Type: c.Type, Company: c.Company}
	switch c.Type {
	case ContactPerson:
		b.FirstName, b.LastName = strings.TrimSpace(c.FirstName), strings.TrimSpace(c.LastName)
		if b.FirstName == "" && b.LastName == "" {
			return nil, &invalidRequestError{msg: "person contact needs a first or last name"}
		}
	case ContactCompany:
		if b.Name = strings.TrimSpace(c.Name); b.Name == "" {
			return nil, &invalidRequestError{msg: "company contact name is empty"}
		}
		if c.Company != nil {
			return nil, &invalidRequestError{msg: "company contact cannot belong to a company"}
		}
	default:
		return nil, &invalidRequestError{msg: fmt.Sprintf("contact type %q not %s or %s", c.Type, ContactPerson, ContactCompany)}
	}
	if c.Company != nil && c.Company.ID <= 0 {
		return nil, &invalidRequestError{msg: "contact company id is not positive"}
	}
	if len(c.PhoneNumbers) > maxPhoneNumbers {
		return nil, &invalidRequestError{msg: fmt.Sprintf("contact has %d phone numbers, at most %d allowed",
			len(c.PhoneNumbers), maxPhoneNumbers)}
	}
	defaults := 0
	for i, p := range c.PhoneNumbers {
		number := strings.TrimSpace(p.Number)
		if number == "" {
			return nil, &invalidRequestError{msg: fmt.Sprintf("contact phone number %d is empty", i)}
		}
		if p.Name != "" && !slices.Contains(phoneKinds, p.Name) {
			return nil, &invalidRequestError{msg: fmt.Sprintf("contact phone number kind %q not one of %s",
				p.Name, strings.Join(phoneKinds, ", "))}
		}
		if p.Default {
			defaults++
		}
		b.PhoneNumbers = append(b.PhoneNumbers, phoneNumberBody{Name: p.Name, Number: number, DefaultNumber: p.Default})
	}
	if defaults > 1 {
		return nil, &invalidRequestError{msg: fmt.Sprintf("contact has %d default phone numbers, at most 1 allowed", defaults)}
	}
	return b, nil
}

// Create adds a contact, a Person or a Company, with its phone numbers.
// Clio takes no idempotency key: a retried create makes a second contact.
// https://docs.developers.clio.com/api-reference/#tag/Contacts/operation/Contact#create
func (s *ContactsService) Create(ctx context.Context, c *ContactCreate) (*Contact, *Response, error) {
	body, err := newContactBody(c)
	if err != nil {
		return nil, nil, err
	}
	u := "contacts.json?" + fieldsQuery(contactFields).Encode()
	return create[Contact](ctx, s.client, u, body)
}
