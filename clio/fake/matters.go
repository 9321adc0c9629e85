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
	sel, apiErr := s.fieldsFor(r, "Matter")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	p, apiErr := parseListParams(q, maxLimit)
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

	s.mu.Lock()
	defer s.mu.Unlock()
	var matched []clio.Matter
	for _, m := range s.matters {
		if hasSince && m.UpdatedAt.Before(since) ||
			hasClient && (m.Client == nil || m.Client.ID != clientID) ||
			hasResp && (m.ResponsibleAttorney == nil || m.ResponsibleAttorney.ID != respID) ||
			statuses != nil && !statuses[m.Status] {
			continue
		}
		matched = append(matched, m)
	}
	page, next := paginate(r, matched, func(m clio.Matter) int64 { return m.ID }, p)
	data, err := renderAll(page, func(m clio.Matter) (map[string]any, error) { return s.renderMatter(m, sel) })
	if err != nil {
		writeError(w, internalError(err))
		return
	}
	listResponse(w, data, next)
}

// getMatter serves GET /matters/{id}.json.
func (s *Server) getMatter(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "Matter")
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
	i, ok := s.matterIdx[id]
	if !ok {
		writeError(w, errNotFound(fmt.Sprintf("Matter %d not found", id)))
		return
	}
	rec, err := s.renderMatter(s.matters[i], sel)
	s.writeRecord(w, http.StatusOK, rec, err)
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
