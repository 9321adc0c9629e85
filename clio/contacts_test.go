package clio

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync/atomic"
	"testing"
	"time"
)

func TestContactsList(t *testing.T) {
	since := time.Date(2026, 5, 1, 9, 30, 15, 999, time.FixedZone("EDT", -4*3600))
	tests := []struct {
		name string
		opts *ContactListOptions
		want url.Values
	}{
		{"nil options", nil, url.Values{"order": {"id(asc)"}, "limit": {"200"}}},
		{"all options", &ContactListOptions{UpdatedSince: since, Query: "+12125550123", Limit: 50},
			url.Values{"order": {"id(asc)"}, "limit": {"50"}, "updated_since": {"2026-05-01T13:30:15Z"}, "query": {"+12125550123"}}},
		{"limit too big", &ContactListOptions{Limit: 5000}, url.Values{"order": {"id(asc)"}, "limit": {"200"}}},
		{"limit negative", &ContactListOptions{Limit: -1}, url.Values{"order": {"id(asc)"}, "limit": {"200"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v4/contacts.json", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testCommon(t, r, contactFields)
				testQuery(t, r, tt.want)
				fmt.Fprint(w, `{"data":[{"id":1,"name":"Ann Lee","first_name":"Ann","last_name":"Lee","type":"Person",
					"is_client":true,"created_at":"2026-01-02T03:04:05-05:00","updated_at":"2026-05-01T10:00:00Z",
					"company":{"id":9,"name":"Lee Co"},
					"phone_numbers":[{"id":3,"number":"(212) 555-0123","name":"Work","primary":true}]}],
					"meta":{"paging":{"next":"https://app.clio.example/x"}}}`)
			})
			got, resp, err := c.Contacts.List(t.Context(), tt.opts)
			if err != nil {
				t.Fatalf("Contacts.List error = %v", err)
			}
			want := []Contact{{ID: 1, Name: "Ann Lee", FirstName: "Ann", LastName: "Lee", Type: ContactPerson, IsClient: true,
				Company:      &Ref{ID: 9, Name: "Lee Co"},
				PhoneNumbers: []PhoneNumber{{ID: 3, Number: "(212) 555-0123", Name: "Work", Primary: true}},
				CreatedAt:    time.Date(2026, 1, 2, 8, 4, 5, 0, time.UTC), UpdatedAt: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}}
			if len(got) != 1 || !got[0].CreatedAt.Equal(want[0].CreatedAt) || !got[0].UpdatedAt.Equal(want[0].UpdatedAt) {
				t.Fatalf("Contacts.List = %+v, want %+v", got, want)
			}
			got[0].CreatedAt, got[0].UpdatedAt = want[0].CreatedAt, want[0].UpdatedAt
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Contacts.List = %+v, want %+v", got, want)
			}
			if resp.NextPage != "https://app.clio.example/x" {
				t.Errorf("Contacts.List NextPage = %q, want the meta.paging.next link", resp.NextPage)
			}
		})
	}
}

func TestContactsListEmpty(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/contacts.json", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"data":[],"meta":{"paging":{}}}`)
	})
	got, resp, err := c.Contacts.List(t.Context(), nil)
	if err != nil || got == nil || len(got) != 0 || resp.NextPage != "" {
		t.Errorf("Contacts.List on no contacts = %v, %v, %v, want empty, no next page, nil", got, resp, err)
	}
}

func TestContactsGet(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/contacts/42.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testCommon(t, r, contactFields)
		testQuery(t, r, url.Values{})
		fmt.Fprint(w, `{"data":{"id":42,"name":"Lee Co","type":"Company"}}`)
	})
	got, _, err := c.Contacts.Get(t.Context(), 42)
	if err != nil {
		t.Fatalf("Contacts.Get(42) error = %v", err)
	}
	if want := (&Contact{ID: 42, Name: "Lee Co", Type: ContactCompany}); !reflect.DeepEqual(got, want) {
		t.Errorf("Contacts.Get(42) = %+v, want %+v", got, want)
	}
	for _, id := range []int64{0, -1} {
		if _, _, err := c.Contacts.Get(t.Context(), id); err == nil || !IsPermanent(err) {
			t.Errorf("Contacts.Get(%d) error = %v, want a permanent error", id, err)
		}
	}
}

