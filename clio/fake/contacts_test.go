package fake

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/phone"
)

func TestContactsPagingCollectsEveryIDOnce(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, limit := range []int{200, 37} {
		t.Run("limit "+strconv.Itoa(limit), func(t *testing.T) {
			next := ts.URL + "/api/v4/contacts.json?order=id(asc)&fields=id,name&limit=" + strconv.Itoa(limit)
			seen := map[int64]int{}
			pages := 0
			var last int64
			for next != "" {
				r := get(t, next)
				if r.Status != http.StatusOK {
					t.Fatalf("GET %s status = %d, body %s", next, r.Status, r.Raw)
				}
				pages++
				data := dataList(t, r)
				if len(data) > limit {
					t.Fatalf("page %d has %d rows, want <= %d", pages, len(data), limit)
				}
				for _, rec := range data {
					id := idOf(rec)
					if id <= last {
						t.Fatalf("id %d after %d: want ascending ids", id, last)
					}
					last = id
					seen[id]++
					if len(rec) != 2 {
						t.Fatalf("record %v: want only id and name", rec)
					}
				}
				next = nextURL(r)
				if next != "" {
					u, err := url.Parse(next)
					if err != nil || !u.IsAbs() || u.Host != strings.TrimPrefix(ts.URL, "http://") || u.Query().Get("page_token") == "" {
						t.Fatalf("meta.paging.next = %q, want an absolute URL on the test host with page_token", next)
					}
					if u.Query().Get("fields") != "id,name" {
						t.Fatalf("next URL %q lost the fields parameter", next)
					}
				}
			}
			f := sampleFirm()
			if len(seen) != len(f.Contacts) {
				t.Errorf("collected %d contacts over %d pages, want %d", len(seen), pages, len(f.Contacts))
			}
			for _, c := range f.Contacts {
				if seen[c.ID] != 1 {
					t.Errorf("contact %d seen %d times, want 1", c.ID, seen[c.ID])
				}
			}
		})
	}
}

func TestContactsFilters(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	f := sampleFirm()
	// A contact whose first number is in the (AAA) BBB-CCCC style.
	var target clio.Contact
	for _, c := range f.Contacts {
		if len(c.PhoneNumbers) > 0 && strings.HasPrefix(c.PhoneNumbers[0].Number, "(") && !strings.Contains(c.PhoneNumbers[0].Number, "x") {
			target = c
			break
		}
	}
	typed := target.PhoneNumbers[0].Number // "(212) 555-0123"
	digits := phone.Digits(typed)
	e164 := "+1" + digits

	cutoff := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	wantSince := 0
	wantCompanies := 0
	for _, c := range f.Contacts {
		if !c.UpdatedAt.Before(cutoff) {
			wantSince++
		}
		if c.Type == clio.ContactCompany {
			wantCompanies++
		}
	}

	tests := []struct {
		name    string
		query   url.Values
		check   func([]map[string]any) bool
		wantLen int // -1: don't check
	}{
		{"query as typed finds it", url.Values{"query": {typed}}, func(d []map[string]any) bool {
			for _, rec := range d {
				if idOf(rec) == target.ID {
					return true
				}
			}
			return false
		}, -1},
		{"E.164 does not match a number stored formatted", url.Values{"query": {e164}}, func(d []map[string]any) bool {
			for _, rec := range d {
				if idOf(rec) == target.ID {
					return false
				}
			}
			return true
		}, -1},
		{"query by name is case-insensitive", url.Values{"query": {strings.ToUpper(target.Name)}}, func(d []map[string]any) bool {
			for _, rec := range d {
				if idOf(rec) == target.ID {
					return true
				}
			}
			return false
		}, -1},
		{"type Company", url.Values{"type": {"Company"}}, func(d []map[string]any) bool {
			for _, rec := range d {
				if rec["type"] != "Company" {
					return false
				}
			}
			return true
		}, -1},
		{"updated_since", url.Values{"updated_since": {cutoff.Format(time.RFC3339)}}, func(d []map[string]any) bool {
			for _, rec := range d {
				ts, err := time.Parse(time.RFC3339, rec["updated_at"].(string))
				if err != nil || ts.Before(cutoff) {
					return false
				}
			}
			return true
		}, wantSince},
		{"no match", url.Values{"query": {"zzzz-no-such-thing"}}, func(d []map[string]any) bool { return true }, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			all := listAll(t, ts.URL+"/api/v4/contacts.json", tc.query)
			if !tc.check(all) {
				t.Errorf("GET contacts %v: %d rows fail the check", tc.query, len(all))
			}
			if tc.wantLen >= 0 && len(all) != tc.wantLen {
				t.Errorf("GET contacts %v: %d rows, want %d", tc.query, len(all), tc.wantLen)
			}
		})
	}
	if got := listAll(t, ts.URL+"/api/v4/contacts.json", url.Values{"type": {"Company"}}); len(got) != wantCompanies {
		t.Errorf("companies = %d, want %d", len(got), wantCompanies)
	}
}

// listAll follows meta.paging.next and returns every record.
func listAll(t *testing.T, base string, q url.Values) []map[string]any {
	t.Helper()
	next := base + "?" + q.Encode()
	var out []map[string]any
	for next != "" {
		r := get(t, next)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s status = %d, body %s", next, r.Status, r.Raw)
		}
		out = append(out, dataList(t, r)...)
		next = nextURL(r)
	}
	return out
}

