package clio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

const invalidTokenDescription = "The access token provided is expired, revoked, malformed or invalid for other reasons."

// errorCases are the error answers every method is checked against; they
// also seed FuzzParseError.
var errorCases = []struct {
	name      string
	status    int
	header    map[string]string
	body      string
	want      error
	permanent bool
}{
	{
		name:   "401 invalid_token string shape",
		status: 401,
		header: map[string]string{"WWW-Authenticate": `Bearer realm="Clio", error="invalid_token", error_description="The access token expired"`},
		body:   `{"error":"invalid_token","error_description":"` + invalidTokenDescription + `"}`,
		want:   &AuthError{StatusCode: 401, Code: "invalid_token", Description: invalidTokenDescription},
	},
	{
		name:   "401 header only",
		status: 401,
		header: map[string]string{"WWW-Authenticate": `Bearer realm="Clio", error="invalid_token", error_description="The access token expired"`},
		body:   ``,
		want:   &AuthError{StatusCode: 401, Code: "invalid_token", Description: "The access token expired"},
	},
	{
		name:   "401 object shape",
		status: 401,
		body:   `{"error":{"type":"UnauthorizedError","message":"User is not authorized"}}`,
		want:   &AuthError{StatusCode: 401, Code: "UnauthorizedError", Description: "User is not authorized"},
	},
	{
		name:      "403",
		status:    403,
		body:      `{"error":{"type":"ForbiddenError","message":"User does not have the required permission"}}`,
		want:      &AuthError{StatusCode: 403, Code: "ForbiddenError", Description: "User does not have the required permission"},
		permanent: true,
	},
	{
		name:      "404",
		status:    404,
		body:      `{"error":{"type":"RecordNotFound","message":"The requested resource was not found."}}`,
		want:      &APIError{StatusCode: 404, Type: "RecordNotFound", Message: "The requested resource was not found."},
		permanent: true,
	},
	{
		name:      "422 keeps type and message",
		status:    422,
		body:      `{"error":{"type":"ValidationError","message":"Validation failed: Subject can't be blank"}}`,
		want:      &APIError{StatusCode: 422, Type: "ValidationError", Message: "Validation failed: Subject can't be blank"},
		permanent: true,
	},
	{
		name:   "429 with Retry-After and X-RateLimit",
		status: 429,
		header: map[string]string{"Retry-After": "30", "X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "0",
			"X-RateLimit-Reset": fmt.Sprint(testNow.Add(45 * time.Second).Unix())},
		body: `{"error":{"type":"RateLimited","message":"Too Many Requests"}}`,
		want: &RateLimitError{RetryAfter: 30 * time.Second, Reset: time.Unix(testNow.Add(45*time.Second).Unix(), 0),
			Rate: Rate{Limit: 50, Remaining: 0, Reset: time.Unix(testNow.Add(45*time.Second).Unix(), 0)}},
	},
	{
		name:   "429 with only X-RateLimit-Reset",
		status: 429,
		header: map[string]string{"X-RateLimit-Reset": fmt.Sprint(testNow.Add(12 * time.Second).Unix())},
		body:   `{"message":"Too Many Requests"}`,
		want: &RateLimitError{RetryAfter: 12 * time.Second, Reset: time.Unix(testNow.Add(12*time.Second).Unix(), 0),
			Rate: Rate{Reset: time.Unix(testNow.Add(12*time.Second).Unix(), 0)}},
	},
	{
		name:   "500 HTML",
		status: 500,
		body:   `<html><body>Internal Server Error</body></html>`,
		want:   &APIError{StatusCode: 500},
	},
	{
		name:   "503 JSON",
		status: 503,
		body:   `{"error":{"type":"ServiceUnavailable","message":"down for maintenance"}}`,
		want:   &APIError{StatusCode: 503, Type: "ServiceUnavailable", Message: "down for maintenance"},
	},
	{
		name:      "400 string error",
		status:    400,
		body:      `{"error":"invalid_request","error_description":"bad fields"}`,
		want:      &APIError{StatusCode: 400, Type: "invalid_request", Message: "bad fields"},
		permanent: true,
	},
	{
		name:      "410 bad version",
		status:    410,
		body:      ``,
		want:      &APIError{StatusCode: 410},
		permanent: true,
	},
	{
		name:   "408",
		status: 408,
		body:   `{"error":{"type":1,"message":["x"]}}`,
		want:   &APIError{StatusCode: 408},
	},
}

func TestParseError(t *testing.T) {
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			got := parseError(tt.status, h, []byte(tt.body), testNow)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseError(%d, %q) = %#v, want %#v", tt.status, tt.body, got, tt.want)
			}
			if p := IsPermanent(got); p != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", got, p, tt.permanent)
			}
			if msg := got.Error(); msg == "" || msg != strings.ToLower(msg[:1])+msg[1:] {
				t.Errorf("parseError(%d).Error() = %q, want a lowercase message", tt.status, msg)
			}
		})
	}
}

