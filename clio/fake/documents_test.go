package fake

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// upload is a created document's id and upload fields.
type upload struct {
	ID      int64
	UUID    string
	PutURL  string
	Headers map[string]string
}

func createDocument(t *testing.T, base string, data map[string]any) upload {
	t.Helper()
	r := call(t, http.MethodPost, base+"/api/v4/documents.json?fields=id,latest_document_version{uuid,put_url,put_headers}",
		map[string]any{"data": data}, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST document(%v) status = %d, body %s, want 201", data, r.Status, r.Raw)
	}
	d := r.Body["data"].(map[string]any)
	v := d["latest_document_version"].(map[string]any)
	u := upload{ID: idOf(d), UUID: v["uuid"].(string), PutURL: v["put_url"].(string), Headers: map[string]string{}}
	for _, h := range v["put_headers"].([]any) {
		m := h.(map[string]any)
		u.Headers[m["name"].(string)] = m["value"].(string)
	}
	return u
}

func put(t *testing.T, u upload, body []byte, skip string) rawResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, u.PutURL, bytes.NewReader(body))
	for k, v := range u.Headers {
		if k != skip {
			req.Header.Set(k, v)
		}
	}
	return do(t, req)
}

func complete(t *testing.T, base string, u upload) response {
	t.Helper()
	return call(t, http.MethodPatch, fmt.Sprintf("%s/api/v4/documents/%d.json?fields=id,latest_document_version{fully_uploaded}", base, u.ID),
		map[string]any{"data": map[string]any{"uuid": u.UUID, "fully_uploaded": true}}, nil)
}

func listDocIDs(t *testing.T, u string) []int64 {
	t.Helper()
	r := get(t, u)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s status = %d, body %s", u, r.Status, r.Raw)
	}
	var ids []int64
	for _, d := range dataList(t, r) {
		ids = append(ids, idOf(d))
	}
	return ids
}

func TestDocumentUploadHappyPath(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	m, c := firstOpenMatter(t)
	cr := call(t, http.MethodPost, ts.URL+"/api/v4/communications.json", communicationBody(m.ID, c.ID, "fax-1"), nil)
	commID := idOf(cr.Body["data"].(map[string]any))
	u := createDocument(t, ts.URL, map[string]any{
		"name": "Inbound fax 2026-05-04.pdf", "parent": map[string]any{"id": m.ID, "type": "Matter"},
		"content_type": "application/pdf", "received_at": "2026-05-04T14:03:00Z", "communication_id": commID,
		"external_properties": []any{map[string]any{"name": "calldocket_event_id", "value": "fax-1"}},
	})
	if !strings.HasPrefix(u.PutURL, ts.URL+"/upload/") {
		t.Errorf("put_url = %q, want it under %s/upload/", u.PutURL, ts.URL)
	}
	if u.Headers["x-amz-server-side-encryption"] != "AES256" || u.Headers["Content-Type"] != "application/pdf" {
		t.Errorf("put_headers = %v, want x-amz-server-side-encryption AES256 and Content-Type application/pdf", u.Headers)
	}
	byProp := ts.URL + "/api/v4/documents.json?external_property_name=calldocket_event_id&external_property_value=fax-1"
	if ids := listDocIDs(t, byProp); len(ids) != 0 {
		t.Errorf("documents before upload = %v, want none (hidden until fully uploaded)", ids)
	}
	if ids := listDocIDs(t, byProp+"&show_uncompleted=true"); len(ids) != 1 || ids[0] != u.ID {
		t.Errorf("documents with show_uncompleted = %v, want [%d]", ids, u.ID)
	}
	pdf := []byte("%PDF-1.4 fake fax")
	if r := put(t, u, pdf, ""); r.Status != http.StatusOK || r.Header.Get("ETag") == "" {
		t.Fatalf("PUT put_url = %d %s, want 200 with an ETag", r.Status, r.Body)
	}
	r := complete(t, ts.URL, u)
	if r.Status != http.StatusOK {
		t.Fatalf("PATCH fully_uploaded status = %d, body %s, want 200", r.Status, r.Raw)
	}
	if v := r.Body["data"].(map[string]any)["latest_document_version"].(map[string]any); v["fully_uploaded"] != true {
		t.Errorf("latest_document_version = %v, want fully_uploaded true", v)
	}
	for _, q := range []string{
		byProp,
		fmt.Sprintf("%s/api/v4/documents.json?matter_id=%d", ts.URL, m.ID),
		fmt.Sprintf("%s/api/v4/documents.json?parent_id=%d", ts.URL, matterRootID(m.ID)),
	} {
		if ids := listDocIDs(t, q); len(ids) != 1 || ids[0] != u.ID {
			t.Errorf("GET %s ids = %v, want [%d]", q, ids, u.ID)
		}
	}
	if ids := listDocIDs(t, fmt.Sprintf("%s/api/v4/documents.json?contact_id=%d", ts.URL, c.ID)); len(ids) != 0 {
		t.Errorf("documents of the contact = %v, want none (the fax is in the matter)", ids)
	}
	g := get(t, fmt.Sprintf("%s/api/v4/documents/%d.json?fields=id,name,content_type,size,parent,matter{id}", ts.URL, u.ID))
	d := g.Body["data"].(map[string]any)
	if d["name"] != "Inbound fax 2026-05-04.pdf" || d["size"] != float64(len(pdf)) ||
		idOf(d["matter"].(map[string]any)) != m.ID || d["parent"].(map[string]any)["root"] != true {
		t.Errorf("GET document = %v, want name, size %d, matter %d, root parent", d, len(pdf), m.ID)
	}
	docs := s.Documents()
	if len(docs) != 1 {
		t.Fatalf("Documents() = %d, want 1", len(docs))
	}
	got := docs[0]
	if got.Name != "Inbound fax 2026-05-04.pdf" || got.ParentID != m.ID || got.ParentType != "Matter" ||
		got.CommunicationID != commID || !got.Uploaded || !bytes.Equal(got.Bytes, pdf) ||
		len(got.ExternalProperties) != 1 || got.ExternalProperties[0].Value != "fax-1" || got.MatterID != m.ID {
		t.Errorf("Documents()[0] = %+v, want the uploaded fax", got)
	}
}

