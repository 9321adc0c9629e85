package clio

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// PhoneNumbersService reads a contact's phone numbers through the
// sub-resource added in API 4.0.11. A contact's nested phone_numbers list
// is capped at 200 items; this one is paged and complete.
// https://docs.developers.clio.com/api-reference/#tag/Phone-Numbers
type PhoneNumbersService service

// phoneNumberFields is the fields list for phone numbers.
const phoneNumberFields = "id,number,name,primary"

// PhoneNumberListOptions filters GET /contacts/{id}/phone_numbers.json.
// UpdatedSince (sent as RFC 3339) limits the list to numbers changed at or
// after it; Limit is the page size, 1 to 200 (0 or out of range means 200).
type PhoneNumberListOptions struct {
	UpdatedSince time.Time
	Limit        int
}

// phoneNumbersURL builds the list URL. The endpoint takes no order
// parameter; it pages by id.
func phoneNumbersURL(contactID int64, o *PhoneNumberListOptions) (string, error) {
	if contactID <= 0 {
		return "", &invalidRequestError{msg: fmt.Sprintf("contact id %d is not positive", contactID)}
	}
	var opts PhoneNumberListOptions
	if o != nil {
		opts = *o
	}
	q := fieldsQuery(phoneNumberFields)
	q.Set("limit", strconv.Itoa(limitOrDefault(opts.Limit)))
	if !opts.UpdatedSince.IsZero() {
		q.Set("updated_since", formatTimestamp(opts.UpdatedSince.UTC()))
	}
	return "contacts/" + strconv.FormatInt(contactID, 10) + "/phone_numbers.json?" + q.Encode(), nil
}

// List returns the first page of a contact's phone numbers;
// Response.NextPage links the next one.
// https://docs.developers.clio.com/api-reference/#tag/Phone-Numbers/operation/PhoneNumber#index
func (s *PhoneNumbersService) List(ctx context.Context, contactID int64, opts *PhoneNumberListOptions) ([]PhoneNumber, *Response, error) {
	u, err := phoneNumbersURL(contactID, opts)
	if err != nil {
		return nil, nil, err
	}
	return listPage[PhoneNumber](ctx, s.client, u)
}

// ListAll pages through all of a contact's phone numbers and hands each
// page to fn. It returns fn's first error unchanged.
// https://docs.developers.clio.com/api-docs/paging
func (s *PhoneNumbersService) ListAll(ctx context.Context, contactID int64, opts *PhoneNumberListOptions, fn func([]PhoneNumber) error) error {
	u, err := phoneNumbersURL(contactID, opts)
	if err != nil {
		return err
	}
	return listAll(ctx, s.client, u, phoneNumberFields, fn)
}
