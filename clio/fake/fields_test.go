package fake

import (
	"errors"
	"net/http"
	"reflect"
	"testing"
)

var parseFieldsCases = []struct {
	in      string
	want    selection
	wantErr bool
}{
	{"", nil, false},
	{"id", selection{"id": nil}, false},
	{"id,etag,type", selection{"id": nil, "etag": nil, "type": nil}, false},
	{"id,matter{id,description}", selection{"id": nil, "matter": {"id": nil, "description": nil}}, false},
	{"matter{id},client{name},id", selection{"matter": {"id": nil}, "client": {"name": nil}, "id": nil}, false},
	{"id, name ", selection{"id": nil, "name": nil}, false},
	{"id,,name", selection{"id": nil, "name": nil}, false},
	{"matter{client{date_of_birth}}", nil, true},
	{"a{b{c}}", nil, true},
	{"matter{id", nil, true},
	{"matter}", nil, true},
	{"{id}", nil, true},
	{"matter{}", nil, true},
	{"matter{id}x", nil, true},
	{"matter{id}{name}", nil, true},
	{"na me", nil, true},
	{"id;drop", nil, true},
}

func TestParseFields(t *testing.T) {
	for _, tc := range parseFieldsCases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseFields(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("parseFields(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			}
			if !tc.wantErr && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseFields(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzParseFields(f *testing.F) {
	for _, tc := range parseFieldsCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sel, err := parseFields(in)
		if err != nil {
			var fe *fieldsError
			if !errors.As(err, &fe) {
				t.Fatalf("parseFields(%q) error = %#v, want *fieldsError", in, err)
			}
			return
		}
		for name, sub := range sel {
			if !validFieldName(name) {
				t.Fatalf("parseFields(%q) name %q is not valid", in, name)
			}
			for n, deeper := range sub {
				if deeper != nil || !validFieldName(n) {
					t.Fatalf("parseFields(%q) nested %q/%q deeper than one level or invalid", in, name, n)
				}
			}
		}
		_ = sel.apply(map[string]any{"id": 1, "matter": map[string]any{"id": 2}, "list": []any{map[string]any{"a": 1}}})
	})
}

func TestFieldsOverHTTP(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/api/v4/matters.json?fields=id,client{id,name}&limit=1", 200},
		{"/api/v4/matters.json?fields=id,matter{client{date_of_birth}}", 400},
		{"/api/v4/matters.json?fields=id,client{client{id}}", 400},
		{"/api/v4/matters.json?fields=id,colour", 400},
		{"/api/v4/communications.json?fields=id,senders{id,type,name},external_properties{name,value}", 200},
		{"/api/v4/activities.json?fields=id,quantity,bogus", 400},
		{"/api/v4/users/who_am_i.json?fields=id,account{id,name}", 200},
		{"/api/v4/users/who_am_i.json?fields=id,account{id,name{first}}", 400},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := get(t, ts.URL+tc.path)
			if r.Status != tc.status {
				t.Fatalf("GET %s status = %d, want %d (body %s)", tc.path, r.Status, tc.status, r.Raw)
			}
			if tc.status == http.StatusBadRequest {
				if typ, _ := errorObject(t, r); typ != "InvalidFieldsError" {
					t.Errorf("type = %q, want InvalidFieldsError", typ)
				}
			}
		})
	}
	r := get(t, ts.URL+"/api/v4/matters.json?fields=id,client{name}&limit=1")
	rec := dataList(t, r)[0]
	client := rec["client"].(map[string]any)
	if len(rec) != 2 || len(client) != 1 || client["name"] == nil {
		t.Errorf("matter with fields=id,client{name} = %v, want id and client{name} only", rec)
	}
}
