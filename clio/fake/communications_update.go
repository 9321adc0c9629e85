package fake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// communicationUpdate is the PATCH /communications/{id}.json body the fake
// models. The other keys of the update schema are decoded only to be
// refused as not modelled.
type communicationUpdate struct {
	Type       *string `json:"type"`
	Subject    *string `json:"subject"`
	Body       *string `json:"body"`
	ReceivedAt *string `json:"received_at"`
	Matter     *struct {
		ID *int64 `json:"id"`
	} `json:"matter"`
	Date          any `json:"date"`
	Senders       any `json:"senders"`
	Receivers     any `json:"receivers"`
	ExternalProps any `json:"external_properties"`
	Subscribers   any `json:"notification_event_subscribers"`
}

// updateCommunication serves PATCH /communications/{id}.json: it changes
// the subject, body, received_at, type or matter of a communication and
// answers 200 with the record. Blank subjects and bodies are refused as
// Clio refuses them on create.
func (s *Server) updateCommunication(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "Communication")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	id, apiErr := pathID(r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	var in communicationUpdate
	if apiErr := s.readBody(r, bodyCommunicationUpdate, &in); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	if in.Date != nil || in.Senders != nil || in.Receivers != nil || in.ExternalProps != nil || in.Subscribers != nil {
		writeError(w, errInvalid("only type, subject, body, received_at and matter updates are supported by the fake"))
		return
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"subject", in.Subject}, {"body", in.Body}} {
		if f.v != nil && strings.TrimSpace(*f.v) == "" {
			writeError(w, errInvalid(fmt.Sprintf("data.%s can't be blank", f.name)))
			return
		}
	}
	var received time.Time
	if in.ReceivedAt != nil {
		t, err := parseDateTime(*in.ReceivedAt)
		if err != nil {
			writeError(w, errInvalid("data.received_at must be an ISO-8601 date-time"))
			return
		}
		received = t
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.comms, func(c clio.Communication) bool { return c.ID == id })
	if i < 0 {
		writeError(w, errNotFound(fmt.Sprintf("Communication %d not found", id)))
		return
	}
	c := s.comms[i]
	if in.Matter != nil {
		if in.Matter.ID == nil {
			writeError(w, errInvalid("data.matter.id is required"))
			return
		}
		if _, ok := s.matterIdx[*in.Matter.ID]; !ok {
			writeError(w, errInvalid(fmt.Sprintf("data.matter.id %d does not exist", *in.Matter.ID)))
			return
		}
		c.Matter = &clio.Ref{ID: *in.Matter.ID}
	}
	if in.Type != nil {
		c.Type = *in.Type
	}
	if in.Subject != nil {
		c.Subject = *in.Subject
	}
	if in.Body != nil {
		c.Body = *in.Body
	}
	if !received.IsZero() {
		c.ReceivedAt = received
	}
	before := s.comms[i]
	s.comms[i] = c
	if err := s.persistLocked(); err != nil {
		s.comms[i] = before
		writeError(w, internalError(err))
		return
	}
	rec, err := s.renderCommunicationLocked(c, sel)
	s.writeRecord(w, http.StatusOK, rec, err)
}
