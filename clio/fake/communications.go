package fake

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/calldocket/calldocket/clio"
)

// maxExternalProperties is Clio's per-communication cap.
const maxExternalProperties = 5

func (s *Server) renderCommunicationLocked(c clio.Communication, sel selection) (map[string]any, error) {
	extras := map[string]any{}
	if c.Matter != nil {
		extras["matter"] = s.matterRefLocked(c.Matter)
	}
	if !c.ReceivedAt.IsZero() {
		extras["date"] = c.ReceivedAt.Format("2006-01-02")
	}
	count := 0
	for _, a := range s.acts {
		if a.Communication != nil && a.Communication.ID == c.ID {
			count++
		}
	}
	extras["time_entries_count"] = count
	return render(c, extras, sel)
}

// listCommunications serves GET /communications.json.
func (s *Server) listCommunications(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, apiErr := s.listQuery(r, "Communication", maxLimit)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	matterID, hasMatter, apiErr := queryInt(q, "matter_id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	contactID, hasContact, apiErr := queryInt(q, "contact_id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	propName, hasName := q.Get("external_property_name"), q.Has("external_property_name")
	propValue, hasValue := q.Get("external_property_value"), q.Has("external_property_value")
	typ := q.Get("type")

	byProp := hasName || hasValue
	ignore := byProp && s.opts.IgnoreExternalFilter
	match := func(c clio.Communication) bool { return hasProperty(c, propName, hasName, propValue, hasValue) }
	skip := func(c clio.Communication) bool {
		return hasMatter && (c.Matter == nil || c.Matter.ID != matterID) ||
			hasContact && !hasContactParticipant(c, contactID) ||
			typ != "" && c.Type != typ ||
			byProp && !ignore && !match(c)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := s.comms
	if ignore {
		items = unrelatedFirst(&lq, items, match)
	}
	writeList(w, r, lq, items, skip, func(c clio.Communication) int64 { return c.ID }, s.renderCommunicationLocked)
}

func hasContactParticipant(c clio.Communication, id int64) bool {
	for _, list := range [][]clio.Participant{c.Senders, c.Receivers} {
		for _, p := range list {
			if p.ID == id && p.Type != clio.ParticipantUser {
				return true
			}
		}
	}
	return false
}

// hasProperty matches external properties exactly (name and value).
func hasProperty(c clio.Communication, name string, hasName bool, value string, hasValue bool) bool {
	for _, p := range c.ExternalProperties {
		if (!hasName || p.Name == name) && (!hasValue || p.Value == value) {
			return true
		}
	}
	return false
}

// getCommunication serves GET /communications/{id}.json.
func (s *Server) getCommunication(w http.ResponseWriter, r *http.Request) {
	serveGet(s, w, r, "Communication", func(id int64) (clio.Communication, bool) {
		return findByID(s.comms, id, func(c clio.Communication) int64 { return c.ID })
	}, s.renderCommunicationLocked)
}

type participantIn struct {
	ID      *int64 `json:"id"`
	Type    string `json:"type"`
	Deleted bool   `json:"_deleted"`
}

// communicationCreate is the POST /communications.json body.
type communicationCreate struct {
	Type       string `json:"type"`
	Subject    string `json:"subject"`
	Body       string `json:"body"`
	ReceivedAt string `json:"received_at"`
	Matter     *struct {
		ID *int64 `json:"id"`
	} `json:"matter"`
	Senders            []participantIn `json:"senders"`
	Receivers          []participantIn `json:"receivers"`
	ExternalProperties []struct {
		Name  *string `json:"name"`
		Value *string `json:"value"`
	} `json:"external_properties"`
	NotificationEventSubscribers []struct {
		UserID string `json:"user_id"`
	} `json:"notification_event_subscribers"`
}

// createCommunication serves POST /communications.json.
func (s *Server) createCommunication(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "Communication")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	var in communicationCreate
	if apiErr := s.readBody(r, bodyCommunications, &in); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	received, err := parseDateTime(in.ReceivedAt)
	if err != nil {
		writeError(w, errInvalid("data.received_at must be an ISO-8601 date-time"))
		return
	}
	if len(in.ExternalProperties) > maxExternalProperties {
		writeError(w, errInvalid(fmt.Sprintf("data.external_properties: there is a limit of %d external_properties per Communication", maxExternalProperties)))
		return
	}
	c := clio.Communication{Type: in.Type, Subject: in.Subject, Body: in.Body, ReceivedAt: received}
	for i, p := range in.ExternalProperties {
		if p.Name == nil || strings.TrimSpace(*p.Name) == "" || p.Value == nil {
			writeError(w, errInvalid(fmt.Sprintf("data.external_properties[%d] needs a name and a value", i)))
			return
		}
		c.ExternalProperties = append(c.ExternalProperties, clio.ExternalProperty{Name: *p.Name, Value: *p.Value})
	}

	s.mu.Lock()
	defer s.mu.Unlock()
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
	for _, sub := range in.NotificationEventSubscribers {
		if !s.userExistsLocked(sub.UserID) {
			writeError(w, errInvalid(fmt.Sprintf("data.notification_event_subscribers user_id %q does not exist", sub.UserID)))
			return
		}
	}
	if c.Senders, apiErr = s.participantsLocked("senders", in.Senders); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	if c.Receivers, apiErr = s.participantsLocked("receivers", in.Receivers); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	saved := s.ids
	for i := range c.ExternalProperties {
		s.ids.Property++
		c.ExternalProperties[i].ID = s.ids.Property
	}
	s.ids.Communication++
	c.ID = s.ids.Communication
	s.comms = append(s.comms, c)
	if err := s.persistLocked(); err != nil {
		s.comms = s.comms[:len(s.comms)-1]
		s.ids = saved
		writeError(w, internalError(err))
		return
	}
	rec, err := s.renderCommunicationLocked(c, sel)
	s.writeRecord(w, http.StatusCreated, rec, err)
}

func (s *Server) userExistsLocked(id string) bool {
	for _, u := range s.users {
		if fmt.Sprint(u.ID) == id {
			return true
		}
	}
	return false
}

// participantsLocked resolves create-shape participants ({id, type: User|
// Contact}) to the read shape (type User, Person or Company, with name).
func (s *Server) participantsLocked(field string, in []participantIn) ([]clio.Participant, *apiError) {
	var out []clio.Participant
	for i, p := range in {
		where := fmt.Sprintf("data.%s[%d]", field, i)
		if p.Deleted {
			continue
		}
		if p.ID == nil || p.Type == "" {
			return nil, errInvalid(where + " needs an id and a type")
		}
		switch p.Type {
		case clio.ParticipantUser:
			found := false
			for _, u := range s.users {
				if u.ID == *p.ID {
					out = append(out, clio.Participant{ID: u.ID, Type: clio.ParticipantUser, Name: u.Name})
					found = true
				}
			}
			if !found {
				return nil, errInvalid(fmt.Sprintf("%s: User %d does not exist", where, *p.ID))
			}
		default:
			ci, ok := s.contactIdx[*p.ID]
			if !ok {
				return nil, errInvalid(fmt.Sprintf("%s: Contact %d does not exist", where, *p.ID))
			}
			c := s.contacts[ci]
			out = append(out, clio.Participant{ID: c.ID, Type: c.Type, Name: c.Name})
		}
	}
	return out, nil
}
