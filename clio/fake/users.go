package fake

import (
	"fmt"
	"net/http"

	"github.com/calldocket/calldocket/clio"
)

func (s *Server) renderUser(u clio.User, sel selection) (map[string]any, error) {
	return render(u, map[string]any{"enabled": u.Enabled}, sel)
}

// whoAmI serves GET /users/who_am_i.json: the token's user, Users[0].
func (s *Server) whoAmI(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "User")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	s.mu.Lock()
	rec, err := s.renderUser(s.users[0], sel)
	s.mu.Unlock()
	s.writeRecord(w, http.StatusOK, rec, err)
}

// listUsers serves GET /users.json.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "User")
	if apiErr == nil {
		var p listParams
		p, apiErr = parseListParams(r.URL.Query(), maxUserLimit)
		if apiErr == nil {
			s.mu.Lock()
			page, next := paginate(r, s.users, func(u clio.User) int64 { return u.ID }, p)
			data, err := renderAll(page, func(u clio.User) (map[string]any, error) { return s.renderUser(u, sel) })
			s.mu.Unlock()
			if err != nil {
				writeError(w, internalError(err))
				return
			}
			listResponse(w, data, next)
			return
		}
	}
	writeError(w, apiErr)
}

// getUser serves GET /users/{id}.json.
func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "User")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	id, apiErr := pathID(r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.ID == id {
			rec, err := s.renderUser(u, sel)
			s.writeRecord(w, http.StatusOK, rec, err)
			return
		}
	}
	writeError(w, errNotFound(fmt.Sprintf("User %d not found", id)))
}

func internalError(err error) *apiError {
	return &apiError{Status: http.StatusInternalServerError, Type: "InternalServerError", Message: err.Error()}
}

// writeRecord writes {"data":{…}} or a 500 when rendering failed.
func (s *Server) writeRecord(w http.ResponseWriter, status int, rec map[string]any, err error) {
	if err != nil {
		writeError(w, internalError(err))
		return
	}
	writeJSON(w, status, map[string]any{"data": rec})
}

func renderAll[T any](items []T, fn func(T) (map[string]any, error)) ([]map[string]any, error) {
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		m, err := fn(it)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
