package clio

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

func sampleFolder() *FolderCreate {
	return &FolderCreate{Name: "Faxes", Parent: Parent{ID: 1, Type: ParentMatter},
		ExternalProperties: []ExternalProperty{{ID: 3, Name: "calldocket_folder", Value: "faxes-1"}}}
}

func TestFoldersCreate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/folders.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testCommon(t, r, folderFields)
		testQuery(t, r, url.Values{})
		testBody(t, r, `{"name":"Faxes","parent":{"id":1,"type":"Matter"},
			"external_properties":[{"name":"calldocket_folder","value":"faxes-1"}]}`)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"data":{"id":50,"name":"Faxes","root":false,"parent":{"id":49,"name":"00001-Lee"},
			"external_properties":[{"id":4,"name":"calldocket_folder","value":"faxes-1"}]}}`)
	})
	got, _, err := c.Folders.Create(t.Context(), sampleFolder())
	if err != nil {
		t.Fatalf("Folders.Create error = %v", err)
	}
	want := &Folder{ID: 50, Name: "Faxes", Parent: &Ref{ID: 49, Name: "00001-Lee"},
		ExternalProperties: []ExternalProperty{{ID: 4, Name: "calldocket_folder", Value: "faxes-1"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Folders.Create = %+v, want %+v", got, want)
	}
}

func TestFoldersCreateRejects(t *testing.T) {
	tests := []struct {
		name   string
		change func(*FolderCreate)
	}{
		{"no name", func(f *FolderCreate) { f.Name = "" }},
		{"no parent id", func(f *FolderCreate) { f.Parent.ID = 0 }},
		{"document parent", func(f *FolderCreate) { f.Parent.Type = ParentDocument }},
		{"empty parent type", func(f *FolderCreate) { f.Parent.Type = "" }},
		{"unnamed property", func(f *FolderCreate) { f.ExternalProperties[0].Name = "" }},
		{"six properties", func(f *FolderCreate) {
			f.ExternalProperties = make([]ExternalProperty, 6)
			for i := range f.ExternalProperties {
				f.ExternalProperties[i] = ExternalProperty{Name: fmt.Sprint("p", i), Value: "v"}
			}
		}},
	}
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("invalid folder was sent: %s %s", r.Method, r.URL.Path)
	})
	if _, _, err := c.Folders.Create(t.Context(), nil); err == nil || !IsPermanent(err) {
		t.Errorf("Folders.Create(nil) error = %v, want a permanent error", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := sampleFolder()
			tt.change(f)
			if _, _, err := c.Folders.Create(t.Context(), f); err == nil || !IsPermanent(err) {
				t.Errorf("Folders.Create(%+v) error = %v, want a permanent error", f, err)
			}
		})
	}
}

func TestFoldersFind(t *testing.T) {
	tests := []struct {
		name  string
		owner Parent
		key   string
	}{
		{"matter", Parent{ID: 1, Type: ParentMatter}, "matter_id"},
		{"contact", Parent{ID: 42, Type: ParentContact}, "contact_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			requests := 0
			mux.HandleFunc("/api/v4/folders.json", func(w http.ResponseWriter, r *http.Request) {
				requests++
				testMethod(t, r, http.MethodGet)
				testCommon(t, r, folderFields)
				q := r.URL.Query()
				if q.Get("page_token") == "" {
					testQuery(t, r, url.Values{tt.key: {fmt.Sprint(tt.owner.ID)}, "query": {"Faxes"}, "order": {"id(asc)"}, "limit": {"200"}})
					fmt.Fprintf(w, `{"data":[{"id":5,"name":"Faxes 2025"},{"id":6,"name":"Faxes"}],
						"meta":{"paging":{"next":"http://%s/api/v4/folders.json?page_token=p2&query=Faxes"}}}`, r.Host)
					return
				}
				fmt.Fprint(w, `{"data":[{"id":7,"name":"faxes"},{"id":8,"name":"Faxes"}],"meta":{"paging":{}}}`)
			})
			got, err := c.Folders.Find(t.Context(), tt.owner, "Faxes")
			if err != nil {
				t.Fatalf("Folders.Find(%+v, Faxes) error = %v", tt.owner, err)
			}
			if want := []Folder{{ID: 6, Name: "Faxes"}, {ID: 8, Name: "Faxes"}}; !reflect.DeepEqual(got, want) || requests != 2 {
				t.Errorf("Folders.Find(%+v, Faxes) = %+v in %d requests, want %+v in 2", tt.owner, got, requests, want)
			}
		})
	}
}

func TestFoldersFindRejects(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("invalid request was sent: %s %s", r.Method, r.URL.Path)
	})
	tests := []struct {
		owner Parent
		name  string
	}{
		{Parent{ID: 1, Type: ParentFolder}, "Faxes"},
		{Parent{ID: 0, Type: ParentMatter}, "Faxes"},
		{Parent{ID: 1, Type: ParentMatter}, ""},
	}
	for _, tt := range tests {
		if _, err := c.Folders.Find(t.Context(), tt.owner, tt.name); err == nil || !IsPermanent(err) {
			t.Errorf("Folders.Find(%+v, %q) error = %v, want a permanent error", tt.owner, tt.name, err)
		}
	}
	if _, _, err := c.Folders.FindByExternalProperty(t.Context(), "", "v"); err == nil || !IsPermanent(err) {
		t.Errorf("Folders.FindByExternalProperty(\"\", v) error = %v, want a permanent error", err)
	}
}

func TestFoldersFindByExternalProperty(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/folders.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testCommon(t, r, folderFields)
		testQuery(t, r, url.Values{"external_property_name": {"calldocket_folder"}, "external_property_value": {"faxes-1"},
			"order": {"id(asc)"}, "limit": {"200"}})
		fmt.Fprint(w, `{"data":[{"id":49,"name":"Faxes","external_properties":[{"id":1,"name":"calldocket_folder","value":"faxes-2"}]},
			{"id":50,"name":"Faxes","external_properties":[{"id":2,"name":"calldocket_folder","value":"faxes-1"}]}]}`)
	})
	got, _, err := c.Folders.FindByExternalProperty(t.Context(), "calldocket_folder", "faxes-1")
	if want := []Folder{{ID: 50, Name: "Faxes", ExternalProperties: []ExternalProperty{{ID: 2, Name: "calldocket_folder", Value: "faxes-1"}}}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Folders.FindByExternalProperty = %+v, %v, want %+v", got, err, want)
	}
}