// methodCalls runs every client method once with valid arguments.
var methodCalls = []struct {
	name, path string
	call       func(ctx context.Context, c *Client) (*Response, error)
}{
	{"Users.WhoAmI", "/api/v4/users/who_am_i.json", func(ctx context.Context, c *Client) (*Response, error) {
		_, r, err := c.Users.WhoAmI(ctx)
		return r, err
	}},
	{"Contacts.List", "/api/v4/contacts.json", func(ctx context.Context, c *Client) (*Response, error) {
		_, r, err := c.Contacts.List(ctx, nil)
		return r, err
	}},
	{"Contacts.ListAll", "/api/v4/contacts.json", func(ctx context.Context, c *Client) (*Response, error) {
		return nil, c.Contacts.ListAll(ctx, nil, func([]Contact) error { return nil })
	}},
	{"Contacts.Get", "/api/v4/contacts/7.json", func(ctx context.Context, c *Client) (*Response, error) {
		_, r, err := c.Contacts.Get(ctx, 7)
		return r, err
	}},
	{"Matters.List", "/api/v4/matters.json", func(ctx context.Context, c *Client) (*Response, error) {
		_, r, err := c.Matters.List(ctx, &MatterListOptions{ClientID: 7})
		return r, err
	}},
	{"Matters.ListAll", "/api/v4/matters.json", func(ctx context.Context, c *Client) (*Response, error) {
		return nil, c.Matters.ListAll(ctx, nil, func([]Matter) error { return nil })
	}},
	{"Communications.Create", "/api/v4/communications.json", func(ctx context.Context, c *Client) (*Response, error) {
		_, r, err := c.Communications.Create(ctx, sampleCommunication())
		return r, err
	}},
	{"Communications.ListByExternalProperty", "/api/v4/communications.json", func(ctx context.Context, c *Client) (*Response, error) {
		_, r, err := c.Communications.ListByExternalProperty(ctx, "calldocket_event_id", "e1")
		return r, err
	}},
	{"Activities.Create", "/api/v4/activities.json", func(ctx context.Context, c *Client) (*Response, error) {
		_, r, err := c.Activities.Create(ctx, sampleActivity())
		return r, err
	}},
	{"Activities.ListByCommunication", "/api/v4/activities.json", func(ctx context.Context, c *Client) (*Response, error) {
		_, r, err := c.Activities.ListByCommunication(ctx, 555)
		return r, err
	}},
}

func TestMethodErrors(t *testing.T) {
	for _, m := range methodCalls {
		for _, tt := range errorCases {
			t.Run(m.name+"/"+tt.name, func(t *testing.T) {
				c, mux, _ := setup(t)
				mux.HandleFunc(m.path, func(w http.ResponseWriter, r *http.Request) {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					w.WriteHeader(tt.status)
					fmt.Fprint(w, tt.body)
				})
				resp, err := m.call(t.Context(), c)
				if err == nil {
					t.Fatalf("%s on %d error = nil, want %v", m.name, tt.status, tt.want)
				}
				got, ok := asTyped(err, tt.want)
				if !ok {
					t.Fatalf("%s on %d error = %#v, want %T", m.name, tt.status, err, tt.want)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("%s on %d error = %#v, want %#v", m.name, tt.status, got, tt.want)
				}
				if p := IsPermanent(err); p != tt.permanent {
					t.Errorf("IsPermanent(%s on %d: %v) = %v, want %v", m.name, tt.status, err, p, tt.permanent)
				}
				if resp != nil && resp.StatusCode != tt.status {
					t.Errorf("%s on %d response status = %d", m.name, tt.status, resp.StatusCode)
				}
			})
		}
	}
}

// asTyped extracts from err the typed error of want's type.
func asTyped(err, want error) (error, bool) {
	var (
		ae *AuthError
		ap *APIError
		rl *RateLimitError
	)
	switch want.(type) {
	case *AuthError:
		ok := errors.As(err, &ae)
		return ae, ok
	case *APIError:
		ok := errors.As(err, &ap)
		return ap, ok
	case *RateLimitError:
		ok := errors.As(err, &rl)
		return rl, ok
	}
	return nil, false
}

func TestMethodsRefuseWhileRateLimited(t *testing.T) {
	for _, m := range methodCalls {
		t.Run(m.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				t.Errorf("%s sent %s %s while rate limited", m.name, r.Method, r.URL.Path)
			})
			c.rate = Rate{Limit: 50, Remaining: 0, Reset: testNow.Add(time.Minute)}
			c.exhausted = true
			_, err := m.call(t.Context(), c)
			var rl *RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != time.Minute {
				t.Errorf("%s while rate limited error = %v, want *RateLimitError retrying after 1m", m.name, err)
			}
		})
	}
}

