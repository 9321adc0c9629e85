package clio

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestTokenHTTPClient(t *testing.T) {
	var gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		fmt.Fprint(w, `{"data":{"id":1}}`)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(TokenHTTPClient(t.Context(), "tok-123"), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Users.WhoAmI(t.Context()); err != nil {
		t.Fatalf("WhoAmI error = %v", err)
	}
	if want := "Bearer tok-123"; gotAuth != want {
		t.Errorf("Authorization = %q, want %q", gotAuth, want)
	}
}
