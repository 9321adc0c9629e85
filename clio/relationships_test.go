package clio

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"
)

func TestRelationshipsListByContact(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/relationships.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testCommon(t, r, relationshipFields)
		testQuery(t, r, url.Values{"contact_id": {"42"}, "limit": {"200"}})
		fmt.Fprint(w, `{"data":[{"id":8,"description":"Opposing party",
			"matter":{"id":1,"display_number":"00001-Lee","description":"Lease dispute","status":"Open"},
			"contact":{"id":42,"name":"Bo Park"}}],"meta":{"paging":{}}}`)
	})
	got, _, err := c.Relationships.ListByContact(t.Context(), 42)
	if err != nil {
		t.Fatalf("Relationships.ListByContact(42) error = %v", err)
	}
	want := []Relationship{{ID: 8, Description: "Opposing party",
		Matter:  &Matter{ID: 1, DisplayNumber: "00001-Lee", Description: "Lease dispute", Status: MatterOpen},
		Contact: &Ref{ID: 42, Name: "Bo Park"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Relationships.ListByContact(42) = %+v, want %+v", got, want)
	}
}

func TestRelationshipsListAllByContact(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/relationships.json", func(w http.ResponseWriter, r *http.Request) {
		testCommon(t, r, relationshipFields)
		if r.URL.Query().Get("contact_id") != "42" {
			t.Errorf("contact_id = %q, want 42", r.URL.Query().Get("contact_id"))
		}
		if r.URL.Query().Get("page_token") == "" {
			fmt.Fprintf(w, `{"data":[{"id":1,"matter":{"id":10}}],"meta":{"paging":{"next":"http://%s/api/v4/relationships.json?contact_id=42&page_token=p2"}}}`, r.Host)
			return
		}
		fmt.Fprint(w, `{"data":[{"id":2,"matter":{"id":11}}],"meta":{"paging":{}}}`)
	})
	var matters []int64
	err := c.Relationships.ListAllByContact(t.Context(), 42, func(rs []Relationship) error {
		for _, r := range rs {
			matters = append(matters, r.Matter.ID)
		}
		return nil
	})
	if err != nil || !reflect.DeepEqual(matters, []int64{10, 11}) {
		t.Errorf("Relationships.ListAllByContact(42) matters = %v, %v, want [10 11]", matters, err)
	}
	for _, id := range []int64{0, -3} {
		if _, _, err := c.Relationships.ListByContact(t.Context(), id); err == nil || !IsPermanent(err) {
			t.Errorf("Relationships.ListByContact(%d) error = %v, want a permanent error", id, err)
		}
		if err := c.Relationships.ListAllByContact(t.Context(), id, func([]Relationship) error { return nil }); err == nil || !IsPermanent(err) {
			t.Errorf("Relationships.ListAllByContact(%d) error = %v, want a permanent error", id, err)
		}
	}
}

func TestRelationshipsList(t *testing.T) {
	since := time.Date(2026, 5, 1, 9, 0, 0, 0, time.FixedZone("EDT", -4*3600))
	tests := []struct {
		name string
		opts *RelationshipListOptions
		want url.Values
	}{
		{"nil options", nil, url.Values{"limit": {"200"}}},
		{"all options", &RelationshipListOptions{ContactID: 42, MatterID: 1, UpdatedSince: since, Limit: 20},
			url.Values{"contact_id": {"42"}, "matter_id": {"1"}, "updated_since": {"2026-05-01T13:00:00Z"}, "limit": {"20"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v4/relationships.json", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testCommon(t, r, relationshipFields)
				testQuery(t, r, tt.want)
				fmt.Fprint(w, `{"data":[{"id":8,"matter":{"id":1}}]}`)
			})
			got, _, err := c.Relationships.List(t.Context(), tt.opts)
			if want := []Relationship{{ID: 8, Matter: &Matter{ID: 1}}}; err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Relationships.List(%+v) = %+v, %v, want %+v", tt.opts, got, err, want)
			}
			if err := c.Relationships.ListAll(t.Context(), tt.opts, func([]Relationship) error { return nil }); err != nil {
				t.Errorf("Relationships.ListAll(%+v) error = %v", tt.opts, err)
			}
		})
	}
	c, _, _ := setup(t)
	for _, opts := range []*RelationshipListOptions{{ContactID: -1}, {MatterID: -1}} {
		if _, _, err := c.Relationships.List(t.Context(), opts); err == nil || !IsPermanent(err) {
			t.Errorf("Relationships.List(%+v) error = %v, want a permanent error", opts, err)
		}
	}
}
