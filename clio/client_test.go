package clio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testNow is the fixed clock of every test client.
var testNow = time.Date(2026, 5, 4, 18, 3, 0, 0, time.UTC)

// setup starts an httptest server and returns a client for it, the mux to
// register handlers on and the server's URL.
func setup(t *testing.T) (*Client, *http.ServeMux, string) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.Client(), srv.URL)
	if err != nil {
		t.Fatalf("NewClient(%q) error = %v", srv.URL, err)
	}
	c.now = func() time.Time { return testNow }
	return c, mux, srv.URL
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if got := r.Method; got != want {
		t.Errorf("request method = %q, want %q", got, want)
	}
}

func testHeader(t *testing.T, r *http.Request, name, want string) {
	t.Helper()
	if got := r.Header.Get(name); got != want {
		t.Errorf("request header %s = %q, want %q", name, got, want)
	}
}

// testCommon checks what every request must carry.
func testCommon(t *testing.T, r *http.Request, wantFields string) {
	t.Helper()
	testHeader(t, r, "X-API-VERSION", APIVersion)
	testHeader(t, r, "Accept", "application/json")
	testHeader(t, r, "User-Agent", "CallDocket")
	if got := r.URL.Query().Get("fields"); got != wantFields {
		t.Errorf("fields = %q, want %q", got, wantFields)
	}
	depth, maxDepth := 0, 0
	for _, ch := range wantFields {
		switch ch {
		case '{':
			depth++
			maxDepth = max(maxDepth, depth)
		case '}':
			depth--
		}
	}
	if depth != 0 || maxDepth > 1 {
		t.Errorf("fields %q are unbalanced or nest more than one level", wantFields)
	}
}

// testQuery checks the query parameters other than fields.
func testQuery(t *testing.T, r *http.Request, want url.Values) {
	t.Helper()
	got := r.URL.Query()
	got.Del("fields")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("query = %v, want %v", got, want)
	}
}

// testBody checks that the request body is {"data": want} as JSON.
func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	testHeader(t, r, "Content-Type", "application/json")
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read request body: %v", err)
	}
	var got, wantV any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("request body %s is not JSON: %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"data":`+want+`}`), &wantV); err != nil {
		t.Fatalf("want body %s is not JSON: %v", want, err)
	}
	if !reflect.DeepEqual(got, wantV) {
		t.Errorf("request body = %s, want {\"data\":%s}", b, want)
	}
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"https://app.clio.com", "https://app.clio.com/api/v4/", false},
		{"https://eu.app.clio.com/", "https://eu.app.clio.com/api/v4/", false},
		{"https://app.clio.com/api/v4", "https://app.clio.com/api/v4/", false},
		{"https://app.clio.com/api/v4/", "https://app.clio.com/api/v4/", false},
		{" http://127.0.0.1:8080 ", "http://127.0.0.1:8080/api/v4/", false},
		{"http://localhost:9", "http://localhost:9/api/v4/", false},
		{"http://[::1]:9", "http://[::1]:9/api/v4/", false},
		{"http://app.clio.com", "", true},
		{"ftp://app.clio.com", "", true},
		{"app.clio.com", "", true},
		{"", "", true},
		{"https://", "", true},
		{"https://user:pw@app.clio.com", "", true},
		{"https://app.clio.com/?x=1", "", true},
		{"https://app.clio.com/#f", "", true},
		{"https://app clio.com", "", true},
		{"%zz", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := NewClient(nil, tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("NewClient(%q) = %v, want error", tt.in, c.baseURL)
				}
				if !IsPermanent(err) {
					t.Errorf("IsPermanent(NewClient(%q) error %v) = false, want true", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewClient(%q) error = %v", tt.in, err)
			}
			if got := c.baseURL.String(); got != tt.want {
				t.Errorf("NewClient(%q).baseURL = %q, want %q", tt.in, got, tt.want)
			}
			if c.Users == nil || c.Contacts == nil || c.Matters == nil || c.Communications == nil || c.Activities == nil {
				t.Errorf("NewClient(%q) left a service nil", tt.in)
			}
		})
	}
}

