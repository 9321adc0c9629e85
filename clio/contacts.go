package clio

import (
	"context"
	"fmt"
	"strconv"
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
