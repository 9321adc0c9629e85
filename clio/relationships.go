package clio

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// RelationshipsService reads the links between contacts and the matters
// they are related parties to. Matters.List with ClientID finds only the
// matters a contact is the client of; relationships find the rest.
// https://docs.developers.clio.com/api-reference/#tag/Relationships
type RelationshipsService service

// relationshipFields is the fields list for relationships: the matter as
// a reference with its number, description and status.
const relationshipFields = "id,description,matter{id,display_number,description,status},contact{id,name}"

// RelationshipListOptions filters GET /relationships.json. ContactID and
// MatterID limit the list to one contact's or one matter's relationships
// (0 means any); UpdatedSince (sent as RFC 3339) to those changed at or
// after it; Limit is the page size, 1 to 200 (0 or out of range means
// 200). The endpoint takes no order parameter; it pages by id.
type RelationshipListOptions struct {
	ContactID    int64
	MatterID     int64
	UpdatedSince time.Time
	Limit        int
}

func (o *RelationshipListOptions) url() (string, error) {
	var opts RelationshipListOptions
	if o != nil {
		opts = *o
	}
	q := fieldsQuery(relationshipFields)
	if err := setID(q, "contact_id", opts.ContactID); err != nil {
		return "", err
	}
	if err := setID(q, "matter_id", opts.MatterID); err != nil {
		return "", err
	}
	if !opts.UpdatedSince.IsZero() {
		q.Set("updated_since", formatTimestamp(opts.UpdatedSince.UTC()))
	}
	q.Set("limit", strconv.Itoa(limitOrDefault(opts.Limit)))
	return "relationships.json?" + q.Encode(), nil
}

// List returns the first page of relationships matching opts;
// Response.NextPage links the next one.
// https://docs.developers.clio.com/api-reference/#tag/Relationships/operation/Relationship#index
func (s *RelationshipsService) List(ctx context.Context, opts *RelationshipListOptions) ([]Relationship, *Response, error) {
	u, err := opts.url()
	if err != nil {
		return nil, nil, err
	}
	return listPage[Relationship](ctx, s.client, u)
}

// ListAll pages through every relationship matching opts and hands each
// page to fn. It returns fn's first error unchanged.
// https://docs.developers.clio.com/api-docs/paging
func (s *RelationshipsService) ListAll(ctx context.Context, opts *RelationshipListOptions, fn func([]Relationship) error) error {
	u, err := opts.url()
	if err != nil {
		return err
	}
	return listAll(ctx, s.client, u, relationshipFields, fn)
}

// ListByContact returns the first page (up to 200) of the relationships of
// a contact, each with its matter's id, display_number, description and
// status; Response.NextPage links the next page.
// https://docs.developers.clio.com/api-reference/#tag/Relationships/operation/Relationship#index
func (s *RelationshipsService) ListByContact(ctx context.Context, contactID int64) ([]Relationship, *Response, error) {
	if contactID <= 0 {
		return nil, nil, &invalidRequestError{msg: fmt.Sprintf("contact id %d is not positive", contactID)}
	}
	return s.List(ctx, &RelationshipListOptions{ContactID: contactID})
}

// ListAllByContact pages through every relationship of a contact and hands
// each page to fn. It returns fn's first error unchanged.
// https://docs.developers.clio.com/api-docs/paging
func (s *RelationshipsService) ListAllByContact(ctx context.Context, contactID int64, fn func([]Relationship) error) error {
	if contactID <= 0 {
		return &invalidRequestError{msg: fmt.Sprintf("contact id %d is not positive", contactID)}
	}
	return s.ListAll(ctx, &RelationshipListOptions{ContactID: contactID}, fn)
}
