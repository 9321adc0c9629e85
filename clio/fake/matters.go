package fake

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/calldocket/calldocket/clio"
)

func (s *Server) renderMatter(m clio.Matter, sel selection) (map[string]any, error) {
	extras := map[string]any{}
	if m.Client != nil {
		extras["client_id"] = m.Client.ID
	}
	return render(m, extras, sel)
}

// matterStatuses maps the lowercase status filter values to Clio's
// capitalized response values.
var matterStatuses = map[string]string{
	"open":    clio.MatterOpen,
	"pending": clio.MatterPending,
	"closed":  clio.MatterClosed,
}

// listMatters serves GET /matters.json.
func (s *Server) listMatters(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, apiErr := s.listQuery(r, "Matter", maxLimit)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	since, hasSince, apiErr := queryTime(q, "updated_since")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	clientID, hasClient, apiErr := queryInt(q, "client_id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	respID, hasResp, apiErr := queryInt(q, "responsible_attorney_id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	var statuses map[string]bool
	if v := q.Get("status"); v != "" {
		statuses = map[string]bool{}
		for _, part := range strings.Split(v, ",") {
			st, ok := matterStatuses[part]
			if !ok {
				writeError(w, errBadRequest(fmt.Sprintf("status %q must be one of open, pending, closed", part)))
				return
			}
			statuses[st] = true
		}
	}

	skip := func(m clio.Matter) bool {
		return hasSince && m.UpdatedAt.Before(since) ||
			hasClient && (m.Client == nil || m.Client.ID != clientID) ||
			hasResp && (m.ResponsibleAttorney == nil || m.ResponsibleAttorney.ID != respID) ||
			statuses != nil && !statuses[m.Status]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeList(w, r, lq, s.matters, skip, func(m clio.Matter) int64 { return m.ID }, s.renderMatter)
}

// getMatter serves GET /matters/{id}.json.
func (s *Server) getMatter(w http.ResponseWriter, r *http.Request) {
	serveGet(s, w, r, "Matter", func(id int64) (clio.Matter, bool) {
		i, ok := s.matterIdx[id]
		if !ok {
			return clio.Matter{}, false
		}
		return s.matters[i], true
	}, s.renderMatter)
}

// matterRef renders a nested matter the way Clio nests Matter_base. s.mu
// must be held.
func (s *Server) matterRefLocked(ref *clio.Ref) any {
	if ref == nil {
		return nil
	}
	out := map[string]any{"id": ref.ID}
	if i, ok := s.matterIdx[ref.ID]; ok {
		m := s.matters[i]
		out["display_number"] = m.DisplayNumber
		out["description"] = m.Description
		out["status"] = m.Status
	}
	return out
}
