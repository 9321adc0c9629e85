package fake

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestNewServerNeedsToken(t *testing.T) {
	if _, err := NewServer(sampleFirm(), Options{}); !errors.Is(err, ErrNoToken) {
		t.Errorf("NewServer(no token) error = %v, want ErrNoToken", err)
	}
	if _, err := NewServer(&Firm{}, Options{Token: "x"}); err == nil {
		t.Error("NewServer(no users) error = nil, want an error")
	}
}

func TestAuth(t *testing.T) {
	_, ts := newTestServer(t, Options{RateLimit: 50})
	url := ts.URL + "/api/v4/users/who_am_i.json"

	t.Run("missing header", func(t *testing.T) {
		r := call(t, http.MethodGet, url, nil, map[string]string{"Authorization": ""})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("status = %d, want 401", r.Status)
		}
		typ, msg := errorObject(t, r)
		if typ != "UnauthorizedError" || msg != "User is not authorized" {
			t.Errorf("error = %q %q, want UnauthorizedError / User is not authorized", typ, msg)
		}
		if got := r.Header.Get("X-RateLimit-Limit"); got != "" {
			t.Errorf("X-RateLimit-Limit on 401 = %q, want none", got)
		}
	})
	for _, tc := range []struct{ name, header string }{
		{"wrong token", "Bearer nope"},
		{"wrong scheme", "Basic " + testToken},
		{"no token", "Bearer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, http.MethodGet, url, nil, map[string]string{"Authorization": tc.header})
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401", r.Status)
			}
			if got, want := r.Body["error"], "invalid_token"; got != want {
				t.Errorf("error = %v, want %q", got, want)
			}
			if got, want := r.Body["error_description"], invalidTokenDescription; got != want {
				t.Errorf("error_description = %v, want %q", got, want)
			}
			if got, want := r.Header.Get("WWW-Authenticate"), `Bearer realm="Clio", error="invalid_token"`; got != want {
				t.Errorf("WWW-Authenticate = %q, want %q", got, want)
			}
			if got := r.Header.Get("X-RateLimit-Remaining"); got != "" {
				t.Errorf("X-RateLimit-Remaining on 401 = %q, want none", got)
			}
		})
	}
	t.Run("good token", func(t *testing.T) {
		r := get(t, url+"?fields=id,name,email,time_zone,account{id,name}")
		if r.Status != http.StatusOK {
			t.Fatalf("status = %d, body %s, want 200", r.Status, r.Raw)
		}
		data := r.Body["data"].(map[string]any)
		if data["name"] != "Alex Morgan" || idOf(data) != 1 {
			t.Errorf("who_am_i = %v, want Alex Morgan id 1", data)
		}
		if acct := data["account"].(map[string]any); acct["name"] != "Morgan & Shah LLP" {
			t.Errorf("account = %v, want Morgan & Shah LLP", acct)
		}
		if _, ok := data["first_name"]; ok {
			t.Errorf("who_am_i with fields returned first_name: %v", data)
		}
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
			if r.Header.Get(h) == "" {
				t.Errorf("header %s missing", h)
			}
		}
		if got := r.Header.Get("X-RateLimit-Limit"); got != "50" {
			t.Errorf("X-RateLimit-Limit = %q, want 50", got)
		}
	})
}

