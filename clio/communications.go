package clio

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// CommunicationsService logs and finds phone communications.
// https://docs.developers.clio.com/api-reference/#tag/Communications
type CommunicationsService service

// communicationFields is the fields list for communications.
// Nested records name their fields: without a list Clio returns only their
// id and etag.
const communicationFields = "id,type,subject,body,received_at,matter{id}," +
	"senders{id,type,name},receivers{id,type,name},external_properties{id,name,value}"

// maxExternalProperties is Clio's limit per communication.
const maxExternalProperties = 5

// communicationBody is what POST /communications.json is sent: only the
// properties Clio's create schema knows (participants as {id, type},
// external properties as {name, value}).
type communicationBody struct {
	Type               string                 `json:"type"`
	Subject            string                 `json:"subject"`
	Body               string                 `json:"body"`
	ReceivedAt         string                 `json:"received_at"`
	Matter             *IDRef                 `json:"matter,omitempty"`
	Senders            []participantBody      `json:"senders,omitempty"`
	Receivers          []participantBody      `json:"receivers,omitempty"`
	ExternalProperties []externalPropertyBody `json:"external_properties,omitempty"`
}

type participantBody struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

type externalPropertyBody struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// newCommunicationBody checks c against what Clio requires and converts it.
func newCommunicationBody(c *CommunicationCreate) (*communicationBody, error) {
	if c == nil {
		return nil, &invalidRequestError{msg: "communication is nil"}
	}
	switch {
	case c.Type == "":
		return nil, &invalidRequestError{msg: "communication type is empty"}
	case c.Subject == "":
		return nil, &invalidRequestError{msg: "communication subject is empty"}
	case c.Body == "":
		return nil, &invalidRequestError{msg: "communication body is empty"}
	case c.ReceivedAt.IsZero():
		return nil, &invalidRequestError{msg: "communication received_at is zero"}
	case c.Matter != nil && c.Matter.ID <= 0:
		return nil, &invalidRequestError{msg: "communication matter id is not positive"}
	}
	b := &communicationBody{
		Type:       c.Type,
		Subject:    c.Subject,
		Body:       c.Body,
		ReceivedAt: formatTimestamp(c.ReceivedAt),
		Matter:     c.Matter,
	}
	var err error
	if b.Senders, err = participantBodies("sender", c.Senders); err != nil {
		return nil, err
	}
	if b.Receivers, err = participantBodies("receiver", c.Receivers); err != nil {
		return nil, err
	}
	if b.ExternalProperties, err = externalPropertyBodies("communication", c.ExternalProperties); err != nil {
		return nil, err
	}
	return b, nil
}

// externalPropertyBodies checks a record's external properties (at most 5,
// each named) and converts them to their create form.
func externalPropertyBodies(what string, ps []ExternalProperty) ([]externalPropertyBody, error) {
	if len(ps) > maxExternalProperties {
		return nil, &invalidRequestError{msg: fmt.Sprintf("%s has %d external properties, at most %d allowed",
			what, len(ps), maxExternalProperties)}
	}
	var out []externalPropertyBody
	for _, p := range ps {
		if p.Name == "" {
			return nil, &invalidRequestError{msg: what + " external property name is empty"}
		}
		out = append(out, externalPropertyBody{Name: p.Name, Value: p.Value})
	}
	return out, nil
}

func participantBodies(role string, ps []Participant) ([]participantBody, error) {
	var out []participantBody
	for _, p := range ps {
		if p.ID <= 0 {
			return nil, &invalidRequestError{msg: fmt.Sprintf("communication %s id is not positive", role)}
		}
		if p.Type != ParticipantUser && p.Type != ParticipantContact {
			return nil, &invalidRequestError{msg: fmt.Sprintf("communication %s type %q not %s or %s",
				role, p.Type, ParticipantUser, ParticipantContact)}
		}
		out = append(out, participantBody{ID: p.ID, Type: p.Type})
	}
	return out, nil
}

// Create logs a communication (for CallDocket a PhoneCommunication).
// ReceivedAt is sent as RFC 3339 with its zone offset. Clio takes no
// idempotency key: before retrying, look for the earlier attempt with
// ListByExternalProperty.
// https://docs.developers.clio.com/api-reference/#tag/Communications/operation/Communication#create
func (s *CommunicationsService) Create(ctx context.Context, c *CommunicationCreate) (*Communication, *Response, error) {
	body, err := newCommunicationBody(c)
	if err != nil {
		return nil, nil, err
	}
	u := "communications.json?" + fieldsQuery(communicationFields).Encode()
	return create[Communication](ctx, s.client, u, body)
}

// ListByExternalProperty returns the communications that carry the
// external property name=value (an exact match), in id order. It asks for
// external_properties and keeps only the records that really carry it, so
// a server that ignores the filter cannot pass off an unrelated record;
// such a server's list is read for at most 10 pages of 200.
// https://docs.developers.clio.com/api-reference/#tag/Communications/operation/Communication#index
func (s *CommunicationsService) ListByExternalProperty(ctx context.Context, name, value string) ([]Communication, *Response, error) {
	if name == "" || value == "" {
		return nil, nil, &invalidRequestError{msg: "external property name and value must not be empty"}
	}
	u, err := (&CommunicationListOptions{ExternalPropertyName: name, ExternalPropertyValue: value}).url()
	if err != nil {
		return nil, nil, err
	}
	return lookup(ctx, s.client, u, communicationFields, func(c Communication) bool {
		return HasExternalProperty(c.ExternalProperties, name, value)
	})
}