func TestListParamErrors(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, tc := range []struct {
		query  string
		status int
	}{
		{"limit=0", 400},
		{"limit=201", 400},
		{"limit=abc", 400},
		{"limit=1", 200},
		{"limit=200", 200},
		{"order=name(asc)", 400},
		{"page_token=garbage", 400},
		{"type=Robot", 400},
		{"updated_since=yesterday", 400},
		{"offset=9900&limit=200", 422},
		{"offset=10", 200},
		{"fields=id,bogus", 400},
		{"fields=id,company{id,name}", 200},
		{"fields=id,company{client{id}}", 400},
		{"fields=id,phone_numbers{id,nope}", 400},
		{"fields=id,name{first}", 400},
		{"fields=id,company{id", 400},
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := get(t, ts.URL+"/api/v4/contacts.json?"+tc.query)
			if r.Status != tc.status {
				t.Fatalf("GET contacts?%s status = %d, want %d (body %s)", tc.query, r.Status, tc.status, r.Raw)
			}
			if tc.status >= 400 {
				errorObject(t, r)
			}
		})
	}
}

func TestContactGet(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	c := sampleFirm().Contacts[5]
	r := get(t, ts.URL+"/api/v4/contacts/"+strconv.FormatInt(c.ID, 10)+".json?fields=id,name,phone_numbers{number,primary},primary_phone_number")
	if r.Status != http.StatusOK {
		t.Fatalf("status = %d, want 200", r.Status)
	}
	data := r.Body["data"].(map[string]any)
	if data["name"] != c.Name {
		t.Errorf("name = %v, want %q", data["name"], c.Name)
	}
	if phones, _ := data["phone_numbers"].([]any); len(phones) != len(c.PhoneNumbers) {
		t.Errorf("phone_numbers = %v, want %d", data["phone_numbers"], len(c.PhoneNumbers))
	} else if len(phones) > 0 {
		p := phones[0].(map[string]any)
		if len(p) != 2 || p["number"] != c.PhoneNumbers[0].Number || p["primary"] != true {
			t.Errorf("phone_numbers[0] = %v, want number and primary only", p)
		}
	}
	if r := get(t, ts.URL+"/api/v4/contacts/999999999.json"); r.Status != http.StatusNotFound {
		t.Errorf("unknown contact status = %d, want 404", r.Status)
	} else if typ, _ := errorObject(t, r); typ != "RecordNotFound" {
		t.Errorf("unknown contact type = %q, want RecordNotFound", typ)
	}
}

func TestContactCreate(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	company := sampleFirm().Contacts[0]
	for _, c := range sampleFirm().Contacts {
		if c.Type == clio.ContactCompany {
			company = c
			break
		}
	}
	body := map[string]any{"data": map[string]any{
		"type": "Person", "first_name": "Ann", "last_name": "Lee",
		"company": map[string]any{"id": company.ID},
		"phone_numbers": []any{
			map[string]any{"name": "Work", "number": "(212) 555-0199"},
			map[string]any{"name": "Mobile", "number": "+15551234567", "default_number": true},
		},
	}}
	r := call(t, http.MethodPost, ts.URL+"/api/v4/contacts.json?fields=id,name,company{id,name},phone_numbers", body, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST contacts status = %d, body %s, want 201", r.Status, r.Raw)
	}
	data := r.Body["data"].(map[string]any)
	id := idOf(data)
	if data["name"] != "Ann Lee" || data["company"].(map[string]any)["name"] != company.Name {
		t.Errorf("created = %v, want Ann Lee at %s", data, company.Name)
	}
	phones := data["phone_numbers"].([]any)
	if len(phones) != 2 || phones[1].(map[string]any)["primary"] != true || phones[0].(map[string]any)["primary"] != false {
		t.Errorf("phone_numbers = %v, want the Mobile number primary", phones)
	}
	found := listAll(t, ts.URL+"/api/v4/contacts.json", url.Values{"query": {"+15551234567"}})
	if len(found) != 1 || idOf(found[0]) != id {
		t.Errorf("query +15551234567 = %v, want only the new contact %d", found, id)
	}

	tooMany := make([]any, 21)
	for i := range tooMany {
		tooMany[i] = map[string]any{"number": "212-555-01" + strconv.Itoa(10+i)}
	}
	for _, tc := range []struct {
		name string
		body string
	}{
		{"company without name", `{"data":{"type":"Company"}}`},
		{"person without names", `{"data":{"type":"Person","name":"Cher"}}`},
		{"unknown company", `{"data":{"type":"Person","first_name":"A","company":{"id":1}}}`},
		{"blank number", `{"data":{"type":"Person","first_name":"A","phone_numbers":[{"number":" "}]}}`},
		{"bad phone name", `{"data":{"type":"Person","first_name":"A","phone_numbers":[{"number":"1","name":"Cell"}]}}`},
		{"unknown field", `{"data":{"type":"Person","first_name":"A","nickname":"B"}}`},
		{"too many numbers", mustJSON(t, map[string]any{"data": map[string]any{"type": "Person", "first_name": "A", "phone_numbers": tooMany}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, http.MethodPost, ts.URL+"/api/v4/contacts.json", tc.body, nil)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("POST %s status = %d, want 422 (body %s)", tc.body, r.Status, r.Raw)
			}
		})
	}
}

func BenchmarkContactsPage(b *testing.B) {
	s, err := NewServer(sampleFirm(), Options{Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/api/v4/contacts.json?fields=id,name,phone_numbers{number}&limit=200", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status = %d", rec.Code)
		}
	}
}
