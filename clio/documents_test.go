package clio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleDocument() *DocumentCreate {
	return &DocumentCreate{Name: "Inbound fax 2026-05-04.pdf", Parent: Parent{ID: 1, Type: ParentMatter},
		ContentType: "application/pdf", ReceivedAt: time.Date(2026, 5, 4, 14, 3, 0, 0, time.UTC),
		Filename: "fax.pdf", CommunicationID: 555,
		ExternalProperties: []ExternalProperty{{Name: "calldocket_event_id", Value: "fax-1"}}}
}

const documentJSON = `{"id":1234,"name":"Inbound fax 2026-05-04.pdf","received_at":"2026-05-04T14:03:00Z",
	"latest_document_version":{"id":9,"uuid":"a51faa2c","put_url":"https://s3.example/up?sig=1",
	"put_headers":[{"name":"x-amz-server-side-encryption","value":"AES256"},{"name":"Content-Type","value":"application/pdf"}],
	"fully_uploaded":false}}`

var documentWant = &Document{ID: 1234, Name: "Inbound fax 2026-05-04.pdf", ReceivedAt: time.Date(2026, 5, 4, 14, 3, 0, 0, time.UTC),
	LatestDocumentVersion: &DocumentVersion{ID: 9, UUID: "a51faa2c", PutURL: "https://s3.example/up?sig=1",
		PutHeaders: []PutHeader{{Name: "x-amz-server-side-encryption", Value: "AES256"}, {Name: "Content-Type", Value: "application/pdf"}}}}

func TestDocumentsCreate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/documents.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testCommon(t, r, documentFields)
		testQuery(t, r, url.Values{})
		testBody(t, r, `{"name":"Inbound fax 2026-05-04.pdf","parent":{"id":1,"type":"Matter"},"content_type":"application/pdf",
			"received_at":"2026-05-04T14:03:00Z","filename":"fax.pdf","communication_id":555,
			"external_properties":[{"name":"calldocket_event_id","value":"fax-1"}]}`)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"data":%s}`, documentJSON)
	})
	got, _, err := c.Documents.Create(t.Context(), sampleDocument())
	if err != nil {
		t.Fatalf("Documents.Create error = %v", err)
	}
	if !reflect.DeepEqual(got, documentWant) {
		t.Errorf("Documents.Create = %+v, want %+v", got, documentWant)
	}
}

func TestDocumentsCreateMinimal(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/documents.json", func(w http.ResponseWriter, r *http.Request) {
		testBody(t, r, `{"name":"a.pdf","parent":{"id":3,"type":"Folder"}}`)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"data":{"id":1}}`)
	})
	if _, _, err := c.Documents.Create(t.Context(), &DocumentCreate{Name: "a.pdf", Parent: Parent{ID: 3, Type: ParentFolder}}); err != nil {
		t.Errorf("Documents.Create(minimal) error = %v", err)
	}
}

func TestDocumentsCreateRejects(t *testing.T) {
	tests := []struct {
		name   string
		change func(*DocumentCreate)
	}{
		{"no name", func(d *DocumentCreate) { d.Name = "" }},
		{"no parent", func(d *DocumentCreate) { d.Parent = Parent{} }},
		{"bad parent type", func(d *DocumentCreate) { d.Parent.Type = "Bill" }},
		{"negative communication", func(d *DocumentCreate) { d.CommunicationID = -1 }},
		{"unnamed property", func(d *DocumentCreate) { d.ExternalProperties[0].Name = "" }},
	}
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("invalid document was sent: %s %s", r.Method, r.URL.Path)
	})
	if _, _, err := c.Documents.Create(t.Context(), nil); err == nil || !IsPermanent(err) {
		t.Errorf("Documents.Create(nil) error = %v, want a permanent error", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleDocument()
			tt.change(d)
			if _, _, err := c.Documents.Create(t.Context(), d); err == nil || !IsPermanent(err) {
				t.Errorf("Documents.Create(%+v) error = %v, want a permanent error", d, err)
			}
		})
	}
}

