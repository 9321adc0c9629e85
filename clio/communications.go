package clio

import (
	"context"
	"fmt"
	"strconv"
)

// CommunicationsService logs and finds phone communications.
// https://docs.developers.clio.com/api-reference/#tag/Communications
type CommunicationsService service

// communicationFields is the fields list for communications.
const communicationFields = "id,type,subject,body,received_at,matter{id},senders,receivers,external_properties"

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
	case len(c.ExternalProperties) > maxExternalProperties:
		return nil, &invalidRequestError{msg: fmt.Sprintf("communication has %d external properties, at most %d allowed",
			len(c.ExternalProperties), maxExternalProperties)}
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
	for _, p := range c.ExternalProperties {
		if p.Name == "" {
			return nil, &invalidRequestError{msg: "communication external property name is empty"}
		}
		b.ExternalProperties = append(b.ExternalProperties, externalPropertyBody{Name: p.Name, Value: p.Value})
	}
	return b, nil
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
// external property name=value (an exact match), at most one page of 200.
// https://docs.developers.clio.com/api-reference/#tag/Communications/operation/Communication#index
func (s *CommunicationsService) ListByExternalProperty(ctx context.Context, name, value string) ([]Communication, *Response, error) {
	if name == "" || value == "" {
		return nil, nil, &invalidRequestError{msg: "external property name and value must not be empty"}
	}
	q := fieldsQuery(communicationFields)
	q.Set("external_property_name", name)
	q.Set("external_property_value", value)
	q.Set("order", orderByID)
	q.Set("limit", strconv.Itoa(maxLimit))
	return listPage[Communication](ctx, s.client, "communications.json?"+q.Encode())
}
