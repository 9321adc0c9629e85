package clio

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"
)

func TestPhoneNumbersList(t *testing.T) {
	since := time.Date(2026, 5, 1, 9, 30, 0, 0, time.FixedZone("EDT", -4*3600))
	tests := []struct {
		name string
		opts *PhoneNumberListOptions
		want url.Values
	}{
		{"nil options", nil, url.Values{"limit": {"200"}}},
		{"all options", &PhoneNumberListOptions{UpdatedSince: since, Limit: 20},
			url.Values{"limit": {"20"}, "updated_since": {"2026-05-01T13:30:00Z"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v4/contacts/42/phone_numbers.json", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testCommon(t, r, phoneNumberFields)
				testQuery(t, r, tt.want)
				fmt.Fprint(w, `{"data":[{"id":3,"number":"(212) 555-0123","name":"Work","primary":true}],"meta":{"paging":{}}}`)
			})
			got, resp, err := c.PhoneNumbers.List(t.Context(), 42, tt.opts)
			if err != nil {
				t.Fatalf("PhoneNumbers.List(42) error = %v", err)
			}
			want := []PhoneNumber{{ID: 3, Number: "(212) 555-0123", Name: "Work", Primary: true}}
			if !reflect.DeepEqual(got, want) || resp.NextPage != "" {
				t.Errorf("PhoneNumbers.List(42) = %+v, next %q, want %+v, no next", got, resp.NextPage, want)
			}
		})
	}
}

func TestPhoneNumbersListAll(t *testing.T) {
	c, mux, _ := setup(t)
	var pages int
	mux.HandleFunc("/api/v4/contacts/42/phone_numbers.json", func(w http.ResponseWriter, r *http.Request) {
		testCommon(t, r, phoneNumberFields)
		if r.URL.Query().Get("page_token") == "" {
			fmt.Fprintf(w, `{"data":[{"id":1,"number":"1"}],"meta":{"paging":{"next":"http://%s/api/v4/contacts/42/phone_numbers.json?page_token=p2&limit=200"}}}`, r.Host)
			return
		}
		fmt.Fprint(w, `{"data":[{"id":2,"number":"2"}],"meta":{"paging":{}}}`)
	})
	var got []int64
	err := c.PhoneNumbers.ListAll(t.Context(), 42, nil, func(ps []PhoneNumber) error {
		pages++
		for _, p := range ps {
			got = append(got, p.ID)
		}
		return nil
	})
	if err != nil || !reflect.DeepEqual(got, []int64{1, 2}) || pages != 2 {
		t.Errorf("PhoneNumbers.ListAll(42) = %v in %d pages, %v, want [1 2] in 2 pages", got, pages, err)
	}
}

func TestPhoneNumbersRejects(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("invalid request was sent: %s %s", r.Method, r.URL.Path)
	})
	for _, id := range []int64{0, -1} {
		if _, _, err := c.PhoneNumbers.List(t.Context(), id, nil); err == nil || !IsPermanent(err) {
			t.Errorf("PhoneNumbers.List(%d) error = %v, want a permanent error", id, err)
		}
		if err := c.PhoneNumbers.ListAll(t.Context(), id, nil, func([]PhoneNumber) error { return nil }); err == nil || !IsPermanent(err) {
			t.Errorf("PhoneNumbers.ListAll(%d) error = %v, want a permanent error", id, err)
		}
	}
}