func TestDocumentUploadErrors(t *testing.T) {
	c := newClock()
	_, ts := newTestServer(t, Options{Now: c.Now})
	m, contact := firstOpenMatter(t)
	newDoc := func() upload {
		return createDocument(t, ts.URL, map[string]any{"name": "fax.pdf", "parent": map[string]any{"id": contact.ID, "type": "Contact"}})
	}
	t.Run("missing put header", func(t *testing.T) {
		u := newDoc()
		for name := range u.Headers {
			if r := put(t, u, []byte("x"), name); r.Status != http.StatusForbidden {
				t.Errorf("PUT without %s = %d, want 403", name, r.Status)
			}
		}
		if r := complete(t, ts.URL, u); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("PATCH after refused PUTs = %d, want 422", r.Status)
		}
	})
	t.Run("no bytes", func(t *testing.T) {
		u := newDoc()
		r := complete(t, ts.URL, u)
		if typ, _ := errorObject(t, r); r.Status != http.StatusUnprocessableEntity || typ != "UploadNotFoundError" {
			t.Errorf("PATCH without PUT = %d %s, want 422 UploadNotFoundError", r.Status, r.Raw)
		}
	})
	t.Run("double complete", func(t *testing.T) {
		u := newDoc()
		put(t, u, []byte("%PDF"), "")
		if r := complete(t, ts.URL, u); r.Status != http.StatusOK {
			t.Fatalf("first PATCH = %d %s, want 200", r.Status, r.Raw)
		}
		if r := complete(t, ts.URL, u); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("second PATCH = %d %s, want 422", r.Status, r.Raw)
		}
		if r := put(t, u, []byte("again"), ""); r.Status != http.StatusForbidden {
			t.Errorf("PUT after completion = %d, want 403", r.Status)
		}
	})
	t.Run("wrong uuid", func(t *testing.T) {
		u := newDoc()
		put(t, u, []byte("%PDF"), "")
		u.UUID = "00000000-0000-4000-8000-000000000000"
		if r := complete(t, ts.URL, u); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("PATCH with another uuid = %d, want 422", r.Status)
		}
	})
	t.Run("put_url expires", func(t *testing.T) {
		u := newDoc()
		c.Advance(10*time.Minute + time.Second)
		if r := put(t, u, []byte("%PDF"), ""); r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "expired") {
			t.Errorf("late PUT = %d %s, want 403 Request has expired", r.Status, r.Body)
		}
	})
	for _, tc := range []struct {
		name string
		data map[string]any
	}{
		{"no name", map[string]any{"parent": map[string]any{"id": m.ID, "type": "Matter"}}},
		{"no parent", map[string]any{"name": "a.pdf"}},
		{"bad parent type", map[string]any{"name": "a.pdf", "parent": map[string]any{"id": m.ID, "type": "Bill"}}},
		{"missing parent", map[string]any{"name": "a.pdf", "parent": map[string]any{"id": 1, "type": "Matter"}}},
		{"unknown key", map[string]any{"name": "a.pdf", "parent": map[string]any{"id": m.ID, "type": "Matter"}, "colour": "red"}},
		{"bad communication", map[string]any{"name": "a.pdf", "parent": map[string]any{"id": m.ID, "type": "Matter"}, "communication_id": 1}},
		{"six properties", map[string]any{"name": "a.pdf", "parent": map[string]any{"id": m.ID, "type": "Matter"}, "external_properties": sixProperties()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, http.MethodPost, ts.URL+"/api/v4/documents.json", map[string]any{"data": tc.data}, nil)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("POST document(%v) = %d %s, want 422", tc.data, r.Status, r.Raw)
			}
		})
	}
}

