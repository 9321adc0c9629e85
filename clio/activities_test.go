package clio

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

func sampleActivity() *ActivityCreate {
	return &ActivityCreate{Type: ActivityTimeEntry, Date: "2026-05-04", Quantity: 432, Note: "Call re lease",
		NonBillable: false, Matter: &IDRef{ID: 1}, User: &IDRef{ID: 123}, Communication: &IDRef{ID: 555}}
}

func TestActivitiesCreate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/activities.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testCommon(t, r, activityFields)
		testQuery(t, r, url.Values{})
		testBody(t, r, `{"type":"TimeEntry","date":"2026-05-04","quantity":432,"note":"Call re lease",
			"non_billable":false,"matter":{"id":1},"user":{"id":123},"communication":{"id":555}}`)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"data":{"id":777,"type":"TimeEntry","date":"2026-05-04","quantity":432.0,"note":"Call re lease",
			"non_billable":false,"matter":{"id":1},"user":{"id":123},"communication":{"id":555}}}`)
	})
	got, _, err := c.Activities.Create(t.Context(), sampleActivity())
	if err != nil {
		t.Fatalf("Activities.Create error = %v", err)
	}
	want := &Activity{ID: 777, Type: ActivityTimeEntry, Date: "2026-05-04", Quantity: 432, Note: "Call re lease",
		Matter: &Ref{ID: 1}, User: &Ref{ID: 123}, Communication: &Ref{ID: 555}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Activities.Create = %+v, want %+v", got, want)
	}
}

func TestActivitiesCreateInvalid(t *testing.T) {
	c, err := NewClient(nil, "https://app.clio.com")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(*ActivityCreate)
	}{
		{"no type", func(a *ActivityCreate) { a.Type = "" }},
		{"no date", func(a *ActivityCreate) { a.Date = "" }},
		{"bad date", func(a *ActivityCreate) { a.Date = "05/04/2026" }},
		{"negative quantity", func(a *ActivityCreate) { a.Quantity = -1 }},
		{"zero matter", func(a *ActivityCreate) { a.Matter = &IDRef{} }},
		{"zero user", func(a *ActivityCreate) { a.User = &IDRef{} }},
		{"zero communication", func(a *ActivityCreate) { a.Communication = &IDRef{ID: -2} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sampleActivity()
			tt.mutate(a)
			if _, _, err := c.Activities.Create(t.Context(), a); err == nil || !IsPermanent(err) {
				t.Errorf("Activities.Create(%s) error = %v, want a permanent error", tt.name, err)
			}
		})
	}
	if _, _, err := c.Activities.Create(t.Context(), nil); err == nil {
		t.Error("Activities.Create(nil) error = nil, want error")
	}
}

func TestActivitiesListByCommunication(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/activities.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testCommon(t, r, activityFields)
		testQuery(t, r, url.Values{"communication_id": {"555"}, "type": {"TimeEntry"}, "order": {"id(asc)"}, "limit": {"200"}})
		// 776 (another communication's) and 778 (no communication) are
		// what a server that ignores the filter sends.
		fmt.Fprint(w, `{"data":[{"id":776,"type":"TimeEntry","communication":{"id":554}},
			{"id":777,"type":"TimeEntry","quantity":null,"communication":{"id":555}},{"id":778,"type":"TimeEntry"}],"meta":{"paging":{}}}`)
	})
	got, _, err := c.Activities.ListByCommunication(t.Context(), 555)
	if err != nil {
		t.Fatalf("Activities.ListByCommunication(555) error = %v", err)
	}
	if want := []Activity{{ID: 777, Type: ActivityTimeEntry, Communication: &Ref{ID: 555}}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Activities.ListByCommunication(555) = %+v, want %+v", got, want)
	}
	if _, _, err := c.Activities.ListByCommunication(t.Context(), 0); err == nil || !IsPermanent(err) {
		t.Errorf("Activities.ListByCommunication(0) error = %v, want a permanent error", err)
	}
}
