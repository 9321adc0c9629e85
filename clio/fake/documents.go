package fake

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// Document is a snapshot of a document (Documents()). Name, ParentID and
// ParentType are as created (ParentType Matter, Contact, Folder or Document
// for a new version); FolderID is the folder that holds it, and MatterID or
// ContactID the owner of that folder's tree. Uploaded and Bytes describe the
// latest version: Uploaded once it was marked fully_uploaded, Bytes what
// was PUT to its put_url.
type Document struct {
	ID                 int64
	Name               string
	Filename           string
	ContentType        string
	ParentID           int64
	ParentType         string
	FolderID           int64
	MatterID           int64
	ContactID          int64
	CommunicationID    int64
	ExternalProperties []clio.ExternalProperty
	ReceivedAt         time.Time
	Versions           int
	Uploaded           bool
	Bytes              []byte
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// document is the stored form of a document.
type document struct {
	ID                 int64                   `json:"id"`
	Name               string                  `json:"name"`
	ParentID           int64                   `json:"parent_id"`
	ParentType         string                  `json:"parent_type"`
	FolderID           int64                   `json:"folder_id"`
	MatterID           int64                   `json:"matter_id,omitempty"`
	ContactID          int64                   `json:"contact_id,omitempty"`
	CommunicationID    int64                   `json:"communication_id,omitempty"`
	ExternalProperties []clio.ExternalProperty `json:"external_properties,omitempty"`
	CreatedAt          time.Time               `json:"created_at"`
	UpdatedAt          time.Time               `json:"updated_at"`
	Versions           []*docVersion           `json:"versions"`
}

// docVersion is one uploaded (or pending) version of a document.
type docVersion struct {
	ID            int64     `json:"id"`
	UUID          string    `json:"uuid"`
	DocumentID    int64     `json:"document_id"`
	Number        int       `json:"version_number"`
	Filename      string    `json:"filename"`
	ContentType   string    `json:"content_type"`
	ReceivedAt    time.Time `json:"received_at,omitzero"`
	PutExpires    time.Time `json:"put_expires"`
	Put           bool      `json:"put,omitempty"`
	Bytes         []byte    `json:"bytes,omitempty"`
	FullyUploaded bool      `json:"fully_uploaded,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func (d *document) latest() *docVersion { return d.Versions[len(d.Versions)-1] }

// complete reports whether any version of d was marked fully uploaded (an
// incomplete document is hidden from lists unless show_uncompleted=true).
func (d *document) complete() bool {
	for _, v := range d.Versions {
		if v.FullyUploaded {
			return true
		}
	}
	return false
}

// putHeaders are the headers the put_url requires, as Clio lists them.
func (v *docVersion) putHeaders() [][2]string {
	return [][2]string{{"x-amz-server-side-encryption", "AES256"}, {"Content-Type", v.ContentType}}
}

// putURLTTL is how long a single-upload put_url works.
const putURLTTL = 10 * time.Minute

// Documents returns the documents created so far, by id.
func (s *Server) Documents() []Document {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Document, 0, len(s.docs))
	for _, d := range s.docs {
		v := d.latest()
		out = append(out, Document{
			ID: d.ID, Name: d.Name, Filename: v.Filename, ContentType: v.ContentType,
			ParentID: d.ParentID, ParentType: d.ParentType, FolderID: d.FolderID,
			MatterID: d.MatterID, ContactID: d.ContactID, CommunicationID: d.CommunicationID,
			ExternalProperties: slices.Clone(d.ExternalProperties), ReceivedAt: v.ReceivedAt,
			Versions: len(d.Versions), Uploaded: v.FullyUploaded, Bytes: slices.Clone(v.Bytes),
			CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		})
	}
	return out
}

// newUUID returns a random version-4 UUID.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// contentTypes is the fake's MIME table for documents created without
// content_type (a fixed table, so results do not depend on the machine).
var contentTypes = map[string]string{
	".pdf": "application/pdf", ".tif": "image/tiff", ".tiff": "image/tiff", ".png": "image/png",
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".txt": "text/plain", ".doc": "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

func contentTypeFor(name string) string {
	if ct, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}

// baseURL is the scheme and host the request reached, for put_url.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host}).String()
}

func (s *Server) renderVersion(v *docVersion, base string) map[string]any {
	rec := map[string]any{
		"id": v.ID, "uuid": v.UUID, "document_id": v.DocumentID, "version_number": v.Number,
		"filename": v.Filename, "content_type": v.ContentType, "size": len(v.Bytes),
		"fully_uploaded": v.FullyUploaded, "created_at": v.CreatedAt, "updated_at": v.UpdatedAt,
	}
	if !v.ReceivedAt.IsZero() {
		rec["received_at"] = v.ReceivedAt
	}
	if !v.FullyUploaded {
		rec["put_url"] = base + uploadPrefix + v.UUID
		headers := make([]any, 0, 2)
		for _, h := range v.putHeaders() {
			headers = append(headers, map[string]any{"name": h[0], "value": h[1]})
		}
		rec["put_headers"] = headers
	}
	return rec
}

func (s *Server) renderDocumentLocked(d *document, base string, sel selection) (map[string]any, error) {
	v := d.latest()
	versions := make([]any, len(d.Versions))
	for i, x := range d.Versions {
		versions[i] = s.renderVersion(x, base)
	}
	rec := map[string]any{
		"id": d.ID, "type": "Document", "name": d.Name, "locked": false,
		"filename": v.Filename, "content_type": v.ContentType, "size": len(v.Bytes),
		"created_at": d.CreatedAt, "updated_at": d.UpdatedAt,
		"latest_document_version": s.renderVersion(v, base),
		"document_versions":       versions,
		"external_properties":     renderProperties(d.ExternalProperties),
	}
	if !v.ReceivedAt.IsZero() {
		rec["received_at"] = v.ReceivedAt
	}
	if f, ok := s.folderLocked(d.FolderID); ok {
		rec["parent"] = linkedFolder(f)
	}
	s.ownerRefsLocked(rec, d.MatterID, d.ContactID)
	return render(rec, nil, sel)
}

// findDocumentLocked returns the document with id. s.mu must be held.
func (s *Server) findDocumentLocked(id int64) (*document, bool) {
	i, ok := slices.BinarySearchFunc(s.docs, id, func(d *document, id int64) int { return cmpID(d.ID, id) })
	if !ok {
		return nil, false
	}
	return s.docs[i], true
}

// listDocuments serves GET /documents.json.
func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, apiErr := s.listQuery(r, "Document", maxLimit)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	tf, apiErr := parseTreeFilter(r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	showAll := false
	switch q.Get("show_uncompleted") {
	case "", "false":
	case "true":
		showAll = true
	default:
		writeError(w, errBadRequest("show_uncompleted must be true or false"))
		return
	}
	pf := newPropertyFilter(r)
	query := strings.ToLower(q.Get("query"))
	ignore := pf.set() && s.opts.IgnoreExternalFilter
	skip := func(d *document) bool {
		return !showAll && !d.complete() ||
			!s.treeMatchLocked(tf, d.FolderID, d.MatterID, d.ContactID) || !ignore && !pf.match(d.ExternalProperties) ||
			query != "" && !strings.Contains(strings.ToLower(d.Name), query)
	}
	base := baseURL(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	items := s.docs
	if ignore {
		items = unrelatedFirst(&lq, items, func(d *document) bool { return pf.match(d.ExternalProperties) })
	}
	writeList(w, r, lq, items, skip, func(d *document) int64 { return d.ID },
		func(d *document, sel selection) (map[string]any, error) { return s.renderDocumentLocked(d, base, sel) })
}

// getDocument serves GET /documents/{id}.json (incomplete documents too).
func (s *Server) getDocument(w http.ResponseWriter, r *http.Request) {
	serveGet(s, w, r, "Document", s.findDocumentLocked, func(d *document, sel selection) (map[string]any, error) {
		return s.renderDocumentLocked(d, baseURL(r), sel)
	})
}

// documentCreate is the POST /documents.json body the fake models.
// document_category is accepted and ignored; multiparts is refused.
type documentCreate struct {
	Name               string       `json:"name"`
	Filename           string       `json:"filename"`
	ContentType        string       `json:"content_type"`
	ReceivedAt         string       `json:"received_at"`
	CommunicationID    *int64       `json:"communication_id"`
	Parent             parentIn     `json:"parent"`
	ExternalProperties []propertyIn `json:"external_properties"`
	Multiparts         []any        `json:"multiparts"`
}

// createDocument serves POST /documents.json: step 1 of the upload. The
// document stays hidden from lists until PATCHed fully_uploaded.
func (s *Server) createDocument(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "Document")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	var in documentCreate
	if apiErr := s.readBody(r, bodyDocuments, &in); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		apiErr = errInvalid("data.name can't be blank")
	case in.Parent.ID == nil || in.Parent.Type == "":
		apiErr = errInvalid("data.parent needs an id and a type")
	case len(in.Multiparts) > 0:
		apiErr = errInvalid("data.multiparts: multipart uploads are not supported by the fake")
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	var received time.Time
	if in.ReceivedAt != "" {
		t, err := parseDateTime(in.ReceivedAt)
		if err != nil {
			writeError(w, errInvalid("data.received_at must be an ISO-8601 date-time"))
			return
		}
		received = t
	}
	props, apiErr := readProperties("Document", in.ExternalProperties)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	filename := in.Filename
	if filename == "" {
		filename = name
	}
	ct := in.ContentType
	if ct == "" {
		ct = contentTypeFor(filename)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if in.CommunicationID != nil && !slices.ContainsFunc(s.comms, func(c clio.Communication) bool { return c.ID == *in.CommunicationID }) {
		writeError(w, errInvalid(fmt.Sprintf("data.communication_id %d does not exist", *in.CommunicationID)))
		return
	}
	now := s.now().UTC().Truncate(time.Second)
	saved := s.ids
	var d *document
	newVersion := in.Parent.Type == "Document"
	if newVersion {
		existing, ok := s.findDocumentLocked(*in.Parent.ID)
		if !ok {
			writeError(w, errInvalid(fmt.Sprintf("data.parent: Document %d does not exist", *in.Parent.ID)))
			return
		}
		if !existing.latest().FullyUploaded {
			writeError(w, errInvalid(fmt.Sprintf("data.parent: Document %d has a version that is still being uploaded", existing.ID)))
			return
		}
		d = existing
	} else {
		parent, apiErr := s.resolveParentLocked(*in.Parent.ID, in.Parent.Type)
		if apiErr != nil {
			writeError(w, apiErr)
			return
		}
		s.ids.Document++
		d = &document{
			ID: s.ids.Document, Name: name, ParentID: *in.Parent.ID, ParentType: in.Parent.Type,
			FolderID: parent.ID, MatterID: parent.MatterID, ContactID: parent.ContactID, CreatedAt: now,
		}
	}
	s.ids.Version++
	v := &docVersion{
		ID: s.ids.Version, UUID: newUUID(), DocumentID: d.ID, Number: len(d.Versions) + 1,
		Filename: filename, ContentType: ct, ReceivedAt: received,
		PutExpires: s.now().Add(putURLTTL), CreatedAt: now, UpdatedAt: now,
	}
	// Undo everything below if the state file cannot be written.
	before := *d
	for i := range props {
		s.ids.Property++
		props[i].ID = s.ids.Property
	}
	if len(props) > 0 {
		if len(d.ExternalProperties)+len(props) > maxExternalProperties {
			s.ids = saved
			writeError(w, errInvalid(fmt.Sprintf("data.external_properties: there is a limit of %d external_properties per Document", maxExternalProperties)))
			return
		}
		d.ExternalProperties = append(slices.Clone(d.ExternalProperties), props...)
	}
	if in.CommunicationID != nil {
		d.CommunicationID = *in.CommunicationID
	}
	d.Versions = append(slices.Clone(d.Versions), v)
	d.UpdatedAt = now
	if newVersion {
		d.Name = name
	} else {
		s.docs = append(s.docs, d) // ids only grow, so the slice stays sorted
	}
	s.uploads[v.UUID] = v
	if err := s.persistLocked(); err != nil {
		*d = before
		if !newVersion {
			s.docs = s.docs[:len(s.docs)-1]
		}
		delete(s.uploads, v.UUID)
		s.ids = saved
		writeError(w, internalError(err))
		return
	}
	rec, err := s.renderDocumentLocked(d, baseURL(r), sel)
	s.writeRecord(w, http.StatusCreated, rec, err)
}

// documentUpdate is the PATCH /documents/{id}.json body the fake models.
type documentUpdate struct {
	UUID            *string `json:"uuid"`
	FullyUploaded   *bool   `json:"fully_uploaded"`
	Name            *string `json:"name"`
	CommunicationID *int64  `json:"communication_id"`
	ReceivedAt      *string `json:"received_at"`
	Multiparts      []any   `json:"multiparts"`
	Parent          any     `json:"parent"`
	CopyVersion     any     `json:"copy_version"`
	ExternalProps   any     `json:"external_properties"`
	Restore         any     `json:"restore"`
}

// updateDocument serves PATCH /documents/{id}.json: step 3 of the upload
// ({uuid, fully_uploaded: true}), and renames (name) or relinks
// (communication_id). Other keys of the update schema are refused as not
// modelled.
func (s *Server) updateDocument(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "Document")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	id, apiErr := pathID(r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	var in documentUpdate
	if apiErr := s.readBody(r, bodyDocumentUpdate, &in); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	if in.Multiparts != nil || in.Parent != nil || in.CopyVersion != nil || in.ExternalProps != nil || in.Restore != nil {
		writeError(w, errInvalid("only uuid, fully_uploaded, name, received_at and communication_id updates are supported by the fake"))
		return
	}
	if in.Name != nil && strings.TrimSpace(*in.Name) == "" {
		writeError(w, errInvalid("data.name can't be blank"))
		return
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
	d, ok := s.findDocumentLocked(id)
	if !ok {
		writeError(w, errNotFound(fmt.Sprintf("Document %d not found", id)))
		return
	}
	if in.CommunicationID != nil && !slices.ContainsFunc(s.comms, func(c clio.Communication) bool { return c.ID == *in.CommunicationID }) {
		writeError(w, errInvalid(fmt.Sprintf("data.communication_id %d does not exist", *in.CommunicationID)))
		return
	}
	v := d.latest()
	if in.FullyUploaded != nil {
		if !*in.FullyUploaded {
			writeError(w, errInvalid("fully_uploaded=false (a fresh put_url for multipart uploads) is not supported by the fake; create a new version with parent type Document"))
			return
		}
		if in.UUID == nil || *in.UUID == "" {
			writeError(w, errInvalid("data.uuid is required with fully_uploaded"))
			return
		}
		if *in.UUID != v.UUID {
			writeError(w, &apiError{Status: http.StatusUnprocessableEntity, Type: "UploadNotFoundError",
				Message: fmt.Sprintf("no upload %s for the latest version of Document %d", *in.UUID, d.ID)})
			return
		}
		if v.FullyUploaded {
			writeError(w, errInvalid(fmt.Sprintf("Document %d is already fully uploaded", d.ID)))
			return
		}
		if !v.Put {
			writeError(w, &apiError{Status: http.StatusUnprocessableEntity, Type: "UploadNotFoundError",
				Message: "The file could not be found. Upload the file to put_url before marking it fully uploaded."})
			return
		}
	}
	before, beforeVersion := *d, *v
	now := s.now().UTC().Truncate(time.Second)
	if in.FullyUploaded != nil {
		v.FullyUploaded = true
		v.UpdatedAt = now
	}
	if in.Name != nil {
		d.Name = strings.TrimSpace(*in.Name)
	}
	if in.CommunicationID != nil {
		d.CommunicationID = *in.CommunicationID
	}
	if in.ReceivedAt != nil {
		v.ReceivedAt = received
	}
	d.UpdatedAt = now
	if err := s.persistLocked(); err != nil {
		*d, *v = before, beforeVersion
		writeError(w, internalError(err))
		return
	}
	rec, err := s.renderDocumentLocked(d, baseURL(r), sel)
	s.writeRecord(w, http.StatusOK, rec, err)
}

// uploadPrefix is the path of put_url targets: /upload/<uuid>.
const uploadPrefix = "/upload/"

// maxUpload bounds an uploaded file.
const maxUpload = 64 << 20

// s3Error writes an S3-style XML error, as a presigned PUT answers.
func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>\n", code, msg)
}

// serveUpload serves PUT /upload/<uuid>: step 2 of the upload, the object
// store behind put_url. Every put header is required; the URL expires 10
// minutes after the document was created.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPut {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		return
	}
	uuid := strings.TrimPrefix(r.URL.Path, uploadPrefix)
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.uploads[uuid]
	if !ok || v.FullyUploaded {
		s3Error(w, http.StatusForbidden, "AccessDenied", "Access Denied")
		return
	}
	if !s.now().Before(v.PutExpires) {
		s3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
		return
	}
	for _, h := range v.putHeaders() {
		if r.Header.Get(h[0]) != h[1] {
			s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch",
				"The request signature we calculated does not match the signature you provided. Check the "+h[0]+" header.")
			return
		}
	}
	before := *v
	v.Bytes = slices.Clone(body)
	v.Put = true
	if err := s.persistLocked(); err != nil {
		*v = before
		s3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	sum := md5.Sum(body)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
	w.WriteHeader(http.StatusOK)
}
