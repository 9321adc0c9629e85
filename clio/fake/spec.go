package fake

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

//go:embed spec/clio-v4-subset.json
var specJSON []byte

// schema is the subset of OpenAPI schema keywords the request bodies use.
type schema struct {
	Type       string             `json:"type"`
	Format     string             `json:"format"`
	Properties map[string]*schema `json:"properties"`
	Required   []string           `json:"required"`
	Enum       []any              `json:"enum"`
	Items      *schema            `json:"items"`
}

// spec is the parsed embedded subset of Clio's OpenAPI document.
type spec struct {
	Requests  map[string]*schema             `json:"requests"`
	Resources map[string]map[string][]string `json:"resources"`
}

// Keys of spec.Requests.
const (
	bodyContacts       = "contacts"
	bodyCommunications = "communications"
	// bodyCommunicationUpdate is PATCH /communications/{id}.json.
	bodyCommunicationUpdate = "communication_update"
	bodyActivities          = "activities"
	bodyDocuments           = "documents"
	bodyDocumentUpdate      = "document_update"
	bodyFolders             = "folders"
)

// loadSpec parses the embedded spec and applies the overlays described in
// the package documentation.
func loadSpec() (*spec, error) {
	var s spec
	if err := json.Unmarshal(specJSON, &s); err != nil {
		return nil, fmt.Errorf("parse embedded spec: %w", err)
	}
	for _, key := range []string{bodyContacts, bodyCommunications, bodyCommunicationUpdate, bodyActivities,
		bodyDocuments, bodyDocumentUpdate, bodyFolders} {
		root := s.Requests[key]
		if root == nil || root.Properties["data"] == nil {
			return nil, fmt.Errorf("embedded spec: no request body for %s", key)
		}
	}
	for _, name := range []string{"Contact", "Matter", "User", "Communication", "Activity", "Document", "Folder", "Relationship", "PhoneNumber"} {
		if len(s.Resources[name]) == 0 {
			return nil, fmt.Errorf("embedded spec: no fields for %s", name)
		}
	}
	// 2026 spec: received_at is required and is an ISO-8601 date-time.
	comm := s.Requests[bodyCommunications].Properties["data"]
	comm.Required = appendMissing(comm.Required, "received_at")
	comm.Properties["received_at"].Format = "date-time"
	s.Requests[bodyCommunicationUpdate].Properties["data"].Properties["received_at"].Format = "date-time"
	// The Contacts tag text: a Person needs a first or last name, a Company
	// a name; the handler checks that instead of the schema's "name".
	contact := s.Requests[bodyContacts].Properties["data"]
	contact.Required = []string{"type"}
	return &s, nil
}

func appendMissing(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// fieldError is one problem found in a request body.
type fieldError struct {
	Path    string // "data.matter.id"
	Problem string // "must be an integer"
	Unknown bool   // the field is not in the schema
}

func (e fieldError) String() string { return e.Path + " " + e.Problem }

// bodyError is a request body that does not satisfy its schema.
type bodyError struct {
	Malformed bool // not JSON at all: a 400, not a 422
	Fields    []fieldError
}

func (e *bodyError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return strings.Join(parts, "; ")
}

// errorType is the Clio error type for the body error.
func (e *bodyError) errorType() string {
	for _, f := range e.Fields {
		if f.Unknown {
			return "InvalidFieldsError"
		}
	}
	return "RecordInvalid"
}

// decodeBody parses a JSON body and validates it strictly against root. On
// success it returns the "data" object. Errors are *bodyError.
func decodeBody(root *schema, body []byte) (map[string]any, error) {
	return decodeBodyMode(root, body, false)
}

// decodeBodyMode is decodeBody; when lenient, keys the schema does not
// know are removed instead of reported, as Clio drops them.
func decodeBodyMode(root *schema, body []byte, lenient bool) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &bodyError{Malformed: true, Fields: []fieldError{{Path: "body", Problem: "is not valid JSON"}}}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &bodyError{Malformed: true, Fields: []fieldError{{Path: "body", Problem: "has data after the JSON value"}}}
	}
	var errs []fieldError
	root.validate("", v, lenient, &errs)
	if len(errs) > 0 {
		return nil, &bodyError{Fields: errs}
	}
	return v.(map[string]any)["data"].(map[string]any), nil
}

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// validate appends to errs every way v violates s. Object keys are visited in
// sorted order so messages are deterministic.
func (s *schema) validate(path string, v any, lenient bool, errs *[]fieldError) {
	where := path
	if where == "" {
		where = "body"
	}
	if v == nil {
		*errs = append(*errs, fieldError{Path: where, Problem: "must not be null"})
		return
	}
	switch s.Type {
	case "string":
		str, ok := v.(string)
		if !ok {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be a string"})
			return
		}
		s.checkEnum(where, str, errs)
		s.checkFormat(where, str, errs)
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be an integer"})
			return
		}
		if _, err := n.Int64(); err != nil {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be an integer"})
		}
	case "number":
		n, ok := v.(json.Number)
		if !ok {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be a number"})
			return
		}
		if _, err := n.Float64(); err != nil {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be a finite number"})
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be a boolean"})
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be an array"})
			return
		}
		if s.Items != nil {
			for i, item := range arr {
				s.Items.validate(fmt.Sprintf("%s[%d]", where, i), item, lenient, errs)
			}
		}
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be an object"})
			return
		}
		s.validateObject(path, obj, lenient, errs)
	}
}

func (s *schema) validateObject(path string, obj map[string]any, lenient bool, errs *[]fieldError) {
	for _, name := range s.Required {
		if _, ok := obj[name]; !ok {
			*errs = append(*errs, fieldError{Path: joinPath(path, name), Problem: "is required"})
		}
	}
	if len(s.Properties) == 0 {
		return // a free-form object, such as a contact's currency
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		prop, ok := s.Properties[k]
		if !ok && lenient {
			delete(obj, k)
			continue
		}
		if !ok {
			*errs = append(*errs, fieldError{Path: joinPath(path, k), Problem: "is not a known field", Unknown: true})
			continue
		}
		prop.validate(joinPath(path, k), obj[k], lenient, errs)
	}
}

func (s *schema) checkEnum(where, v string, errs *[]fieldError) {
	if len(s.Enum) == 0 {
		return
	}
	names := make([]string, 0, len(s.Enum))
	for _, e := range s.Enum {
		if e == v {
			return
		}
		names = append(names, fmt.Sprint(e))
	}
	*errs = append(*errs, fieldError{Path: where, Problem: "must be one of " + strings.Join(names, ", ")})
}

func (s *schema) checkFormat(where, v string, errs *[]fieldError) {
	switch s.Format {
	case "date":
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be an ISO-8601 date (YYYY-MM-DD)"})
		}
	case "date-time":
		if _, err := parseDateTime(v); err != nil {
			*errs = append(*errs, fieldError{Path: where, Problem: "must be an ISO-8601 date-time"})
		}
	}
}

// parseDateTime parses the ISO-8601 timestamps Clio accepts: RFC 3339, with
// or without fractional seconds.
func parseDateTime(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse date-time %q: %w", v, err)
	}
	return t, nil
}
