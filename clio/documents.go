package clio

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DocumentsService uploads documents (a fax PDF, say) in Clio's three
// steps: Create the record, Upload the bytes to the storage URL it returns,
// then MarkUploaded. Until the last step the document is hidden from lists
// without show_uncompleted=true, which FindByExternalProperty sends so that
// a half-done upload can be resumed on the same id and uuid.
// https://docs.developers.clio.com/api-reference/#tag/Documents
type DocumentsService struct {
	client *Client
	// storage sends the upload PUT. It is a plain client, not the API's:
	// the put_url is on the storage host and must never see the bearer
	// token or Clio's headers.
	storage *http.Client
}

func newDocumentsService(c *Client) *DocumentsService {
	return &DocumentsService{client: c, storage: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// documentFields is the fields list for documents, with the upload state
// of the latest version.
const documentFields = "id,name,filename,content_type,received_at,parent{id,name},external_properties{id,name,value}," +
	"latest_document_version{id,uuid,put_url,put_headers,fully_uploaded}"

// documentBody is what POST /documents.json is sent.
type documentBody struct {
	Name               string                 `json:"name"`
	Parent             Parent                 `json:"parent"`
	ContentType        string                 `json:"content_type,omitempty"`
	ReceivedAt         string                 `json:"received_at,omitempty"`
	Filename           string                 `json:"filename,omitempty"`
	CommunicationID    int64                  `json:"communication_id,omitempty"`
	ExternalProperties []externalPropertyBody `json:"external_properties,omitempty"`
}

// uploadedBody is what PATCH /documents/{id}.json is sent to finish an
// upload.
type uploadedBody struct {
	UUID          string `json:"uuid"`
	FullyUploaded bool   `json:"fully_uploaded"`
}

func newDocumentBody(d *DocumentCreate) (*documentBody, error) {
	if d == nil {
		return nil, &invalidRequestError{msg: "document is nil"}
	}
	if d.Name == "" {
		return nil, &invalidRequestError{msg: "document name is empty"}
	}
	if err := checkParent("document", d.Parent, ParentMatter, ParentContact, ParentFolder, ParentDocument); err != nil {
		return nil, err
	}
	if d.CommunicationID < 0 {
		return nil, &invalidRequestError{msg: fmt.Sprintf("document communication id %d is negative", d.CommunicationID)}
	}
	props, err := externalPropertyBodies("document", d.ExternalProperties)
	if err != nil {
		return nil, err
	}
	b := &documentBody{
		Name: d.Name, Parent: d.Parent, ContentType: d.ContentType, Filename: d.Filename,
		CommunicationID: d.CommunicationID, ExternalProperties: props,
	}
	if !d.ReceivedAt.IsZero() {
		b.ReceivedAt = formatTimestamp(d.ReceivedAt)
	}
	return b, nil
}

// Create makes the document record, the first upload step. The result's
// LatestDocumentVersion carries the UUID, the PutURL (valid for 10
// minutes) and the PutHeaders for Upload. Tag the document with an
// external property so that a retry can find it with FindByExternalProperty
// instead of creating a second one.
// https://docs.developers.clio.com/api-reference/#tag/Documents/operation/Document#create
func (s *DocumentsService) Create(ctx context.Context, d *DocumentCreate) (*Document, *Response, error) {
	body, err := newDocumentBody(d)
	if err != nil {
		return nil, nil, err
	}
	u := "documents.json?" + fieldsQuery(documentFields).Encode()
	return create[Document](ctx, s.client, u, body)
}

// MarkUploaded tells Clio that the bytes of version uuid of document id are
// in place, the last upload step. Clio answers UploadNotFoundError when
// the file is missing and UploadTimeoutError when it should be retried;
// marking a finished version again is an error too.
// https://docs.developers.clio.com/api-reference/#tag/Documents/operation/Document#update
func (s *DocumentsService) MarkUploaded(ctx context.Context, id int64, uuid string) (*Document, *Response, error) {
	if id <= 0 {
		return nil, nil, &invalidRequestError{msg: fmt.Sprintf("document id %d is not positive", id)}
	}
	if uuid == "" {
		return nil, nil, &invalidRequestError{msg: "document version uuid is empty"}
	}
	u := "documents/" + strconv.FormatInt(id, 10) + ".json?" + fieldsQuery(documentFields).Encode()
	req, err := s.client.newRequest(ctx, http.MethodPatch, u, &uploadedBody{UUID: uuid, FullyUploaded: true})
	if err != nil {
		return nil, nil, err
	}
	doc := new(Document)
	resp, err := s.client.do(req, doc)
	if err != nil {
		return nil, resp, err
	}
	return doc, resp, nil
}

// FindByExternalProperty returns the documents, finished or not, that
// carry the external property name=value (an exact match), in id order,
// with the upload state of their latest version (fully_uploaded). It asks
// for external_properties and keeps only the records that really carry
// it, so a server that ignores the filter cannot pass off an unrelated
// document; such a server's list is read for at most 10 pages of 200.
// https://docs.developers.clio.com/api-reference/#tag/Documents/operation/Document#index
func (s *DocumentsService) FindByExternalProperty(ctx context.Context, name, value string) ([]Document, *Response, error) {
	if name == "" || value == "" {
		return nil, nil, &invalidRequestError{msg: "external property name and value must not be empty"}
	}
	q := fieldsQuery(documentFields)
	q.Set("external_property_name", name)
	q.Set("external_property_value", value)
	q.Set("show_uncompleted", "true")
	q.Set("order", orderByID)
	q.Set("limit", strconv.Itoa(maxLimit))
	return lookup(ctx, s.client, "documents.json?"+q.Encode(), documentFields, func(d Document) bool {
		return HasExternalProperty(d.ExternalProperties, name, value)
	})
}

// Upload sends the document's bytes to putURL, the second upload step:
// one PUT of exactly size bytes from body, carrying every header of
// headers (a version's PutHeaders) and none of the API's — no bearer
// token, no X-API-VERSION. putURL must be https (any host: it is Clio's
// storage, not the API host), or http on a loopback host for tests. A
// non-2xx answer is a *StorageError. Files of 100 MB or more need Clio's
// multipart upload, which this does not do.
// https://docs.developers.clio.com/api-reference/#tag/Documents
func (s *DocumentsService) Upload(ctx context.Context, putURL string, headers []PutHeader, body io.Reader, size int64) error {
	u, err := checkPutURL(putURL)
	if err != nil {
		return err
	}
	if size < 0 {
		return &invalidRequestError{msg: fmt.Sprintf("upload size %d is negative", size)}
	}
	if size > maxSingleUpload {
		return &invalidRequestError{msg: fmt.Sprintf("upload size %d needs a multipart upload", size)}
	}
	if body == nil || size == 0 {
		body = http.NoBody
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), body)
	if err != nil {
		return fmt.Errorf("build document upload request: %w", err)
	}
	req.ContentLength = size
	req.Header.Set("User-Agent", userAgent)
	for _, h := range headers {
		name := strings.TrimSpace(h.Name)
		if name == "" || strings.ContainsAny(name, " :\r\n") || strings.ContainsAny(h.Value, "\r\n") {
			return &invalidRequestError{msg: fmt.Sprintf("upload header %q is malformed", h.Name)}
		}
		req.Header.Add(name, h.Value)
	}
	resp, err := s.storage.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = ctxErr
		}
		return fmt.Errorf("send document upload: %w", err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBodyBytes))
		_ = resp.Body.Close()
	}()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
	code, msg := parseStorageError(b)
	return &StorageError{StatusCode: resp.StatusCode, Code: code, Message: msg}
}

