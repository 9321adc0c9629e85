package fake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// Folder is a document folder: a contact's or matter's root folder, or one
// created through POST /folders.json.
type Folder struct {
	ID                 int64                   `json:"id"`
	Name               string                  `json:"name"`
	ParentID           int64                   `json:"parent_id,omitempty"` // 0 for a root folder
	Root               bool                    `json:"root,omitempty"`
	MatterID           int64                   `json:"matter_id,omitempty"`  // the matter whose tree holds it
	ContactID          int64                   `json:"contact_id,omitempty"` // the contact whose tree holds it
	ExternalProperties []clio.ExternalProperty `json:"external_properties,omitempty"`
	CreatedAt          time.Time               `json:"created_at,omitzero"`
	UpdatedAt          time.Time               `json:"updated_at,omitzero"`
}

// Root folders are not stored: every contact and matter has one, with an
// id derived from the owner's, so ids survive restarts.
const rootFolderBase = 4_000_000_000

func contactRootID(contactID int64) int64 { return rootFolderBase + 2*contactID }
func matterRootID(matterID int64) int64   { return rootFolderBase + 2*matterID + 1 }

// contactRootLocked is a contact's root folder. s.mu must be held.
func (s *Server) contactRootLocked(c clio.Contact) Folder {
	return Folder{ID: contactRootID(c.ID), Name: c.Name, Root: true, ContactID: c.ID, CreatedAt: c.CreatedAt, UpdatedAt: c.CreatedAt}
}

// matterRootLocked is a matter's root folder. s.mu must be held.
func (s *Server) matterRootLocked(m clio.Matter) Folder {
	f := Folder{ID: matterRootID(m.ID), Name: m.DisplayNumber, Root: true, MatterID: m.ID}
	if t, err := time.Parse(time.DateOnly, m.OpenDate); err == nil {
		f.CreatedAt, f.UpdatedAt = t, t
	}
	return f
}

// folderLocked finds a folder by id. s.mu must be held.
func (s *Server) folderLocked(id int64) (Folder, bool) {
	if id >= rootFolderBase {
		owner := (id - rootFolderBase) / 2
		if (id-rootFolderBase)%2 == 1 {
			if i, ok := s.matterIdx[owner]; ok {
				return s.matterRootLocked(s.matters[i]), true
			}
			return Folder{}, false
		}
		if i, ok := s.contactIdx[owner]; ok {
			return s.contactRootLocked(s.contacts[i]), true
		}
		return Folder{}, false
	}
	i, ok := slices.BinarySearchFunc(s.folders, id, func(f Folder, id int64) int { return cmpID(f.ID, id) })
	if !ok {
		return Folder{}, false
	}
	return s.folders[i], true
}

// allFoldersLocked returns every folder, roots included, sorted by id.
// s.mu must be held.
func (s *Server) allFoldersLocked() []Folder {
	out := make([]Folder, 0, len(s.folders)+len(s.contacts)+len(s.matters))
	out = append(out, s.folders...)
	for _, c := range s.contacts {
		out = append(out, s.contactRootLocked(c))
	}
	for _, m := range s.matters {
		out = append(out, s.matterRootLocked(m))
	}
	slices.SortFunc(out, func(a, b Folder) int { return cmpID(a.ID, b.ID) })
	return out
}

// Folders returns every folder (root folders of contacts and matters, and
// folders created through the API), sorted by id.
func (s *Server) Folders() []Folder {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.allFoldersLocked()
	for i := range out {
		out[i].ExternalProperties = slices.Clone(out[i].ExternalProperties)
	}
	return out
}

// resolveParentLocked maps a create body's parent {id, type} (Folder,
// Contact or Matter) to the folder it names. s.mu must be held.
func (s *Server) resolveParentLocked(id int64, typ string) (Folder, *apiError) {
	switch typ {
	case "Folder":
		if f, ok := s.folderLocked(id); ok {
			return f, nil
		}
	case "Contact":
		if i, ok := s.contactIdx[id]; ok {
			return s.contactRootLocked(s.contacts[i]), nil
		}
	case "Matter":
		if i, ok := s.matterIdx[id]; ok {
			return s.matterRootLocked(s.matters[i]), nil
		}
	}
	return Folder{}, errInvalid(fmt.Sprintf("data.parent: %s %d does not exist", typ, id))
}