func TestNewRequestRejectsOtherOrigins(t *testing.T) {
	c, err := NewClient(nil, "https://app.clio.com")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in string
		ok bool
	}{
		{"contacts.json", true},
		{"https://app.clio.com/api/v4/contacts.json?page_token=x", true},
		{"https://APP.clio.com/api/v4/contacts.json", true},
		{"/api/v4/contacts.json", false},
		{"https://evil.example/api/v4/contacts.json", false},
		{"//evil.example/api/v4/contacts.json", false},
		{"http://app.clio.com/api/v4/contacts.json", false},
		{"https://app.clio.com/oauth/token", false},
		{"https://app.clio.com:444/api/v4/contacts.json", false},
		{"https://u@app.clio.com/api/v4/contacts.json", false},
		{"../oauth/token", false},
		{"https://app.clio.com/api/v4/../../oauth/token", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := c.newRequest(t.Context(), http.MethodGet, tt.in, nil)
			if (err == nil) != tt.ok {
				t.Errorf("newRequest(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			}
		})
	}
}

func TestNewRequestBodyEncodeError(t *testing.T) {
	c, err := NewClient(nil, "https://app.clio.com")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.newRequest(t.Context(), http.MethodPost, "x.json", map[string]any{"f": func() {}})
	if err == nil || !IsPermanent(err) {
		t.Errorf("newRequest(unencodable) error = %v, want a permanent error", err)
	}
}

func TestDoDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"not JSON", "<html>hi</html>"},
		{"no data", `{"meta":{}}`},
		{"null data", `{"data":null}`},
		{"wrong type", `{"data":[1,2]}`},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v4/users/who_am_i.json", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, tt.body)
			})
			u, resp, err := c.Users.WhoAmI(t.Context())
			if err == nil {
				t.Fatalf("WhoAmI with body %q = %+v, want error", tt.body, u)
			}
			if resp == nil || resp.StatusCode != http.StatusOK {
				t.Errorf("WhoAmI with body %q response = %v, want the 200 response", tt.body, resp)
			}
			if IsPermanent(err) {
				t.Errorf("IsPermanent(%v) = true, want false", err)
			}
		})
	}
}