// pagedServer serves three pages of items under path, linking them with
// meta.paging.next URLs that carry a page_token, as Clio does.
func pagedServer(t *testing.T, mux *http.ServeMux, path, fields string, pages []string) *atomic.Int32 {
	t.Helper()
	var hits atomic.Int32
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		testMethod(t, r, http.MethodGet)
		testCommon(t, r, fields)
		q := r.URL.Query()
		if got := q.Get("order"); got != "id(asc)" {
			t.Errorf("order = %q, want id(asc)", got)
		}
		if q.Has("offset") {
			t.Errorf("query %v has offset; cursor paging must not send it", q)
		}
		n := 0
		if tok := q.Get("page_token"); tok != "" {
			fmt.Sscanf(tok, "tok%d", &n)
		}
		next := ""
		if n+1 < len(pages) {
			nq := url.Values{}
			for k, v := range q {
				nq[k] = v
			}
			nq.Set("page_token", fmt.Sprintf("tok%d", n+1))
			if n == 0 {
				nq.Del("fields") // Clio keeps it; the client must cope if not
			}
			next = fmt.Sprintf(`"next":"http://%s%s?%s",`, r.Host, path, nq.Encode())
		}
		fmt.Fprintf(w, `{"data":%s,"meta":{"paging":{%s"previous":"x"}}}`, pages[n], next)
	})
	return &hits
}

func TestContactsListAll(t *testing.T) {
	c, mux, _ := setup(t)
	hits := pagedServer(t, mux, "/api/v4/contacts.json", contactFields, []string{
		`[{"id":1},{"id":2}]`, `[{"id":3}]`, `[{"id":4},{"id":5}]`,
	})
	var got []int64
	pages := 0
	err := c.Contacts.ListAll(t.Context(), &ContactListOptions{Limit: 2}, func(cs []Contact) error {
		pages++
		for _, ct := range cs {
			got = append(got, ct.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Contacts.ListAll error = %v", err)
	}
	if want := []int64{1, 2, 3, 4, 5}; !reflect.DeepEqual(got, want) || pages != 3 || hits.Load() != 3 {
		t.Errorf("Contacts.ListAll ids = %v in %d pages (%d requests), want %v in 3", got, pages, hits.Load(), want)
	}
}

func TestContactsListAllStopsOnCallbackError(t *testing.T) {
	c, mux, _ := setup(t)
	hits := pagedServer(t, mux, "/api/v4/contacts.json", contactFields, []string{`[{"id":1}]`, `[{"id":2}]`, `[{"id":3}]`})
	stop := errors.New("stop")
	err := c.Contacts.ListAll(t.Context(), nil, func([]Contact) error { return stop })
	if err != stop {
		t.Errorf("Contacts.ListAll error = %v, want the callback's error unchanged", err)
	}
	if hits.Load() != 1 {
		t.Errorf("requests = %d, want 1", hits.Load())
	}
	if err := c.Contacts.ListAll(t.Context(), nil, nil); err == nil {
		t.Error("Contacts.ListAll(nil callback) error = nil, want error")
	}
}

func TestContactsListAllRefusesForeignNext(t *testing.T) {
	var evilHits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evilHits.Add(1)
		fmt.Fprint(w, `{"data":[]}`)
	}))
	t.Cleanup(evil.Close)
	tests := []struct {
		name string
		next func(host string) string
	}{
		{"other host", func(string) string { return evil.URL + "/api/v4/contacts.json?page_token=t" }},
		{"other scheme", func(host string) string { return "https://" + host + "/api/v4/contacts.json?page_token=t" }},
		{"outside the api", func(host string) string { return "http://" + host + "/oauth/token?page_token=t" }},
		{"malformed", func(string) string { return "http://%zz/" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v4/contacts.json", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"data":[{"id":1}],"meta":{"paging":{"next":%q}}}`, tt.next(r.Host))
			})
			pages := 0
			err := c.Contacts.ListAll(t.Context(), nil, func([]Contact) error { pages++; return nil })
			if err == nil {
				t.Fatalf("Contacts.ListAll with a %s next link error = nil, want error", tt.name)
			}
			if pages != 1 || evilHits.Load() != 0 {
				t.Errorf("pages = %d, foreign hits = %d, want 1 and 0", pages, evilHits.Load())
			}
		})
	}
}

func TestContactsListAllRefusesLoop(t *testing.T) {
	c, mux, _ := setup(t)
	var hits atomic.Int32
	mux.HandleFunc("/api/v4/contacts.json", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprintf(w, `{"data":[{"id":1}],"meta":{"paging":{"next":"http://%s/api/v4/contacts.json?page_token=same&fields=id"}}}`, r.Host)
	})
	err := c.Contacts.ListAll(t.Context(), nil, func([]Contact) error { return nil })
	if !errors.Is(err, errPagingLoop) {
		t.Errorf("Contacts.ListAll on a looping next link error = %v, want %v", err, errPagingLoop)
	}
	if hits.Load() != 2 {
		t.Errorf("requests = %d, want 2", hits.Load())
	}
}