// linkedFolderLocked renders a folder nested as LinkedFolder_base.
func linkedFolder(f Folder) map[string]any {
	return map[string]any{"id": f.ID, "type": "Folder", "name": f.Name, "root": f.Root}
}

// ownerRefsLocked adds the nested matter and contact a folder tree belongs
// to. s.mu must be held.
func (s *Server) ownerRefsLocked(rec map[string]any, matterID, contactID int64) {
	if matterID != 0 {
		rec["matter"] = s.matterRefLocked(&clio.Ref{ID: matterID})
	}
	if contactID != 0 {
		rec["contact"] = s.contactRefLocked(contactID)
	}
}

func renderProperties(props []clio.ExternalProperty) []any {
	out := make([]any, len(props))
	for i, p := range props {
		out[i] = map[string]any{"id": p.ID, "name": p.Name, "value": p.Value}
	}
	return out
}

func (s *Server) renderFolderLocked(f Folder, sel selection) (map[string]any, error) {
	rec := map[string]any{
		"id": f.ID, "type": "Folder", "name": f.Name, "root": f.Root, "locked": false,
		"external_properties": renderProperties(f.ExternalProperties),
	}
	if !f.CreatedAt.IsZero() {
		rec["created_at"] = f.CreatedAt
		rec["updated_at"] = f.UpdatedAt
	}
	if p, ok := s.folderLocked(f.ParentID); ok && f.ParentID != 0 {
		rec["parent"] = linkedFolder(p)
	}
	s.ownerRefsLocked(rec, f.MatterID, f.ContactID)
	return render(rec, nil, sel)
}

// isDescendantLocked reports whether folder id lies under ancestor.
// s.mu must be held.
func (s *Server) isDescendantLocked(id, ancestor int64) bool {
	for depth := 0; depth < 1000 && id != 0; depth++ {
		f, ok := s.folderLocked(id)
		if !ok {
			return false
		}
		if f.ParentID == ancestor {
			return true
		}
		id = f.ParentID
	}
	return false
}

// propertyFilter is the external_property_name/value filter of a list.
type propertyFilter struct {
	name, value       string
	hasName, hasValue bool
}

func newPropertyFilter(r *http.Request) propertyFilter {
	q := r.URL.Query()
	return propertyFilter{
		name: q.Get("external_property_name"), hasName: q.Has("external_property_name"),
		value: q.Get("external_property_value"), hasValue: q.Has("external_property_value"),
	}
}

// set reports whether the request filters by external property at all.
func (pf propertyFilter) set() bool { return pf.hasName || pf.hasValue }

// match reports whether props pass the filter (exact name and value).
func (pf propertyFilter) match(props []clio.ExternalProperty) bool {
	if !pf.hasName && !pf.hasValue {
		return true
	}
	for _, p := range props {
		if (!pf.hasName || p.Name == pf.name) && (!pf.hasValue || p.Value == pf.value) {
			return true
		}
	}
	return false
}

// treeFilter holds the matter_id, contact_id, parent_id and scope filters
// shared by folders and documents.
type treeFilter struct {
	matterID, contactID, parentID          int64
	hasMatter, hasContact, hasParent, deep bool
}

func parseTreeFilter(r *http.Request) (treeFilter, *apiError) {
	q := r.URL.Query()
	var tf treeFilter
	var apiErr *apiError
	if tf.matterID, tf.hasMatter, apiErr = queryInt(q, "matter_id"); apiErr != nil {
		return tf, apiErr
	}
	if tf.contactID, tf.hasContact, apiErr = queryInt(q, "contact_id"); apiErr != nil {
		return tf, apiErr
	}
	if tf.parentID, tf.hasParent, apiErr = queryInt(q, "parent_id"); apiErr != nil {
		return tf, apiErr
	}
	switch q.Get("scope") {
	case "", "children":
	case "descendants":
		tf.deep = true
	default:
		return tf, errBadRequest("scope must be children or descendants")
	}
	return tf, nil
}