// maxSingleUpload is the largest file Clio takes in one PUT; from 100 MB
// on it asks for a multipart upload.
const maxSingleUpload = 100<<20 - 1

// checkPutURL accepts an https URL on any host, or plain http on a
// loopback host.
func checkPutURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" || u.User != nil {
		return nil, &invalidRequestError{msg: "malformed document upload url"}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, &invalidRequestError{msg: "document upload url uses plain http for a non-loopback host"}
		}
	default:
		return nil, &invalidRequestError{msg: fmt.Sprintf("document upload url scheme %q not supported", u.Scheme)}
	}
	return u, nil
}

// StorageError is a non-2xx answer from the storage service a document's
// bytes are PUT to. Code and Message come from its XML error body
// (<Error><Code>…</Code><Message>…</Message></Error>) when it has one. A
// 403 usually means the put_url expired (after 10 minutes) or a put_headers
// header was not sent.
type StorageError struct {
	StatusCode int
	Code       string
	Message    string
}

func (e *StorageError) Error() string {
	return "document storage error: " + describe(e.StatusCode, e.Code, e.Message)
}

// parseStorageError reads an S3-style XML error body. Anything else yields
// empty strings.
func parseStorageError(body []byte) (code, msg string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '<' {
		return "", ""
	}
	var e struct {
		XMLName xml.Name `xml:"Error"`
		Code    string   `xml:"Code"`
		Message string   `xml:"Message"`
	}
	if err := xml.Unmarshal(body, &e); err != nil {
		return "", ""
	}
	return clean(e.Code), clean(e.Message)
}
