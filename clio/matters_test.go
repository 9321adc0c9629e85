package clio

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"
)

func TestMattersList(t *testing.T) {
	since := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		opts *MatterListOptions
		want url.Values
	}{
		{"nil options", nil, url.Values{"order": {"id(asc)"}, "limit": {"200"}}},
		{"all options", &MatterListOptions{ClientID: 987, Status: []string{"Open", " pending"}, UpdatedSince: since, Limit: 10},
			url.Values{"order": {"id(asc)"}, "limit": {"10"}, "client_id": {"987"}, "status": {"open,pending"},
				"updated_since": {"2026-05-01T00:00:00Z"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v4/matters.json", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testCommon(t, r, matterFields)
				testQuery(t, r, tt.want)
				fmt.Fprint(w, `{"data":[{"id":1,"display_number":"00001-Lee","description":"Lease dispute","status":"Open",
					"open_date":"2026-01-05","close_date":null,"last_activity_date":"2026-05-01","updated_at":"2026-05-01T10:00:00Z",
					"client":{"id":987,"name":"Ann Lee"},"responsible_attorney":{"id":123,"name":"Jane Doe"},
					"originating_attorney":{"id":124,"name":"John Roe"},"practice_area":{"id":5,"name":"Real Estate"}}],"meta":{"paging":{}}}`)
			})
			got, resp, err := c.Matters.List(t.Context(), tt.opts)
			if err != nil {
				t.Fatalf("Matters.List error = %v", err)
			}
			want := []Matter{{ID: 1, DisplayNumber: "00001-Lee", Description: "Lease dispute", Status: MatterOpen,
				Client: &Ref{ID: 987, Name: "Ann Lee"}, ResponsibleAttorney: &Ref{ID: 123, Name: "Jane Doe"},
				OriginatingAttorney: &Ref{ID: 124, Name: "John Roe"}, PracticeArea: &Ref{ID: 5, Name: "Real Estate"},
				OpenDate: "2026-01-05", LastActivityDate: "2026-05-01", UpdatedAt: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Matters.List = %+v, want %+v", got, want)
			}
			if resp.NextPage != "" {
				t.Errorf("Matters.List NextPage = %q, want empty", resp.NextPage)
			}
		})
	}
}

func TestMattersListInvalid(t *testing.T) {
	c, err := NewClient(nil, "https://app.clio.com")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts *MatterListOptions
	}{
		{"bad status", &MatterListOptions{Status: []string{"archived"}}},
		{"empty status", &MatterListOptions{Status: []string{""}}},
		{"negative client", &MatterListOptions{ClientID: -3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := c.Matters.List(t.Context(), tt.opts); err == nil || !IsPermanent(err) {
				t.Errorf("Matters.List(%+v) error = %v, want a permanent error", tt.opts, err)
			}
			if err := c.Matters.ListAll(t.Context(), tt.opts, func([]Matter) error { return nil }); err == nil || !IsPermanent(err) {
				t.Errorf("Matters.ListAll(%+v) error = %v, want a permanent error", tt.opts, err)
			}
		})
	}
}

func TestMattersListAll(t *testing.T) {
	c, mux, _ := setup(t)
	hits := pagedServer(t, mux, "/api/v4/matters.json", matterFields, []string{
		`[{"id":10,"status":"Open"}]`, `[]`, `[{"id":12,"status":"Closed"}]`,
	})
	var got []int64
	err := c.Matters.ListAll(t.Context(), &MatterListOptions{ClientID: 5}, func(ms []Matter) error {
		for _, m := range ms {
			got = append(got, m.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Matters.ListAll error = %v", err)
	}
	if want := []int64{10, 12}; !reflect.DeepEqual(got, want) || hits.Load() != 3 {
		t.Errorf("Matters.ListAll ids = %v after %d requests, want %v after 3", got, hits.Load(), want)
	}
}
