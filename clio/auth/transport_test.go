package auth

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/clio"
)

var invalidTokenTests = []struct {
	name, header, body string
	want               bool
}{
	{"header", `Bearer realm="Clio", error="invalid_token"`, "", true},
	{"body", "", `{"error":"invalid_token","error_description":"expired"}`, true},
	{"clio shape", "", `{"error":{"type":"UnauthorizedError","message":"User is not authorized"}}`, false},
	{"other code", "", `{"error":"insufficient_scope"}`, false},
	{"not json", "", `<html>401</html>`, false},
	{"empty", "", "", false},
}

func TestInvalidToken(t *testing.T) {
	for _, tt := range invalidTokenTests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 401, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(tt.body))}
			if tt.header != "" {
				resp.Header.Set("WWW-Authenticate", tt.header)
			}
			if got := invalidToken(resp); got != tt.want {
				t.Errorf("invalidToken(%q, %q) = %v, want %v", tt.header, tt.body, got, tt.want)
			}
			if rest, _ := io.ReadAll(resp.Body); tt.header == "" && string(rest) != tt.body {
				t.Errorf("body after invalidToken = %q, want %q kept for the caller", rest, tt.body)
			}
		})
	}
}

var responseErrorTests = []struct {
	status     int
	body       string
	auth       bool
	code, desc string
}{
	{401, `{"error":"invalid_token","error_description":"expired"}`, true, "invalid_token", "expired"},
	{401, `{"error":{"type":"UnauthorizedError","message":"User is not authorized"}}`, true, "UnauthorizedError", "User is not authorized"},
	{403, `{"error":{"type":"ForbiddenError","message":"no"}}`, true, "ForbiddenError", "no"},
	{400, `{"error":"invalid_request","error_description":"token missing"}`, false, "invalid_request", "token missing"},
	{500, `oops`, false, "", ""},
	{404, ``, false, "", ""},
}

func TestResponseError(t *testing.T) {
	for _, tt := range responseErrorTests {
		t.Run(tt.body, func(t *testing.T) {
			err := responseError(tt.status, []byte(tt.body))
			var ae *clio.AuthError
			var pe *clio.APIError
			switch {
			case tt.auth && errors.As(err, &ae):
				if ae.StatusCode != tt.status || ae.Code != tt.code || ae.Description != tt.desc {
					t.Errorf("responseError(%d, %q) = %+v, want %d %q %q", tt.status, tt.body, ae, tt.status, tt.code, tt.desc)
				}
			case !tt.auth && errors.As(err, &pe):
				if pe.StatusCode != tt.status || pe.Type != tt.code || pe.Message != tt.desc {
					t.Errorf("responseError(%d, %q) = %+v, want %d %q %q", tt.status, tt.body, pe, tt.status, tt.code, tt.desc)
				}
			default:
				t.Errorf("responseError(%d, %q) = %T, want auth error %v", tt.status, tt.body, err, tt.auth)
			}
		})
	}
}

func FuzzResponseError(f *testing.F) {
	for _, tt := range responseErrorTests {
		f.Add(tt.status, tt.body)
	}
	for _, tt := range invalidTokenTests {
		f.Add(401, tt.body)
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		err := responseError(status, []byte(body))
		if err == nil {
			t.Fatalf("responseError(%d, %q) = nil", status, body)
		}
		var ae *clio.AuthError
		var pe *clio.APIError
		if !errors.As(err, &ae) && !errors.As(err, &pe) {
			t.Errorf("responseError(%d, %q) = %T, want a clio error type", status, body, err)
		}
		resp := &http.Response{StatusCode: 401, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
		invalidToken(resp)
	})
}
