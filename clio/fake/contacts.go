package fake

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// maxPhoneNumbers is Clio's per-contact cap (4.0.13).
const maxPhoneNumbers = 20

func (s *Server) renderContact(c clio.Contact, sel selection) (map[string]any, error) {
	phones := make([]any, len(c.PhoneNumbers))
	primary := ""
	for i, p := range c.PhoneNumbers {
		phones[i] = map[string]any{"id": p.ID, "number": p.Number, "name": p.Name, "primary": p.Primary}
		if p.Primary {
			primary = p.Number
		}
	}
	extras := map[string]any{"is_client": c.IsClient, "phone_numbers": phones}
	if primary != "" {
		extras["primary_phone_number"] = primary
	}
	return render(c, extras, sel)
}

// contactMatches reports whether query occurs in the contact's name,
// company name or any phone number as typed (case-insensitive substring,
// no normalisation of phone formats, like Clio's search).
func contactMatches(c clio.Contact, query string) bool {
	q := strings.ToLower(query)
	if strings.Contains(strings.ToLower(c.Name), q) ||
		strings.Contains(strings.ToLower(c.FirstName+" "+c.LastName), q) {
		return true
	}
	if c.Company != nil && strings.Contains(strings.ToLower(c.Company.Name), q) {
		return true
	}
	for _, p := range c.PhoneNumbers {
		if strings.Contains(strings.ToLower(p.Number), q) {
			return true
		}
	}
	return false
}

// listContacts serves GET /contacts.json.
func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, apiErr := s.listQuery(r, "Contact", maxLimit)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	since, hasSince, apiErr := queryTime(q, "updated_since")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	typ := q.Get("type")
	if typ != "" && typ != clio.ContactPerson && typ != clio.ContactCompany {
		writeError(w, errBadRequest("type must be Person or Company"))
		return
	}
	query := q.Get("query")
	clientOnly := q.Get("client_only") == "true"

	skip := func(c clio.Contact) bool {
		return hasSince && c.UpdatedAt.Before(since) ||
			typ != "" && c.Type != typ ||
			clientOnly && !c.IsClient ||
			query != "" && !contactMatches(c, query)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeList(w, r, lq, s.contacts, skip, func(c clio.Contact) int64 { return c.ID }, s.renderContact)
}

// getContact serves GET /contacts/{id}.json.
func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	serveGet(s, w, r, "Contact", func(id int64) (clio.Contact, bool) {
		i, ok := s.contactIdx[id]
		if !ok {
			return clio.Contact{}, false
		}
		return s.contacts[i], true
	}, s.renderContact)
}

// contactCreate is the part of the POST /contacts.json body the fake keeps.
type contactCreate struct {
	Type      string `json:"type"`
	Name      string `json:"name"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   *struct {
		ID int64 `json:"id"`
	} `json:"company"`
	PhoneNumbers []struct {
		Name          string `json:"name"`
		Number        string `json:"number"`
		DefaultNumber bool   `json:"default_number"`
	} `json:"phone_numbers"`
}

// createContact serves POST /contacts.json.
func (s *Server) createContact(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "Contact")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	var in contactCreate
	if apiErr := s.readBody(r, bodyContacts, &in); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	c := clio.Contact{Type: in.Type, FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName)}
	name := strings.TrimSpace(in.Name)
	switch in.Type {
	case clio.ContactCompany:
		if name == "" {
			writeError(w, errInvalid("data.name can't be blank for a Company"))
			return
		}
		c.Name = name
	default:
		if c.FirstName == "" && c.LastName == "" {
			first, last, ok := strings.Cut(name, " ")
			if !ok {
				writeError(w, errInvalid("a Person needs data.first_name or data.last_name (data.name could not be split)"))
				return
			}
			c.FirstName, c.LastName = strings.TrimSpace(first), strings.TrimSpace(last)
		}
		c.Name = strings.TrimSpace(c.FirstName + " " + c.LastName)
	}
	if len(in.PhoneNumbers) > maxPhoneNumbers {
		writeError(w, errInvalid(fmt.Sprintf("data.phone_numbers: a contact can have at most %d phone numbers", maxPhoneNumbers)))
		return
	}
	primary := -1
	for i, p := range in.PhoneNumbers {
		if strings.TrimSpace(p.Number) == "" {
			writeError(w, errInvalid(fmt.Sprintf("data.phone_numbers[%d].number can't be blank", i)))
			return
		}
		if p.DefaultNumber && primary < 0 {
			primary = i
		}
	}
	if primary < 0 && len(in.PhoneNumbers) > 0 {
		primary = 0
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if in.Company != nil {
		i, ok := s.contactIdx[in.Company.ID]
		if !ok || s.contacts[i].Type != clio.ContactCompany {
			writeError(w, errInvalid(fmt.Sprintf("data.company.id %d is not a Company", in.Company.ID)))
			return
		}
		c.Company = &clio.Ref{ID: in.Company.ID, Name: s.contacts[i].Name}
	}
	now := s.now().UTC().Truncate(time.Second)
	c.CreatedAt, c.UpdatedAt = now, now
	saved := s.ids
	for i, p := range in.PhoneNumbers {
		kind := p.Name
		if kind == "" {
			kind = "Other"
		}
		s.ids.PhoneNumber++
		c.PhoneNumbers = append(c.PhoneNumbers, clio.PhoneNumber{
			ID: s.ids.PhoneNumber, Number: p.Number, Name: kind, Primary: i == primary,
		})
	}
	s.ids.Contact++
	c.ID = s.ids.Contact
	s.contacts = append(s.contacts, c) // ids only grow, so the slice stays sorted
	s.contactIdx[c.ID] = len(s.contacts) - 1
	s.created = append(s.created, c.ID)
	if err := s.persistLocked(); err != nil {
		s.contacts = s.contacts[:len(s.contacts)-1]
		delete(s.contactIdx, c.ID)
		s.created = s.created[:len(s.created)-1]
		s.ids = saved
		writeError(w, internalError(err))
		return
	}
	rec, err := s.renderContact(c, sel)
	s.writeRecord(w, http.StatusCreated, rec, err)
}

// persistLocked saves the state file when one is configured.
func (s *Server) persistLocked() error {
	if s.opts.StatePath == "" {
		return nil
	}
	if err := s.saveStateLocked(); err != nil {
		s.log.Error("fake clio state not saved", "err", err)
		return err
	}
	return nil
}
