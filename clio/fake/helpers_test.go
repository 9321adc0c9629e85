package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const testToken = "test-token-123"

var (
	sampleOnce sync.Once
	sample     *Firm
)

// sampleFirm builds the sample firm once per test binary; NewServer copies
// it, so tests cannot disturb each other.
func sampleFirm() *Firm {
	sampleOnce.Do(func() { sample = SampleFirm() })
	return sample
}

// newTestServer starts the fake on a real HTTP listener.
func newTestServer(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	s, err := NewServer(sampleFirm(), opts)
	if err != nil {
		t.Fatalf("NewServer() error = %v", err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		if err := s.Close(); err != nil {
			t.Errorf("Close() error = %v", err)
		}
	})
	return s, ts
}

type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// call does one request with the test token (unless header overrides
// Authorization; an empty value removes it).
func call(t *testing.T, method, url string, body any, header map[string]string) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal body: %v", err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatalf("NewRequest(%s %s) error = %v", method, url, err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s error = %v", method, url, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	out := response{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out.Body); err != nil {
			t.Fatalf("%s %s: body %q is not a JSON object: %v", method, url, raw, err)
		}
	}
	return out
}

// get is call for GET without extra headers.
func get(t *testing.T, url string) response {
	t.Helper()
	return call(t, http.MethodGet, url, nil, nil)
}

// errorObject returns the {"error":{"type","message"}} of a response.
func errorObject(t *testing.T, r response) (typ, msg string) {
	t.Helper()
	e, ok := r.Body["error"].(map[string]any)
	if !ok {
		t.Fatalf("body %s has no error object", r.Raw)
	}
	typ, _ = e["type"].(string)
	msg, _ = e["message"].(string)
	return typ, msg
}

// dataList returns the "data" array of a list response.
func dataList(t *testing.T, r response) []map[string]any {
	t.Helper()
	arr, ok := r.Body["data"].([]any)
	if !ok {
		t.Fatalf("body %s has no data array", r.Raw)
	}
	out := make([]map[string]any, len(arr))
	for i, v := range arr {
		out[i] = v.(map[string]any)
	}
	return out
}

// nextURL returns meta.paging.next or "".
func nextURL(r response) string {
	meta, _ := r.Body["meta"].(map[string]any)
	paging, _ := meta["paging"].(map[string]any)
	next, _ := paging["next"].(string)
	return next
}

func idOf(rec map[string]any) int64 {
	f, _ := rec["id"].(float64)
	return int64(f)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func newHTTPTest(h http.Handler) *httptest.Server { return httptest.NewServer(h) }