// match reports whether an item in folder parent, in the tree of matter
// and contact, passes the filter. s.mu must be held.
func (s *Server) treeMatchLocked(tf treeFilter, parent, matterID, contactID int64) bool {
	if tf.hasMatter && matterID != tf.matterID || tf.hasContact && contactID != tf.contactID {
		return false
	}
	if tf.hasParent && parent != tf.parentID && !(tf.deep && s.isDescendantLocked(parent, tf.parentID)) {
		return false
	}
	return true
}

// listFolders serves GET /folders.json.
func (s *Server) listFolders(w http.ResponseWriter, r *http.Request) {
	lq, apiErr := s.listQuery(r, "Folder", maxLimit)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	tf, apiErr := parseTreeFilter(r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	pf := newPropertyFilter(r)
	query := strings.ToLower(r.URL.Query().Get("query"))
	ignore := pf.set() && s.opts.IgnoreExternalFilter
	skip := func(f Folder) bool {
		return !s.treeMatchLocked(tf, f.ParentID, f.MatterID, f.ContactID) || !ignore && !pf.match(f.ExternalProperties) ||
			query != "" && !strings.Contains(strings.ToLower(f.Name), query)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := s.allFoldersLocked()
	if ignore {
		items = unrelatedFirst(&lq, items, func(f Folder) bool { return pf.match(f.ExternalProperties) })
	}
	writeList(w, r, lq, items, skip, func(f Folder) int64 { return f.ID }, s.renderFolderLocked)
}

// getFolder serves GET /folders/{id}.json.
func (s *Server) getFolder(w http.ResponseWriter, r *http.Request) {
	serveGet(s, w, r, "Folder", s.folderLocked, s.renderFolderLocked)
}

// parentIn is a create body's parent {id, type}.
type parentIn struct {
	ID   *int64 `json:"id"`
	Type string `json:"type"`
}

type propertyIn struct {
	Name  *string `json:"name"`
	Value *string `json:"value"`
}

// readProperties checks create-body external properties against Clio's
// limit of 5 per record.
func readProperties(kind string, in []propertyIn) ([]clio.ExternalProperty, *apiError) {
	if len(in) > maxExternalProperties {
		return nil, errInvalid(fmt.Sprintf("data.external_properties: there is a limit of %d external_properties per %s", maxExternalProperties, kind))
	}
	var out []clio.ExternalProperty
	for i, p := range in {
		if p.Name == nil || strings.TrimSpace(*p.Name) == "" || p.Value == nil {
			return nil, errInvalid(fmt.Sprintf("data.external_properties[%d] needs a name and a value", i))
		}
		out = append(out, clio.ExternalProperty{Name: *p.Name, Value: *p.Value})
	}
	return out, nil
}

// folderCreate is the POST /folders.json body (document_category and
// restore are accepted and ignored).
type folderCreate struct {
	Name               string       `json:"name"`
	Parent             parentIn     `json:"parent"`
	ExternalProperties []propertyIn `json:"external_properties"`
}

// createFolder serves POST /folders.json.
func (s *Server) createFolder(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "Folder")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	var in folderCreate
	if apiErr := s.readBody(r, bodyFolders, &in); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		writeError(w, errInvalid("data.name can't be blank"))
		return
	}
	if in.Parent.ID == nil || in.Parent.Type == "" {
		writeError(w, errInvalid("data.parent needs an id and a type"))
		return
	}
	props, apiErr := readProperties("Folder", in.ExternalProperties)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parent, apiErr := s.resolveParentLocked(*in.Parent.ID, in.Parent.Type)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	now := s.now().UTC().Truncate(time.Second)
	saved := s.ids
	for i := range props {
		s.ids.Property++
		props[i].ID = s.ids.Property
	}
	s.ids.Folder++
	f := Folder{
		ID: s.ids.Folder, Name: name, ParentID: parent.ID, MatterID: parent.MatterID, ContactID: parent.ContactID,
		ExternalProperties: props, CreatedAt: now, UpdatedAt: now,
	}
	s.folders = append(s.folders, f) // ids only grow, so the slice stays sorted
	if err := s.persistLocked(); err != nil {
		s.folders = s.folders[:len(s.folders)-1]
		s.ids = saved
		writeError(w, internalError(err))
		return
	}
	rec, err := s.renderFolderLocked(f, sel)
	s.writeRecord(w, http.StatusCreated, rec, err)
}