func sixProperties() []any {
	var out []any
	for i := range 6 {
		out = append(out, map[string]any{"name": fmt.Sprint("p", i), "value": "v"})
	}
	return out
}

func TestDocumentNewVersionAndState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, err := NewServer(sampleFirm(), Options{Token: testToken, StatePath: path})
	if err != nil {
		t.Fatalf("NewServer() error = %v", err)
	}
	base := httpServer(t, s)
	m, _ := firstOpenMatter(t)
	u := createDocument(t, base, map[string]any{"name": "v1.pdf", "parent": map[string]any{"id": m.ID, "type": "Matter"}})
	put(t, u, []byte("one"), "")
	if r := complete(t, base, u); r.Status != http.StatusOK {
		t.Fatalf("complete v1 = %d %s", r.Status, r.Raw)
	}
	u2 := createDocument(t, base, map[string]any{"name": "v2.pdf", "parent": map[string]any{"id": u.ID, "type": "Document"}})
	if u2.ID != u.ID || u2.UUID == u.UUID {
		t.Fatalf("new version = %+v, want document %d with a new uuid", u2, u.ID)
	}
	if ids := listDocIDs(t, base+"/api/v4/documents.json"); len(ids) != 1 {
		t.Errorf("documents during a new version's upload = %v, want the document still listed", ids)
	}
	put(t, u2, []byte("two"), "")
	if r := complete(t, base, u2); r.Status != http.StatusOK {
		t.Fatalf("complete v2 = %d %s", r.Status, r.Raw)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	s2, err := NewServer(sampleFirm(), Options{Token: testToken, StatePath: path})
	if err != nil {
		t.Fatalf("NewServer(restart) error = %v", err)
	}
	docs := s2.Documents()
	if len(docs) != 1 || docs[0].Versions != 2 || string(docs[0].Bytes) != "two" || !docs[0].Uploaded {
		t.Errorf("Documents() after restart = %+v, want one document, 2 versions, bytes \"two\"", docs)
	}
	base2 := httpServer(t, s2)
	u3 := createDocument(t, base2, map[string]any{"name": "other.pdf", "parent": map[string]any{"id": m.ID, "type": "Matter"}})
	if u3.ID <= u.ID {
		t.Errorf("id after restart = %d, want > %d", u3.ID, u.ID)
	}
}

