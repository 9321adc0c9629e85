package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
)

// The writer's tests moved to package deliver with the writer; the service
// tests still need the emulator.

// emulator serves the Clio emulator over real HTTP; wrap lets a test break
// requests on purpose.
func emulator(t testing.TB, wrap func(http.Handler) http.Handler) (*fake.Server, *clio.Client) {
	t.Helper()
	f, err := fake.NewServer(fake.SampleFirm(), fake.Options{Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	h := f.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { ts.Close(); f.Close() })
	c, err := clio.NewClient(clio.TokenHTTPClient(t.Context(), "tok"), ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}
