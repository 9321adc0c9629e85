package clio

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MattersService reads Clio matters.
// https://docs.developers.clio.com/api-reference/#tag/Matters
type MattersService service

// matterFields is the fields list for matters: Matter_base plus the client,
// attorneys and practice area, one nesting level.
const matterFields = "id,display_number,description,status,open_date,close_date,updated_at,last_activity_date," +
	"client{id,name},responsible_attorney{id,name},originating_attorney{id,name},practice_area{id,name}"

// MatterListOptions filters GET /matters.json. ClientID limits the list to
// matters whose client is that contact; Status takes the lowercase filter
// values open, pending and closed (sent comma-separated); UpdatedSince
// (sent as RFC 3339) limits it to matters changed at or after it; Limit is
// the page size, 1 to 200 (0 or out of range means 200).
type MatterListOptions struct {
	ClientID     int64
	Status       []string
	UpdatedSince time.Time
	Limit        int
}

func (o *MatterListOptions) url() (string, error) {
	q := fieldsQuery(matterFields)
	q.Set("order", orderByID)
	var opts MatterListOptions
	if o != nil {
		opts = *o
	}
	q.Set("limit", strconv.Itoa(limitOrDefault(opts.Limit)))
	if opts.ClientID < 0 {
		return "", &invalidRequestError{msg: fmt.Sprintf("matter client id %d is negative", opts.ClientID)}
	}
	if opts.ClientID > 0 {
		q.Set("client_id", strconv.FormatInt(opts.ClientID, 10))
	}
	if len(opts.Status) > 0 {
		st := make([]string, 0, len(opts.Status))
		for _, s := range opts.Status {
			s = strings.ToLower(strings.TrimSpace(s))
			switch s {
			case "open", "pending", "closed":
				st = append(st, s)
			default:
				return "", &invalidRequestError{msg: fmt.Sprintf("matter status %q not one of open, pending, closed", s)}
			}
		}
		q.Set("status", strings.Join(st, ","))
	}
	if !opts.UpdatedSince.IsZero() {
		q.Set("updated_since", formatTimestamp(opts.UpdatedSince.UTC()))
	}
	return "matters.json?" + q.Encode(), nil
}

// List returns the first page of matters ordered by id; Response.NextPage
// links the next one.
// https://docs.developers.clio.com/api-reference/#tag/Matters/operation/Matter#index
func (s *MattersService) List(ctx context.Context, opts *MatterListOptions) ([]Matter, *Response, error) {
	u, err := opts.url()
	if err != nil {
		return nil, nil, err
	}
	return listPage[Matter](ctx, s.client, u)
}

// ListAll pages through every matter matching opts in id order, following
// meta.paging.next, and hands each page to fn. It returns fn's first error
// unchanged.
// https://docs.developers.clio.com/api-docs/paging
func (s *MattersService) ListAll(ctx context.Context, opts *MatterListOptions, fn func([]Matter) error) error {
	u, err := opts.url()
	if err != nil {
		return err
	}
	return listAll(ctx, s.client, u, matterFields, fn)
}
