package fake

import (
	"fmt"
	"net/http"
	"slices"
)

// listQuery is what every list endpoint parses first, in this order: the
// field selection, then the paging parameters.
type listQuery struct {
	sel  selection
	page listParams
}

// listQuery parses the shared list parameters for resource; max caps limit.
func (s *Server) listQuery(r *http.Request, resource string, max int) (listQuery, *apiError) {
	sel, apiErr := s.fieldsFor(r, resource)
	if apiErr != nil {
		return listQuery{}, apiErr
	}
	p, apiErr := parseListParams(r.URL.Query(), max)
	return listQuery{sel: sel, page: p}, apiErr
}

// writeList drops the items skip reports (skip may be nil), then writes the
// requested page of the rest: {"data":[…],"meta":{"paging":{…}}}, or a 500
// when rendering fails. The caller holds s.mu when items or render need it.
func writeList[T any](w http.ResponseWriter, r *http.Request, q listQuery, items []T, skip func(T) bool,
	id func(T) int64, render func(T, selection) (map[string]any, error)) {
	if skip != nil {
		items = slices.DeleteFunc(slices.Clone(items), skip)
	}
	page, next := paginate(r, items, id, q.page)
	data := make([]map[string]any, 0, len(page))
	for _, it := range page {
		rec, err := render(it, q.sel)
		if err != nil {
			writeError(w, internalError(err))
			return
		}
		data = append(data, rec)
	}
	listResponse(w, data, next)
}

// serveGet serves GET /{resources}/{id}.json: find looks the record up with
// s.mu held, and a miss is Clio's 404 "<Resource> <id> not found".
func serveGet[T any](s *Server, w http.ResponseWriter, r *http.Request, resource string,
	find func(id int64) (T, bool), render func(T, selection) (map[string]any, error)) {
	sel, apiErr := s.fieldsFor(r, resource)
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
	it, ok := find(id)
	if !ok {
		writeError(w, errNotFound(fmt.Sprintf("%s %d not found", resource, id)))
		return
	}
	rec, err := render(it, sel)
	s.writeRecord(w, http.StatusOK, rec, err)
}

// findByID returns the first of items with the given id.
func findByID[T any](items []T, id int64, idOf func(T) int64) (T, bool) {
	i := slices.IndexFunc(items, func(it T) bool { return idOf(it) == id })
	if i < 0 {
		var zero T
		return zero, false
	}
	return items[i], true
}
