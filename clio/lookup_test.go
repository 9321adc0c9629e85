package clio

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
)

func TestHasExternalProperty(t *testing.T) {
	props := []ExternalProperty{{Name: "a", Value: "1"}, {Name: "calldocket_event_id", Value: "call-1"}}
	tests := []struct {
		name, value string
		want        bool
	}{
		{"calldocket_event_id", "call-1", true},
		{"a", "1", true},
		{"calldocket_event_id", "call-10", false},
		{"calldocket_event_id", "CALL-1", false},
		{"calldocket_event_id", "call", false},
		{"a", "call-1", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := HasExternalProperty(props, tt.name, tt.value); got != tt.want {
			t.Errorf("HasExternalProperty(%q, %q) = %t, want %t", tt.name, tt.value, got, tt.want)
		}
	}
	if HasExternalProperty(nil, "a", "1") {
		t.Error("HasExternalProperty(nil) = true, want false")
	}
}

// ignoringServer answers every list with pages of unrelated records, as a
// server that ignores the external property filter does, and puts the
// record that carries the value on page match (0 for none). It counts the
// pages served.
func ignoringServer(t *testing.T, match, pages int) (*Client, *int) {
	t.Helper()
	c, mux, base := setup(t)
	served := new(int)
	mux.HandleFunc("/api/v4/communications.json", func(w http.ResponseWriter, r *http.Request) {
		*served++
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if n == 0 {
			n = 1
		}
		value := "call-other"
		if n == match {
			value = "call-1"
		}
		next := ""
		if n < pages {
			next = fmt.Sprintf(`"next":"%s/api/v4/communications.json?page=%d"`, base, n+1)
		}
		fmt.Fprintf(w, `{"data":[{"id":%d,"external_properties":[{"name":"calldocket_event_id","value":"call-other"}]},
			{"id":%d,"external_properties":[{"name":"calldocket_event_id","value":%q}]}],"meta":{"paging":{%s}}}`,
			2*n, 2*n+1, value, next)
	})
	return c, served
}

// TestLookupReadsPastUnrelatedPages: a server that ignores the filter puts
// the matching record on page 3; the lookup reads on and returns only it.
func TestLookupReadsPastUnrelatedPages(t *testing.T) {
	c, served := ignoringServer(t, 3, 4)
	got, resp, err := c.Communications.ListByExternalProperty(t.Context(), "calldocket_event_id", "call-1")
	if err != nil {
		t.Fatalf("ListByExternalProperty error = %v", err)
	}
	if len(got) != 1 || got[0].ID != 7 {
		t.Errorf("ListByExternalProperty = %+v, want only communication 7", got)
	}
	if resp == nil || *served != 4 {
		t.Errorf("pages read = %d (response %v), want all 4", *served, resp)
	}
}

// TestLookupStopsAfterMaxPages: an endless unrelated list is read for at
// most maxLookupPages pages and yields nothing.
func TestLookupStopsAfterMaxPages(t *testing.T) {
	c, served := ignoringServer(t, 0, 1000)
	got, _, err := c.Communications.ListByExternalProperty(t.Context(), "calldocket_event_id", "call-1")
	if err != nil || len(got) != 0 {
		t.Errorf("ListByExternalProperty = %+v, %v, want nothing", got, err)
	}
	if *served != maxLookupPages {
		t.Errorf("pages read = %d, want %d", *served, maxLookupPages)
	}
}

func TestLookupPagingLoop(t *testing.T) {
	c, mux, base := setup(t)
	mux.HandleFunc("/api/v4/documents.json", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"data":[{"id":1}],"meta":{"paging":{"next":"%s/api/v4/documents.json?same=1"}}}`, base)
	})
	_, _, err := c.Documents.FindByExternalProperty(t.Context(), "calldocket_event_id", "fax-1")
	if !errors.Is(err, errPagingLoop) {
		t.Errorf("FindByExternalProperty on a looping next link error = %v, want %v", err, errPagingLoop)
	}
}