func TestRateRecorded(t *testing.T) {
	c, mux, _ := setup(t)
	reset := testNow.Add(40 * time.Second).Truncate(time.Second)
	calls := 0
	mux.HandleFunc("/api/v4/users/who_am_i.json", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("X-RateLimit-Limit", "50")
			w.Header().Set("X-RateLimit-Remaining", "49")
			w.Header().Set("X-RateLimit-Reset", fmt.Sprint(reset.Unix()))
		}
		fmt.Fprint(w, `{"data":{"id":1}}`)
	})
	want := Rate{Limit: 50, Remaining: 49, Reset: reset}
	_, resp, err := c.Users.WhoAmI(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Rate.Reset.Equal(want.Reset) || resp.Rate.Limit != 50 || resp.Rate.Remaining != 49 {
		t.Errorf("Response.Rate = %+v, want %+v", resp.Rate, want)
	}
	if got := c.Rate(); !got.Reset.Equal(want.Reset) || got.Limit != want.Limit || got.Remaining != want.Remaining {
		t.Errorf("Rate() = %+v, want %+v", got, want)
	}
	// A response without rate headers keeps the last seen values.
	if _, _, err := c.Users.WhoAmI(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := c.Rate(); got.Limit != 50 || got.Remaining != 49 {
		t.Errorf("Rate() after a response without headers = %+v, want %+v", got, want)
	}
}

func TestRateLimitRefusal(t *testing.T) {
	c, mux, _ := setup(t)
	now := testNow
	c.now = func() time.Time { return now }
	reset := testNow.Add(30 * time.Second)
	var hits atomic.Int32
	mux.HandleFunc("/api/v4/users/who_am_i.json", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("X-RateLimit-Limit", "50")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(reset.Unix()))
		fmt.Fprint(w, `{"data":{"id":1}}`)
	})
	if _, _, err := c.Users.WhoAmI(t.Context()); err != nil {
		t.Fatalf("first WhoAmI error = %v", err)
	}
	_, resp, err := c.Users.WhoAmI(t.Context())
	var rl *RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("WhoAmI with the window used up error = %v, want *RateLimitError", err)
	}
	if resp != nil {
		t.Errorf("refused WhoAmI response = %v, want nil", resp)
	}
	if rl.RetryAfter != 30*time.Second || !rl.Reset.Equal(reset) || rl.Rate.Limit != 50 {
		t.Errorf("refused WhoAmI error = %+v, want RetryAfter 30s, Reset %v, Limit 50", rl, reset)
	}
	if got := hits.Load(); got != 1 {
		t.Errorf("server hits = %d, want 1 (the refusal must not touch the network)", got)
	}
	if IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = true, want false", err)
	}
	now = reset // the window ends
	if _, _, err := c.Users.WhoAmI(t.Context()); err != nil {
		t.Errorf("WhoAmI after the reset error = %v", err)
	}
	if got := hits.Load(); got != 2 {
		t.Errorf("server hits = %d, want 2", got)
	}
}

func TestRetryAfterRefusal(t *testing.T) {
	c, mux, _ := setup(t)
	now := testNow
	c.now = func() time.Time { return now }
	var hits atomic.Int32
	mux.HandleFunc("/api/v4/users/who_am_i.json", func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "20")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, `{"data":{"id":1}}`)
	})
	_, _, err := c.Users.WhoAmI(t.Context())
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 20*time.Second {
		t.Fatalf("WhoAmI on 429 error = %v, want *RateLimitError with RetryAfter 20s", err)
	}
	now = now.Add(5 * time.Second)
	_, _, err = c.Users.WhoAmI(t.Context())
	if !errors.As(err, &rl) || rl.RetryAfter != 15*time.Second {
		t.Fatalf("WhoAmI 5s after a 429 error = %v, want *RateLimitError with RetryAfter 15s", err)
	}
	if got := hits.Load(); got != 1 {
		t.Errorf("server hits = %d, want 1", got)
	}
	now = now.Add(15 * time.Second)
	if _, _, err := c.Users.WhoAmI(t.Context()); err != nil {
		t.Errorf("WhoAmI after Retry-After error = %v", err)
	}
}

func TestContextCancel(t *testing.T) {
	c, mux, _ := setup(t)
	started := make(chan struct{})
	mux.HandleFunc("/api/v4/contacts.json", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-started
		cancel()
	}()
	_, _, err := c.Contacts.List(ctx, &ContactListOptions{Query: "+12125550123"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Contacts.List with a cancelled context error = %v, want context.Canceled", err)
	}
	if strings.Contains(err.Error(), "5550123") {
		t.Errorf("error %q leaks the query", err)
	}
	if IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = true, want false", err)
	}

	done, stop := context.WithCancel(t.Context())
	stop()
	if _, _, err := c.Users.WhoAmI(done); !errors.Is(err, context.Canceled) {
		t.Errorf("WhoAmI with a cancelled context error = %v, want context.Canceled", err)
	}
}

func TestNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c, err := NewClient(nil, base)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Contacts.List(t.Context(), &ContactListOptions{Query: "+12125550123"})
	if err == nil {
		t.Fatal("Contacts.List against a closed server error = nil, want error")
	}
	if IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = true, want false", err)
	}
	if strings.Contains(err.Error(), "5550123") {
		t.Errorf("error %q leaks the query", err)
	}
}