func TestDocumentsMarkUploaded(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/documents/1234.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPatch)
		testCommon(t, r, documentFields)
		testQuery(t, r, url.Values{})
		testBody(t, r, `{"uuid":"a51faa2c","fully_uploaded":true}`)
		fmt.Fprint(w, `{"data":{"id":1234,"latest_document_version":{"uuid":"a51faa2c","fully_uploaded":true}}}`)
	})
	got, _, err := c.Documents.MarkUploaded(t.Context(), 1234, "a51faa2c")
	want := &Document{ID: 1234, LatestDocumentVersion: &DocumentVersion{UUID: "a51faa2c", FullyUploaded: true}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Documents.MarkUploaded(1234) = %+v, %v, want %+v", got, err, want)
	}
	for _, tt := range []struct {
		id   int64
		uuid string
	}{{0, "u"}, {-1, "u"}, {1, ""}} {
		if _, _, err := c.Documents.MarkUploaded(t.Context(), tt.id, tt.uuid); err == nil || !IsPermanent(err) {
			t.Errorf("Documents.MarkUploaded(%d, %q) error = %v, want a permanent error", tt.id, tt.uuid, err)
		}
	}
}

func TestDocumentsFindByExternalProperty(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/documents.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testCommon(t, r, documentFields)
		testQuery(t, r, url.Values{"external_property_name": {"calldocket_event_id"}, "external_property_value": {"fax-1"},
			"show_uncompleted": {"true"}, "order": {"id(asc)"}, "limit": {"200"}})
		// Only the second record carries the value asked for; the others
		// (no property, another value) are what a server that ignores the
		// filter sends.
		tagged := strings.Replace(documentJSON, `"received_at"`,
			`"external_properties":[{"id":3,"name":"calldocket_event_id","value":"fax-1"}],"received_at"`, 1)
		fmt.Fprintf(w, `{"data":[{"id":1,"name":"other.pdf","latest_document_version":{"fully_uploaded":true}},%s,
			{"id":2,"name":"x.pdf","external_properties":[{"id":4,"name":"calldocket_event_id","value":"fax-10"}]}]}`, tagged)
	})
	got, _, err := c.Documents.FindByExternalProperty(t.Context(), "calldocket_event_id", "fax-1")
	want := *documentWant
	want.ExternalProperties = []ExternalProperty{{ID: 3, Name: "calldocket_event_id", Value: "fax-1"}}
	if err != nil || !reflect.DeepEqual(got, []Document{want}) {
		t.Errorf("Documents.FindByExternalProperty = %+v, %v, want %+v", got, err, want)
	}
	if _, _, err := c.Documents.FindByExternalProperty(t.Context(), "n", ""); err == nil || !IsPermanent(err) {
		t.Errorf("Documents.FindByExternalProperty(n, \"\") error = %v, want a permanent error", err)
	}
}

// tokenClient is a client for the API at apiURL that sends a bearer
// token, as the app's does.
func tokenClient(t *testing.T, apiURL string) *Client {
	t.Helper()
	c, err := NewClient(TokenHTTPClient(t.Context(), "secret-token"), apiURL)
	if err != nil {
		t.Fatalf("NewClient(%q) error = %v", apiURL, err)
	}
	return c
}

func TestDocumentsUpload(t *testing.T) {
	var got *http.Request
	var gotBody []byte
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		gotBody, _ = io.ReadAll(r.Body)
	}))
	t.Cleanup(storage.Close)
	c := tokenClient(t, "https://app.clio.com")
	headers := []PutHeader{
		{Name: "x-amz-server-side-encryption", Value: "AES256"},
		{Name: "Content-Type", Value: "application/pdf"},
		{Name: "x-amz-meta-a", Value: "1"},
		{Name: "x-amz-meta-a", Value: "2"},
	}
	body := "%PDF-1.4 fax"
	if err := c.Documents.Upload(t.Context(), storage.URL+"/bucket/key?X-Amz-Signature=abc", headers, strings.NewReader(body), int64(len(body))); err != nil {
		t.Fatalf("Documents.Upload error = %v", err)
	}
	if got.Method != http.MethodPut || got.URL.Path != "/bucket/key" || got.URL.Query().Get("X-Amz-Signature") != "abc" {
		t.Errorf("upload request = %s %s, want PUT /bucket/key?X-Amz-Signature=abc", got.Method, got.URL)
	}
	if string(gotBody) != body || got.ContentLength != int64(len(body)) {
		t.Errorf("upload body = %q (length %d), want %q", gotBody, got.ContentLength, body)
	}
	testHeader(t, got, "x-amz-server-side-encryption", "AES256")
	testHeader(t, got, "Content-Type", "application/pdf")
	if v := got.Header.Values("X-Amz-Meta-A"); !reflect.DeepEqual(v, []string{"1", "2"}) {
		t.Errorf("upload header X-Amz-Meta-A = %v, want [1 2]", v)
	}
	for _, h := range []string{"Authorization", "X-API-VERSION"} {
		if v := got.Header.Get(h); v != "" {
			t.Errorf("upload sent %s = %q, want none", h, v)
		}
	}
}