func TestIsPermanent(t *testing.T) {
	tests := []struct {
		in   error
		want bool
	}{
		{nil, false},
		{errors.New("dial tcp: connection refused"), false},
		{context.Canceled, false},
		{context.DeadlineExceeded, false},
		{&APIError{StatusCode: 400}, true},
		{&APIError{StatusCode: 404}, true},
		{&APIError{StatusCode: 408}, false},
		{&APIError{StatusCode: 409}, true},
		{&APIError{StatusCode: 422}, true},
		{&APIError{StatusCode: 500}, false},
		{&APIError{StatusCode: 502}, false},
		{&AuthError{StatusCode: 401}, false},
		{&AuthError{StatusCode: 403}, true},
		{&RateLimitError{}, false},
		{&invalidRequestError{msg: "x"}, true},
		{fmt.Errorf("deliver call: %w", &APIError{StatusCode: 422}), true},
		{fmt.Errorf("deliver call: %w", &AuthError{StatusCode: 401}), false},
	}
	for _, tt := range tests {
		if got := IsPermanent(tt.in); got != tt.want {
			t.Errorf("IsPermanent(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		in   error
		want string
	}{
		{&APIError{StatusCode: 422, Type: "ValidationError", Message: "Subject can't be blank"},
			"clio api error: 422 ValidationError: Subject can't be blank"},
		{&APIError{StatusCode: 500}, "clio api error: 500 internal server error"},
		{&AuthError{StatusCode: 401, Code: "invalid_token", Description: "expired"},
			"clio authorization error: 401 invalid_token: expired"},
		{&RateLimitError{RetryAfter: 30 * time.Second}, "clio rate limit reached: retry after 30s"},
		{&RateLimitError{}, "clio rate limit reached"},
	}
	for _, tt := range tests {
		if got := tt.in.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var wwwAuthenticateCases = []struct {
	in, code, desc string
}{
	{`Bearer realm="Clio", error="invalid_token", error_description="The access token expired"`, "invalid_token", "The access token expired"},
	{`Bearer error_description="d \"q\"", error=invalid_token`, "invalid_token", `d "q"`},
	{`bearer error="insufficient_scope"`, "insufficient_scope", ""},
	{`Basic realm="x", error="nope"`, "", ""},
	{`Bearer`, "", ""},
	{`Bearer error="unterminated`, "unterminated", ""},
	{`Bearer ,,, =, error`, "", ""},
	{``, "", ""},
}

func TestParseWWWAuthenticate(t *testing.T) {
	for _, tt := range wwwAuthenticateCases {
		code, desc := parseWWWAuthenticate(tt.in)
		if code != tt.code || desc != tt.desc {
			t.Errorf("parseWWWAuthenticate(%q) = %q, %q, want %q, %q", tt.in, code, desc, tt.code, tt.desc)
		}
	}
}

func TestParseErrorBodyBounds(t *testing.T) {
	long := strings.Repeat("é", 600)
	kind, text := parseErrorBody([]byte(`{"error":{"type":"T\u0000\n","message":"` + long + `"}}`))
	if kind != "T" {
		t.Errorf("parseErrorBody type = %q, want %q", kind, "T")
	}
	if len(text) > maxErrorText+len("…") || !strings.HasSuffix(text, "…") {
		t.Errorf("parseErrorBody message has %d bytes, want at most %d and an ellipsis", len(text), maxErrorText)
	}
}

func FuzzParseError(f *testing.F) {
	for _, tt := range errorCases {
		f.Add(tt.status, tt.header["Retry-After"], tt.header["X-RateLimit-Reset"], tt.header["WWW-Authenticate"], tt.body)
	}
	for _, tt := range wwwAuthenticateCases {
		f.Add(401, "", "", tt.in, "")
	}
	f.Fuzz(func(t *testing.T, status int, retryAfter, reset, wwwAuth, body string) {
		if status < 300 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("X-RateLimit-Reset", reset)
		h.Set("WWW-Authenticate", wwwAuth)
		err := parseError(status, h, []byte(body), testNow)
		if err == nil || err.Error() == "" {
			t.Fatalf("parseError(%d, %q) = %v, want an error", status, body, err)
		}
		var (
			ae *AuthError
			rl *RateLimitError
			ap *APIError
		)
		switch {
		case status == 401 || status == 403:
			if !errors.As(err, &ae) || ae.StatusCode != status {
				t.Fatalf("parseError(%d) = %#v, want *AuthError", status, err)
			}
		case status == 429:
			if !errors.As(err, &rl) || rl.RetryAfter < 0 || rl.RetryAfter > maxRetryAfter {
				t.Fatalf("parseError(429) = %#v, want *RateLimitError with 0 <= RetryAfter <= %s", err, maxRetryAfter)
			}
		default:
			if !errors.As(err, &ap) || ap.StatusCode != status {
				t.Fatalf("parseError(%d) = %#v, want *APIError", status, err)
			}
			if len(ap.Message) > maxErrorText+len("…") || len(ap.Type) > maxErrorText+len("…") {
				t.Fatalf("parseError(%d) kept %d/%d bytes, want at most %d", status, len(ap.Type), len(ap.Message), maxErrorText)
			}
		}
	})
}
