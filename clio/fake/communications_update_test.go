package fake

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCommunicationUpdate(t *testing.T) {
	s, ts := newTestServer(t, Options{StatePath: t.TempDir() + "/state.json"})
	m, c := firstOpenMatter(t)
	r := call(t, http.MethodPost, ts.URL+"/api/v4/communications.json", communicationBody(m.ID, c.ID, "missed-1"), nil)
	id := idOf(r.Body["data"].(map[string]any))
	u := ts.URL + "/api/v4/communications/" + strconv.FormatInt(id, 10) + ".json"

	body := `{"data":{"body":"Duration 00:07:12.\n\nNote: call back"}}`
	r = call(t, http.MethodPatch, u+"?fields=id,subject,body,external_properties{name,value}", body, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("PATCH status = %d, body %s, want 200", r.Status, r.Raw)
	}
	data := r.Body["data"].(map[string]any)
	if data["body"] != "Duration 00:07:12.\n\nNote: call back" || data["subject"] != "Inbound call" {
		t.Errorf("PATCH answer = %v, want the new body and the old subject", data)
	}
	if _, ok := data["received_at"]; ok {
		t.Errorf("PATCH answer = %v, want only the fields asked for", data)
	}
	// Without the .json suffix, a subject and received_at.
	r = call(t, http.MethodPatch, strings.TrimSuffix(u, ".json"),
		`{"data":{"subject":"Missed call","received_at":"2026-05-05T09:00:00Z","matter":{"id":`+strconv.FormatInt(m.ID, 10)+`}}}`, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("PATCH (no suffix) status = %d, body %s, want 200", r.Status, r.Raw)
	}
	got := s.Communications()
	if len(got) != 1 || got[0].Subject != "Missed call" || !strings.HasSuffix(got[0].Body, "Note: call back") ||
		!got[0].ReceivedAt.Equal(time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)) || got[0].ExternalProperties[0].Value != "missed-1" {
		t.Errorf("Communications() = %+v, want one, updated, keeping its external property", got)
	}
	if r := get(t, u); r.Body["data"].(map[string]any)["subject"] != "Missed call" {
		t.Errorf("GET after PATCH = %s, want the new subject", r.Raw)
	}

	for _, tc := range []struct {
		name, url, body string
		status          int
		contains        string
	}{
		{"blank body", u, `{"data":{"body":" "}}`, 422, "data.body can't be blank"},
		{"blank subject", u, `{"data":{"subject":""}}`, 422, "data.subject can't be blank"},
		{"unknown field", u, `{"data":{"note":"x"}}`, 422, "data.note is not a known field"},
		{"body not a string", u, `{"data":{"body":5}}`, 422, "data.body must be a string"},
		{"bad received_at", u, `{"data":{"received_at":"yesterday"}}`, 422, "data.received_at"},
		{"unknown matter", u, `{"data":{"matter":{"id":1}}}`, 422, "matter"},
		{"not modelled", u, `{"data":{"senders":[{"id":1,"type":"User"}]}}`, 422, "are supported by the fake"},
		{"bad type", u, `{"data":{"type":"SmsCommunication"}}`, 422, "data.type must be one of"},
		{"no such communication", ts.URL + "/api/v4/communications/999999.json", `{"data":{"body":"b"}}`, 404, ""},
		{"bad id", ts.URL + "/api/v4/communications/abc.json", `{"data":{"body":"b"}}`, 404, ""},
		{"not JSON", u, `{"data":`, 400, ""},
		{"bad fields", u + "?fields=bogus", `{"data":{"body":"b"}}`, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, http.MethodPatch, tc.url, tc.body, nil)
			if r.Status != tc.status {
				t.Fatalf("PATCH %s status = %d, want %d (body %s)", tc.body, r.Status, tc.status, r.Raw)
			}
			if _, msg := errorObject(t, r); !strings.Contains(msg, tc.contains) {
				t.Errorf("message = %q, want it to contain %q", msg, tc.contains)
			}
		})
	}
	if got := s.Communications(); got[0].Body == " " || got[0].Subject == "" {
		t.Errorf("a refused PATCH changed the record: %+v", got[0])
	}
}

// A commit-then-drop fault on PATCH stores the update and loses the answer.
func TestCommunicationUpdateCommitThenDrop(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	m, c := firstOpenMatter(t)
	r := call(t, http.MethodPost, ts.URL+"/api/v4/communications.json", communicationBody(m.ID, c.ID, "missed-2"), nil)
	id := idOf(r.Body["data"].(map[string]any))
	s.InjectFaults(Fault{Method: http.MethodPatch, PathPrefix: "/api/v4/communications/", Kind: FaultCommitThenDrop, Times: 1})
	status, _, err := try(http.MethodPatch, ts.URL+"/api/v4/communications/"+strconv.FormatInt(id, 10)+".json",
		[]byte(`{"data":{"body":"updated"}}`))
	if err == nil {
		t.Fatalf("PATCH under commit-then-drop = %d, want no answer", status)
	}
	if got := s.Communications(); got[0].Body != "updated" {
		t.Errorf("body after a dropped PATCH = %q, want the update committed", got[0].Body)
	}
}
