package fake

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/calldocket/calldocket/clio"
)

// setRelationships checks a firm's relationships against its contacts and
// matters and keeps a sorted copy.
func (s *Server) setRelationships(rels []Relationship) error {
	s.rels = slices.Clone(rels)
	slices.SortFunc(s.rels, func(a, b Relationship) int { return cmpID(a.ID, b.ID) })
	seen := map[int64]bool{}
	for _, r := range s.rels {
		if seen[r.ID] {
			return fmt.Errorf("firm relationship id %d: duplicate", r.ID)
		}
		seen[r.ID] = true
		if _, ok := s.contactIdx[r.ContactID]; !ok {
			return fmt.Errorf("firm relationship %d: contact %d does not exist", r.ID, r.ContactID)
		}
		if _, ok := s.matterIdx[r.MatterID]; !ok {
			return fmt.Errorf("firm relationship %d: matter %d does not exist", r.ID, r.MatterID)
		}
	}
	return nil
}

// contactRefLocked renders a nested contact the way Clio nests
// Contact_base. s.mu must be held.
func (s *Server) contactRefLocked(id int64) map[string]any {
	out := map[string]any{"id": id}
	if i, ok := s.contactIdx[id]; ok {
		c := s.contacts[i]
		out["name"] = c.Name
		out["type"] = c.Type
	}
	return out
}

func (s *Server) renderRelationshipLocked(rel Relationship, sel selection) (map[string]any, error) {
	return render(map[string]any{
		"id":          rel.ID,
		"description": rel.Description,
		"matter":      s.matterRefLocked(&clio.Ref{ID: rel.MatterID}),
		"contact":     s.contactRefLocked(rel.ContactID),
	}, nil, sel)
}

// listRelationships serves GET /relationships.json (filters contact_id and
// matter_id).
func (s *Server) listRelationships(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, apiErr := s.listQuery(r, "Relationship", maxLimit)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	contactID, hasContact, apiErr := queryInt(q, "contact_id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	matterID, hasMatter, apiErr := queryInt(q, "matter_id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	skip := func(rel Relationship) bool {
		return hasContact && rel.ContactID != contactID || hasMatter && rel.MatterID != matterID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeList(w, r, lq, s.rels, skip, func(rel Relationship) int64 { return rel.ID }, s.renderRelationshipLocked)
}

// listPhoneNumbers serves GET /contacts/{id}/phone_numbers.json.
func (s *Server) listPhoneNumbers(w http.ResponseWriter, r *http.Request) {
	lq, apiErr := s.listQuery(r, "PhoneNumber", maxLimit)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	r.SetPathValue("file", r.PathValue("id"))
	id, apiErr := pathID(r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.contactIdx[id]
	if !ok {
		writeError(w, errNotFound(fmt.Sprintf("Contact %d not found", id)))
		return
	}
	phones := slices.Clone(s.contacts[i].PhoneNumbers)
	slices.SortFunc(phones, func(a, b clio.PhoneNumber) int { return cmpID(a.ID, b.ID) })
	writeList(w, r, lq, phones, nil, func(p clio.PhoneNumber) int64 { return p.ID },
		func(p clio.PhoneNumber, sel selection) (map[string]any, error) {
			return render(map[string]any{"id": p.ID, "number": p.Number, "name": p.Name, "primary": p.Primary}, nil, sel)
		})
}