func sampleContact() *ContactCreate {
	return &ContactCreate{Type: ContactPerson, FirstName: "Ann", LastName: "Lee", Company: &IDRef{ID: 9},
		PhoneNumbers: []PhoneNumberCreate{
			{Name: PhoneMobile, Number: "+15551234567", Default: true},
			{Number: "(212) 555-0123"},
		}}
}

func TestContactsCreate(t *testing.T) {
	tests := []struct {
		name string
		in   *ContactCreate
		want string
	}{
		{"person with phones", sampleContact(), `{"type":"Person","first_name":"Ann","last_name":"Lee","company":{"id":9},
			"phone_numbers":[{"name":"Mobile","number":"+15551234567","default_number":true},{"number":"(212) 555-0123"}]}`},
		{"person with last name only, name dropped", &ContactCreate{Type: ContactPerson, LastName: " Lee ", Name: "Ann Lee"},
			`{"type":"Person","last_name":"Lee"}`},
		{"company", &ContactCreate{Type: ContactCompany, Name: "Lee Co", FirstName: "dropped",
			PhoneNumbers: []PhoneNumberCreate{{Name: PhoneWork, Number: "212-555-0100"}}},
			`{"type":"Company","name":"Lee Co","phone_numbers":[{"name":"Work","number":"212-555-0100"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v4/contacts.json", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPost)
				testCommon(t, r, contactFields)
				testQuery(t, r, url.Values{})
				testBody(t, r, tt.want)
				w.WriteHeader(http.StatusCreated)
				fmt.Fprint(w, `{"data":{"id":1001,"name":"Ann Lee","type":"Person",
					"phone_numbers":[{"id":5,"number":"+15551234567","name":"Mobile","primary":true}]}}`)
			})
			got, resp, err := c.Contacts.Create(t.Context(), tt.in)
			if err != nil {
				t.Fatalf("Contacts.Create error = %v", err)
			}
			want := &Contact{ID: 1001, Name: "Ann Lee", Type: ContactPerson,
				PhoneNumbers: []PhoneNumber{{ID: 5, Number: "+15551234567", Name: "Mobile", Primary: true}}}
			if !reflect.DeepEqual(got, want) || resp.StatusCode != http.StatusCreated {
				t.Errorf("Contacts.Create = %+v, %d, want %+v, 201", got, resp.StatusCode, want)
			}
		})
	}
}

func TestContactsCreateRejects(t *testing.T) {
	many := make([]PhoneNumberCreate, 21)
	for i := range many {
		many[i] = PhoneNumberCreate{Number: fmt.Sprintf("+1555000%04d", i)}
	}
	tests := []struct {
		name string
		in   *ContactCreate
	}{
		{"nil", nil},
		{"no type", &ContactCreate{FirstName: "Ann"}},
		{"bad type", &ContactCreate{Type: "Robot", Name: "R2"}},
		{"person without names", &ContactCreate{Type: ContactPerson, Name: "Ann Lee"}},
		{"company without name", &ContactCreate{Type: ContactCompany, FirstName: "Ann"}},
		{"company in a company", &ContactCreate{Type: ContactCompany, Name: "Lee Co", Company: &IDRef{ID: 9}}},
		{"company id zero", &ContactCreate{Type: ContactPerson, FirstName: "Ann", Company: &IDRef{}}},
		{"blank number", &ContactCreate{Type: ContactPerson, FirstName: "Ann", PhoneNumbers: []PhoneNumberCreate{{Number: " "}}}},
		{"bad kind", &ContactCreate{Type: ContactPerson, FirstName: "Ann", PhoneNumbers: []PhoneNumberCreate{{Name: "Personal", Number: "1"}}}},
		{"two defaults", &ContactCreate{Type: ContactPerson, FirstName: "Ann",
			PhoneNumbers: []PhoneNumberCreate{{Number: "1", Default: true}, {Number: "2", Default: true}}}},
		{"21 numbers", &ContactCreate{Type: ContactPerson, FirstName: "Ann", PhoneNumbers: many}},
	}
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("invalid contact was sent: %s %s", r.Method, r.URL.Path)
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := c.Contacts.Create(t.Context(), tt.in); err == nil || !IsPermanent(err) {
				t.Errorf("Contacts.Create(%+v) error = %v, want a permanent error", tt.in, err)
			}
		})
	}
}
