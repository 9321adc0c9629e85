package fake

import (
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
	lq, apiErr := s.listQuery(r, "User", maxUserLimit)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeList(w, r, lq, s.users, nil, func(u clio.User) int64 { return u.ID }, s.renderUser)
}

// getUser serves GET /users/{id}.json.
func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	serveGet(s, w, r, "User", func(id int64) (clio.User, bool) {
		return findByID(s.users, id, func(u clio.User) int64 { return u.ID })
	}, s.renderUser)
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
