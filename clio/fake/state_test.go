package fake

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestStatePersistsAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox", "clio.json")
	m, c := firstOpenMatter(t)

	s1, err := NewServer(sampleFirm(), Options{Token: testToken, StatePath: path})
	if err != nil {
		t.Fatalf("NewServer() error = %v", err)
	}
	ts1 := httpServer(t, s1)
	r := call(t, http.MethodPost, ts1+"/api/v4/communications.json", communicationBody(m.ID, c.ID, "evt-1"), nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST communication status = %d, body %s", r.Status, r.Raw)
	}
	commID := idOf(r.Body["data"].(map[string]any))
	r = call(t, http.MethodPost, ts1+"/api/v4/activities.json", map[string]any{"data": map[string]any{
		"type": "TimeEntry", "date": "2026-05-04", "quantity": 90, "matter": map[string]any{"id": m.ID},
		"communication": map[string]any{"id": commID},
	}}, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST activity status = %d, body %s", r.Status, r.Raw)
	}
	r = call(t, http.MethodPost, ts1+"/api/v4/contacts.json", `{"data":{"type":"Person","first_name":"New","last_name":"Caller","phone_numbers":[{"name":"Mobile","number":"+15550001111"}]}}`, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST contact status = %d, body %s", r.Status, r.Raw)
	}
	contactID := idOf(r.Body["data"].(map[string]any))

	// The file exists after each write, before Close.
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("state file after writes: %v", err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode = %v, want 0600", info.Mode().Perm())
	}
	if err := s1.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	var st stateFile
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &st); err != nil || len(st.Communications) != 1 || len(st.Activities) != 1 || len(st.Contacts) != 1 {
		t.Fatalf("state file = %s (err %v), want 1 communication, 1 activity, 1 contact", b, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("state dir has %d entries, want only the state file (no temp files left)", len(entries))
	}

	s2, err := NewServer(sampleFirm(), Options{Token: testToken, StatePath: path})
	if err != nil {
		t.Fatalf("NewServer(restart) error = %v", err)
	}
	ts2 := httpServer(t, s2)
	if got := s2.Communications(); len(got) != 1 || got[0].ID != commID {
		t.Errorf("Communications() after restart = %+v, want [%d]", got, commID)
	}
	if got := s2.Activities(); len(got) != 1 || got[0].Communication.ID != commID || got[0].Quantity != 90 {
		t.Errorf("Activities() after restart = %+v, want the 90 s entry", got)
	}
	found := listAll(t, ts2+"/api/v4/communications.json", map[string][]string{
		"external_property_name": {"calldocket_event_id"}, "external_property_value": {"evt-1"},
	})
	if len(found) != 1 || idOf(found[0]) != commID {
		t.Errorf("dedupe lookup after restart = %v, want [%d]", found, commID)
	}
	if r := get(t, ts2+"/api/v4/contacts.json?query=%2B15550001111"); len(dataList(t, r)) != 1 || idOf(dataList(t, r)[0]) != contactID {
		t.Errorf("created contact after restart = %s, want id %d", r.Raw, contactID)
	}
	// New ids continue after the saved ones.
	r = call(t, http.MethodPost, ts2+"/api/v4/communications.json", communicationBody(m.ID, c.ID, "evt-2"), nil)
	if id := idOf(r.Body["data"].(map[string]any)); id <= commID {
		t.Errorf("id after restart = %d, want > %d", id, commID)
	}
	if err := s2.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	s3, err := NewServer(sampleFirm(), Options{Token: testToken, StatePath: path})
	if err != nil {
		t.Fatalf("NewServer(second restart) error = %v", err)
	}
	if got := len(s3.Communications()); got != 2 {
		t.Errorf("communications after second restart = %d, want 2", got)
	}
}

func TestStateCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clio.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewServer(sampleFirm(), Options{Token: testToken, StatePath: path}); err == nil {
		t.Error("NewServer(corrupt state) error = nil, want an error")
	}
}

// httpServer serves s on a real listener for the rest of the test.
func httpServer(t *testing.T, s *Server) string {
	t.Helper()
	ts := newHTTPTest(s.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}