func TestFolders(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	m, c := firstOpenMatter(t)
	listFolders := func(q url.Values) []map[string]any {
		t.Helper()
		r := get(t, ts.URL+"/api/v4/folders.json?"+q.Encode())
		if r.Status != http.StatusOK {
			t.Fatalf("GET folders(%v) = %d %s", q, r.Status, r.Raw)
		}
		return dataList(t, r)
	}
	roots := listFolders(url.Values{"matter_id": {fmt.Sprint(m.ID)}, "fields": {"id,name,root"}})
	if len(roots) != 1 || roots[0]["root"] != true || idOf(roots[0]) != matterRootID(m.ID) {
		t.Fatalf("folders of matter %d = %v, want its root folder", m.ID, roots)
	}
	r := call(t, http.MethodPost, ts.URL+"/api/v4/folders.json?fields=id,name,parent,matter{id}", map[string]any{"data": map[string]any{
		"name": "CallDocket Fax", "parent": map[string]any{"id": m.ID, "type": "Matter"},
		"external_properties": []any{map[string]any{"name": "calldocket_folder", "value": "fax"}},
	}}, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST folder = %d %s, want 201", r.Status, r.Raw)
	}
	fax := r.Body["data"].(map[string]any)
	faxID := idOf(fax)
	if idOf(fax["parent"].(map[string]any)) != matterRootID(m.ID) || idOf(fax["matter"].(map[string]any)) != m.ID {
		t.Errorf("created folder = %v, want parent = the matter's root folder", fax)
	}
	sub := call(t, http.MethodPost, ts.URL+"/api/v4/folders.json", map[string]any{"data": map[string]any{
		"name": "2026", "parent": map[string]any{"id": faxID, "type": "Folder"},
	}}, nil)
	if sub.Status != http.StatusCreated {
		t.Fatalf("POST subfolder = %d %s", sub.Status, sub.Raw)
	}
	for _, tc := range []struct {
		name string
		q    url.Values
		want int
	}{
		{"by query", url.Values{"matter_id": {fmt.Sprint(m.ID)}, "query": {"fax"}}, 1},
		{"by property", url.Values{"external_property_name": {"calldocket_folder"}, "external_property_value": {"fax"}}, 1},
		{"children", url.Values{"parent_id": {fmt.Sprint(matterRootID(m.ID))}}, 1},
		{"descendants", url.Values{"parent_id": {fmt.Sprint(matterRootID(m.ID))}, "scope": {"descendants"}}, 2},
		{"whole matter", url.Values{"matter_id": {fmt.Sprint(m.ID)}}, 3},
		{"contact root", url.Values{"contact_id": {fmt.Sprint(c.ID)}}, 1},
		{"no match", url.Values{"matter_id": {fmt.Sprint(m.ID)}, "query": {"nothing like it"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := listFolders(tc.q); len(got) != tc.want {
				t.Errorf("GET folders(%v) = %d folders %v, want %d", tc.q, len(got), got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		data map[string]any
	}{
		{"no name", map[string]any{"parent": map[string]any{"id": m.ID, "type": "Matter"}}},
		{"document parent", map[string]any{"name": "x", "parent": map[string]any{"id": m.ID, "type": "Document"}}},
		{"missing folder", map[string]any{"name": "x", "parent": map[string]any{"id": 42, "type": "Folder"}}},
		{"six properties", map[string]any{"name": "x", "parent": map[string]any{"id": m.ID, "type": "Matter"}, "external_properties": sixProperties()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, http.MethodPost, ts.URL+"/api/v4/folders.json", map[string]any{"data": tc.data}, nil)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("POST folder(%v) = %d %s, want 422", tc.data, r.Status, r.Raw)
			}
		})
	}
	// A document in the new folder belongs to the matter.
	u := createDocument(t, ts.URL, map[string]any{"name": "f.pdf", "parent": map[string]any{"id": faxID, "type": "Folder"}})
	put(t, u, []byte("x"), "")
	complete(t, ts.URL, u)
	if ids := listDocIDs(t, fmt.Sprintf("%s/api/v4/documents.json?matter_id=%d", ts.URL, m.ID)); len(ids) != 1 {
		t.Errorf("documents of the matter = %v, want the one in its fax folder", ids)
	}
	if ids := listDocIDs(t, fmt.Sprintf("%s/api/v4/documents.json?parent_id=%d&scope=descendants", ts.URL, matterRootID(m.ID))); len(ids) != 1 {
		t.Errorf("descendant documents of the matter folder = %v, want 1", ids)
	}
	var found bool
	for _, f := range s.Folders() {
		if f.ID == faxID {
			found = f.Name == "CallDocket Fax" && f.MatterID == m.ID && f.ParentID == matterRootID(m.ID) && len(f.ExternalProperties) == 1
		}
	}
	if !found {
		t.Errorf("Folders() lacks the created folder %d with its matter, parent and property", faxID)
	}
}