func TestDocumentsUploadEmpty(t *testing.T) {
	var length int64 = -2
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { length = r.ContentLength }))
	t.Cleanup(storage.Close)
	c := tokenClient(t, "https://app.clio.com")
	if err := c.Documents.Upload(t.Context(), storage.URL, nil, nil, 0); err != nil || length != 0 {
		t.Errorf("Documents.Upload(empty) = %v, content length %d, want nil, 0", err, length)
	}
}

func TestDocumentsUploadErrors(t *testing.T) {
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`)
	}))
	t.Cleanup(storage.Close)
	c := tokenClient(t, "https://app.clio.com")
	err := c.Documents.Upload(t.Context(), storage.URL, nil, strings.NewReader("x"), 1)
	var se *StorageError
	if !errors.As(err, &se) || !reflect.DeepEqual(se, &StorageError{StatusCode: 403, Code: "AccessDenied", Message: "Request has expired"}) {
		t.Errorf("Documents.Upload on 403 error = %#v, want *StorageError 403 AccessDenied", err)
	}
	if err != nil && err.Error() != "document storage error: 403 AccessDenied: Request has expired" {
		t.Errorf("StorageError.Error() = %q", err.Error())
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.Documents.Upload(ctx, storage.URL, nil, strings.NewReader("x"), 1); !errors.Is(err, context.Canceled) {
		t.Errorf("Documents.Upload(cancelled) error = %v, want context.Canceled", err)
	}

	tests := []struct {
		name    string
		url     string
		headers []PutHeader
		size    int64
	}{
		{"plain http elsewhere", "http://s3.example/x", nil, 1},
		{"ftp", "ftp://s3.example/x", nil, 1},
		{"no host", "https:///x", nil, 1},
		{"user info", "https://u:p@s3.example/x", nil, 1},
		{"malformed", "https://%zz", nil, 1},
		{"negative size", storage.URL, nil, -1},
		{"too big", storage.URL, nil, 100 << 20},
		{"header name with colon", storage.URL, []PutHeader{{Name: "a:b", Value: "v"}}, 1},
		{"empty header name", storage.URL, []PutHeader{{Name: " ", Value: "v"}}, 1},
		{"header value with newline", storage.URL, []PutHeader{{Name: "a", Value: "v\r\nX: y"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := c.Documents.Upload(t.Context(), tt.url, tt.headers, strings.NewReader("x"), tt.size); err == nil || !IsPermanent(err) {
				t.Errorf("Documents.Upload(%q, %v, %d) error = %v, want a permanent error", tt.url, tt.headers, tt.size, err)
			}
		})
	}
}

var storageErrorCases = []struct {
	in         string
	code, text string
}{
	{`<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`, "AccessDenied", "Request has expired"},
	{`<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code></Error>`, "SignatureDoesNotMatch", ""},
	{`<Other><Code>x</Code></Other>`, "", ""},
	{`{"error":"json"}`, "", ""},
	{``, "", ""},
	{`<Error><Code>`, "", ""},
}

func TestParseStorageError(t *testing.T) {
	for _, tt := range storageErrorCases {
		code, text := parseStorageError([]byte(tt.in))
		if code != tt.code || text != tt.text {
			t.Errorf("parseStorageError(%q) = %q, %q, want %q, %q", tt.in, code, text, tt.code, tt.text)
		}
	}
}

func FuzzParseStorageError(f *testing.F) {
	for _, tt := range storageErrorCases {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		code, text := parseStorageError(b)
		if len(code) > maxErrorText+3 || len(text) > maxErrorText+3 {
			t.Errorf("parseStorageError(%q) kept %d and %d bytes, want at most %d", b, len(code), len(text), maxErrorText+3)
		}
	})
}
