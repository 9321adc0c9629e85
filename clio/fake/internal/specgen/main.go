// Command specgen extracts the parts of Clio's published OpenAPI document
// that the fake server needs into a small JSON file the fake embeds:
//
//   - the application/json request-body schemas of POST /contacts.json,
//     POST /communications.json, PATCH /communications/{id}.json,
//     POST /activities.json, POST /documents.json,
//     PATCH /documents/{id}.json and POST /folders.json, with descriptions,
//     defaults and examples stripped;
//   - for the Contact, Matter, User, Communication, Activity, Document,
//     Folder, Relationship and PhoneNumber read schemas,
//     every top-level field name and, for nested records, the field names of
//     the nested schema (what `fields=a{b,c}` may name).
//
// Usage (from clio/fake):
//
//	go run ./internal/specgen -in ../testdata/clio-api-v4-openapi.json -out spec/clio-v4-subset.json
//
// The input is the project's vendored copy of Clio's OpenAPI document
// (clio/testdata/clio-api-v4-openapi.json; spec/README.md names its source).
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// operation is a request body's method and path in the spec.
type operation struct{ method, path string }

// requests maps the key used in the output to the operation in the spec.
var requests = map[string]operation{
	"contacts":             {"post", "/contacts.json"},
	"communications":       {"post", "/communications.json"},
	"communication_update": {"patch", "/communications/{id}.json"},
	"activities":           {"post", "/activities.json"},
	"documents":            {"post", "/documents.json"},
	"document_update":      {"patch", "/documents/{id}.json"},
	"folders":              {"post", "/folders.json"},
}

var resources = []string{"Contact", "Matter", "User", "Communication", "Activity",
	"Document", "Folder", "Relationship", "PhoneNumber"}

// keep lists the schema keywords copied to the output.
var keep = map[string]bool{
	"type": true, "properties": true, "required": true, "enum": true,
	"items": true, "format": true,
}

type output struct {
	Source    string                         `json:"source"`
	SHA256    string                         `json:"sha256"`
	Requests  map[string]any                 `json:"requests"`
	Resources map[string]map[string][]string `json:"resources"`
}

func main() {
	in := flag.String("in", "../testdata/clio-api-v4-openapi.json", "Clio OpenAPI v4 document")
	out := flag.String("out", "spec/clio-v4-subset.json", "output file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "specgen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("read spec: %w", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("parse spec: %w", err)
	}
	sum := sha256.Sum256(raw)
	o := output{
		Source:    "Clio Manage API v4 OpenAPI (" + filepath.Base(in) + ")",
		SHA256:    hex.EncodeToString(sum[:]),
		Requests:  map[string]any{},
		Resources: map[string]map[string][]string{},
	}
	for key, op := range requests {
		s, err := dig(doc, "paths", op.path, op.method, "requestBody", "content", "application/json", "schema")
		if err != nil {
			return fmt.Errorf("request body of %s %s: %w", strings.ToUpper(op.method), op.path, err)
		}
		o.Requests[key] = strip(s)
	}
	schemas, err := dig(doc, "components", "schemas")
	if err != nil {
		return err
	}
	sm, ok := schemas.(map[string]any)
	if !ok {
		return errors.New("components.schemas is not an object")
	}
	for _, name := range resources {
		fields, err := fieldsOf(sm, name)
		if err != nil {
			return fmt.Errorf("fields of %s: %w", name, err)
		}
		o.Resources[name] = fields
	}
	b, err := json.MarshalIndent(o, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

func dig(v any, keys ...string) (any, error) {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q: parent is not an object", k)
		}
		if v, ok = m[k]; !ok {
			return nil, fmt.Errorf("%q: missing", k)
		}
	}
	return v, nil
}

// strip keeps only the validation keywords of a schema, recursively.
func strip(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	res := map[string]any{}
	for k, val := range m {
		if !keep[k] {
			continue
		}
		switch k {
		case "properties":
			props := map[string]any{}
			for pk, pv := range val.(map[string]any) {
				props[pk] = strip(pv)
			}
			res[k] = props
		case "items":
			res[k] = strip(val)
		default:
			res[k] = val
		}
	}
	return res
}

// properties returns the property map of a schema, following $ref and allOf.
func properties(schemas map[string]any, s any) (map[string]any, error) {
	m, ok := s.(map[string]any)
	if !ok {
		return nil, errors.New("schema is not an object")
	}
	if ref, ok := m["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, ok := schemas[name]
		if !ok {
			return nil, fmt.Errorf("unknown $ref %s", ref)
		}
		return properties(schemas, target)
	}
	res := map[string]any{}
	if all, ok := m["allOf"].([]any); ok {
		for _, part := range all {
			p, err := properties(schemas, part)
			if err != nil {
				return nil, err
			}
			for k, v := range p {
				res[k] = v
			}
		}
	}
	if p, ok := m["properties"].(map[string]any); ok {
		for k, v := range p {
			res[k] = v
		}
	}
	return res, nil
}

func fieldsOf(schemas map[string]any, name string) (map[string][]string, error) {
	props, err := properties(schemas, schemas[name])
	if err != nil {
		return nil, err
	}
	res := map[string][]string{}
	for field, p := range props {
		pm, _ := p.(map[string]any)
		target := pm
		if items, ok := pm["items"].(map[string]any); ok {
			target = items
		}
		if _, isRef := target["$ref"]; !isRef {
			res[field] = []string{}
			continue
		}
		nested, err := properties(schemas, target)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		names := make([]string, 0, len(nested))
		for n := range nested {
			names = append(names, n)
		}
		sort.Strings(names)
		res[field] = names
	}
	return res, nil
}