func TestAPIVersion(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	url := ts.URL + "/api/v4/users/who_am_i.json?fields=id"
	for _, tc := range []struct {
		header string
		status int
		echo   string
	}{
		{"", http.StatusOK, "4.0.9"},
		{"4.0.13", http.StatusOK, "4.0.13"},
		{"4.0.4", http.StatusOK, "4.0.4"},
		{"4.0.3", http.StatusGone, ""},
		{"4.0.14", http.StatusGone, ""},
		{"4.1.0", http.StatusGone, ""},
		{"5.0.0", http.StatusGone, ""},
		{"4.0", http.StatusGone, ""},
		{"latest", http.StatusGone, ""},
		{"4.0.13-beta", http.StatusGone, ""},
	} {
		t.Run(tc.header, func(t *testing.T) {
			r := call(t, http.MethodGet, url, nil, map[string]string{"X-API-VERSION": tc.header})
			if r.Status != tc.status {
				t.Fatalf("GET with X-API-VERSION %q: status = %d, want %d", tc.header, r.Status, tc.status)
			}
			if got := r.Header.Get("X-API-VERSION"); got != tc.echo {
				t.Errorf("X-API-VERSION echo = %q, want %q", got, tc.echo)
			}
			if tc.status == http.StatusGone {
				errorObject(t, r)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	s, ts := newTestServer(t, Options{RateLimit: 3})
	now := time.Unix(1767225600, 0) // 2026-01-01
	s.now = func() time.Time { return now }
	url := ts.URL + "/api/v4/users/who_am_i.json"
	for i := 1; i <= 3; i++ {
		r := get(t, url)
		if r.Status != http.StatusOK {
			t.Fatalf("request %d status = %d, want 200", i, r.Status)
		}
		if got, want := r.Header.Get("X-RateLimit-Remaining"), strconv.Itoa(3-i); got != want {
			t.Errorf("request %d X-RateLimit-Remaining = %q, want %q", i, got, want)
		}
		if got, want := r.Header.Get("X-RateLimit-Reset"), strconv.FormatInt(now.Unix()+60, 10); got != want {
			t.Errorf("X-RateLimit-Reset = %q, want %q", got, want)
		}
	}
	now = now.Add(15 * time.Second)
	r := get(t, url)
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("4th request status = %d, want 429", r.Status)
	}
	if got := r.Header.Get("Retry-After"); got != "45" {
		t.Errorf("Retry-After = %q, want 45", got)
	}
	if got := r.Header.Get("X-RateLimit-Remaining"); got != "0" {
		t.Errorf("X-RateLimit-Remaining = %q, want 0", got)
	}
	if typ, _ := errorObject(t, r); typ == "" {
		t.Error("429 error type is empty")
	}
	now = now.Add(45 * time.Second)
	if r := get(t, url); r.Status != http.StatusOK {
		t.Errorf("request after the window status = %d, want 200", r.Status)
	}
}

func TestRateLimitUnlimited(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for range 5 {
		r := get(t, ts.URL+"/api/v4/users/who_am_i.json")
		if r.Status != http.StatusOK {
			t.Fatalf("status = %d, want 200", r.Status)
		}
		if got := r.Header.Get("X-RateLimit-Limit"); got != strconv.Itoa(unlimitedRate) {
			t.Errorf("X-RateLimit-Limit = %q, want %d", got, unlimitedRate)
		}
	}
}

func TestRequestsRecorded(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	get(t, ts.URL+"/api/v4/users.json?fields=id,name")
	call(t, http.MethodPost, ts.URL+"/api/v4/contacts.json", `{"data":{"type":"Company","name":"Acme LLC"}}`,
		map[string]string{"X-API-VERSION": "4.0.13"})
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("len(Requests()) = %d, want 2", len(reqs))
	}
	if r := reqs[0]; r.Method != "GET" || r.Path != "/api/v4/users.json" || r.Query != "fields=id,name" || r.Status != 200 {
		t.Errorf("Requests()[0] = %+v, want GET /api/v4/users.json fields=id,name 200", r)
	}
	if r := reqs[1]; r.Method != "POST" || string(r.Body) != `{"data":{"type":"Company","name":"Acme LLC"}}` ||
		r.Header.Get("X-API-VERSION") != "4.0.13" || r.Status != 201 {
		t.Errorf("Requests()[1] = %+v, want the POST with its body, header and 201", r)
	}
}

func TestUnknownRoute(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	r := get(t, ts.URL+"/api/v4/bills.json")
	if r.Status != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", r.Status)
	}
	if typ, _ := errorObject(t, r); typ != "RecordNotFound" {
		t.Errorf("type = %q, want RecordNotFound", typ)
	}
}