// CommunicationListOptions filters GET /communications.json. The external
// property filter needs both ExternalPropertyName and ExternalPropertyValue
// (an exact match). MatterID and ContactID limit the list to one matter or
// one contact's communications; ReceivedSince (sent as RFC 3339) to those
// received at or after it. Limit is the page size, 1 to 200 (0 or out of
// range means 200).
type CommunicationListOptions struct {
	ExternalPropertyName  string
	ExternalPropertyValue string
	MatterID              int64
	ContactID             int64
	ReceivedSince         time.Time
	Limit                 int
}

func (o *CommunicationListOptions) url() (string, error) {
	var opts CommunicationListOptions
	if o != nil {
		opts = *o
	}
	q := fieldsQuery(communicationFields)
	// Communications default to order=date(asc); the cursor needs id(asc).
	q.Set("order", orderByID)
	q.Set("limit", strconv.Itoa(limitOrDefault(opts.Limit)))
	if (opts.ExternalPropertyName == "") != (opts.ExternalPropertyValue == "") {
		return "", &invalidRequestError{msg: "external property name and value must be given together"}
	}
	if opts.ExternalPropertyName != "" {
		q.Set("external_property_name", opts.ExternalPropertyName)
		q.Set("external_property_value", opts.ExternalPropertyValue)
	}
	if err := setID(q, "matter_id", opts.MatterID); err != nil {
		return "", err
	}
	if err := setID(q, "contact_id", opts.ContactID); err != nil {
		return "", err
	}
	if !opts.ReceivedSince.IsZero() {
		q.Set("received_since", formatTimestamp(opts.ReceivedSince.UTC()))
	}
	return "communications.json?" + q.Encode(), nil
}

// setID sets an optional id filter: 0 leaves it out, a negative id is
// refused.
func setID(q url.Values, name string, id int64) error {
	if id < 0 {
		return &invalidRequestError{msg: fmt.Sprintf("%s %d is negative", name, id)}
	}
	if id > 0 {
		q.Set(name, strconv.FormatInt(id, 10))
	}
	return nil
}

// List returns the first page of communications matching opts, ordered by
// id; Response.NextPage links the next one.
// https://docs.developers.clio.com/api-reference/#tag/Communications/operation/Communication#index
func (s *CommunicationsService) List(ctx context.Context, opts *CommunicationListOptions) ([]Communication, *Response, error) {
	u, err := opts.url()
	if err != nil {
		return nil, nil, err
	}
	return listPage[Communication](ctx, s.client, u)
}

// ListAll pages through every communication matching opts in id order and
// hands each page to fn. It returns fn's first error unchanged.
// https://docs.developers.clio.com/api-docs/paging
func (s *CommunicationsService) ListAll(ctx context.Context, opts *CommunicationListOptions, fn func([]Communication) error) error {
	u, err := opts.url()
	if err != nil {
		return err
	}
	return listAll(ctx, s.client, u, communicationFields, fn)
}

// CommunicationUpdate is the body of PATCH /communications/{id}.json: the
// fields to change. Empty strings, a zero ReceivedAt and a nil Matter leave
// the stored value as it is; at least one field must be set.
type CommunicationUpdate struct {
	Subject    string
	Body       string
	ReceivedAt time.Time
	Matter     *IDRef
}

// communicationUpdateBody is what PATCH /communications/{id}.json is sent.
type communicationUpdateBody struct {
	Subject    string `json:"subject,omitempty"`
	Body       string `json:"body,omitempty"`
	ReceivedAt string `json:"received_at,omitempty"`
	Matter     *IDRef `json:"matter,omitempty"`
}

// newCommunicationUpdateBody checks u and converts it.
func newCommunicationUpdateBody(u *CommunicationUpdate) (*communicationUpdateBody, error) {
	switch {
	case u == nil:
		return nil, &invalidRequestError{msg: "communication update is nil"}
	case u.Subject == "" && u.Body == "" && u.ReceivedAt.IsZero() && u.Matter == nil:
		return nil, &invalidRequestError{msg: "communication update changes nothing"}
	case u.Matter != nil && u.Matter.ID <= 0:
		return nil, &invalidRequestError{msg: "communication matter id is not positive"}
	}
	b := &communicationUpdateBody{Subject: u.Subject, Body: u.Body, Matter: u.Matter}
	if !u.ReceivedAt.IsZero() {
		b.ReceivedAt = formatTimestamp(u.ReceivedAt)
	}
	return b, nil
}

// Update changes communication id (for CallDocket: its body, when a note is
// added to a call already logged) and returns it as stored.
// https://docs.developers.clio.com/api-reference/#tag/Communications/operation/Communication#update
func (s *CommunicationsService) Update(ctx context.Context, id int64, u *CommunicationUpdate) (*Communication, *Response, error) {
	if id <= 0 {
		return nil, nil, &invalidRequestError{msg: fmt.Sprintf("communication id %d is not positive", id)}
	}
	body, err := newCommunicationUpdateBody(u)
	if err != nil {
		return nil, nil, err
	}
	path := "communications/" + strconv.FormatInt(id, 10) + ".json?" + fieldsQuery(communicationFields).Encode()
	req, err := s.client.newRequest(ctx, http.MethodPatch, path, body)
	if err != nil {
		return nil, nil, err
	}
	c := new(Communication)
	resp, err := s.client.do(req, c)
	if err != nil {
		return nil, resp, err
	}
	return c, resp, nil
}
