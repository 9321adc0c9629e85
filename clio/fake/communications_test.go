package fake

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// firstOpenMatter returns an open matter and its client.
func firstOpenMatter(t *testing.T) (clio.Matter, clio.Contact) {
	t.Helper()
	f := sampleFirm()
	for _, m := range f.Matters {
		if m.Status != clio.MatterOpen {
			continue
		}
		for _, c := range f.Contacts {
			if c.ID == m.Client.ID {
				return m, c
			}
		}
	}
	t.Fatal("sample firm has no open matter")
	return clio.Matter{}, clio.Contact{}
}

// communicationBody is what the clio client sends (types.go shapes).
func communicationBody(matterID, contactID int64, eventID string) map[string]any {
	return map[string]any{"data": clio.CommunicationCreate{
		Type:       clio.CommunicationPhone,
		Subject:    "Inbound call",
		Body:       "Duration 00:07:12.",
		ReceivedAt: time.Date(2026, 5, 4, 14, 3, 0, 0, time.FixedZone("EDT", -4*3600)),
		Matter:     &clio.IDRef{ID: matterID},
		Senders:    []clio.Participant{{ID: contactID, Type: clio.ParticipantContact}},
		Receivers:  []clio.Participant{{ID: 1, Type: clio.ParticipantUser}},
		ExternalProperties: []clio.ExternalProperty{
			{Name: "calldocket_event_id", Value: eventID},
		},
	}}
}

func TestCommunicationCreateAndFind(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	m, c := firstOpenMatter(t)
	fields := "?fields=id,type,subject,received_at,matter{id,display_number},senders,receivers,external_properties"
	r := call(t, http.MethodPost, ts.URL+"/api/v4/communications.json"+fields, communicationBody(m.ID, c.ID, "call-1"), nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST communications status = %d, body %s, want 201", r.Status, r.Raw)
	}
	data := r.Body["data"].(map[string]any)
	id := idOf(data)
	if data["type"] != "PhoneCommunication" || data["matter"].(map[string]any)["display_number"] != m.DisplayNumber {
		t.Errorf("created = %v, want PhoneCommunication on %s", data, m.DisplayNumber)
	}
	sender := data["senders"].([]any)[0].(map[string]any)
	if sender["type"] != c.Type || sender["name"] != c.Name {
		t.Errorf("sender = %v, want read shape type %s name %s", sender, c.Type, c.Name)
	}
	if got := data["received_at"]; got != "2026-05-04T14:03:00-04:00" {
		t.Errorf("received_at = %v, want 2026-05-04T14:03:00-04:00", got)
	}
	call(t, http.MethodPost, ts.URL+"/api/v4/communications.json", communicationBody(m.ID, c.ID, "call-2"), nil)

	tests := []struct {
		name  string
		query url.Values
		want  []int64
	}{
		{"by external property", url.Values{"external_property_name": {"calldocket_event_id"}, "external_property_value": {"call-1"}}, []int64{id}},
		{"value is exact", url.Values{"external_property_name": {"calldocket_event_id"}, "external_property_value": {"call"}}, nil},
		{"value is case-sensitive", url.Values{"external_property_name": {"calldocket_event_id"}, "external_property_value": {"CALL-1"}}, nil},
		{"by matter", url.Values{"matter_id": {strconv.FormatInt(m.ID, 10)}}, []int64{id, id + 1}},
		{"by contact", url.Values{"contact_id": {strconv.FormatInt(c.ID, 10)}}, []int64{id, id + 1}},
		{"by other contact", url.Values{"contact_id": {"1"}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := listAll(t, ts.URL+"/api/v4/communications.json", tc.query)
			var ids []int64
			for _, rec := range got {
				ids = append(ids, idOf(rec))
			}
			if !equalIDs(ids, tc.want) {
				t.Errorf("GET communications %v = %v, want %v", tc.query, ids, tc.want)
			}
		})
	}
	if r := get(t, ts.URL+"/api/v4/communications/"+strconv.FormatInt(id, 10)+".json"); r.Status != http.StatusOK {
		t.Errorf("GET communication %d status = %d, want 200", id, r.Status)
	}
	if got := s.Communications(); len(got) != 2 || got[0].ID != id || got[0].ExternalProperties[0].Value != "call-1" {
		t.Errorf("Communications() = %+v, want the two created, in order", got)
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCommunicationValidation(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	m, c := firstOpenMatter(t)
	base := `"type":"PhoneCommunication","subject":"s","body":"b"`
	ok := `{"data":{` + base + `,"received_at":"2026-05-04T14:03:00Z"}}`
	six := `[` + strings.Repeat(`{"name":"n","value":"v"},`, 5) + `{"name":"n","value":"v"}]`
	tests := []struct {
		name     string
		body     string
		status   int
		typ      string
		contains string
	}{
		{"minimal ok", ok, 201, "", ""},
		{"missing received_at", `{"data":{` + base + `}}`, 422, "RecordInvalid", "data.received_at is required"},
		{"bad received_at", `{"data":{` + base + `,"received_at":"yesterday"}}`, 422, "RecordInvalid", "data.received_at"},
		{"unknown field", `{"data":{` + base + `,"received_at":"2026-05-04T14:03:00Z","user":{"id":1}}}`, 422, "InvalidFieldsError", "data.user"},
		{"unknown top-level", `{"data":{` + base + `,"received_at":"2026-05-04T14:03:00Z"},"extra":1}`, 422, "InvalidFieldsError", "extra"},
		{"not wrapped", `{` + base + `,"received_at":"2026-05-04T14:03:00Z"}`, 422, "", "data is required"},
		{"subject not a string", `{"data":{"type":"PhoneCommunication","subject":5,"body":"b","received_at":"2026-05-04T14:03:00Z"}}`, 422, "RecordInvalid", "data.subject must be a string"},
		{"matter id as string", `{"data":{` + base + `,"received_at":"2026-05-04T14:03:00Z","matter":{"id":"5"}}}`, 422, "RecordInvalid", "data.matter.id must be an integer"},
		{"bad type enum", `{"data":{"type":"SmsCommunication","subject":"s","body":"b","received_at":"2026-05-04T14:03:00Z"}}`, 422, "RecordInvalid", "data.type must be one of"},
		{"bad participant type", `{"data":{` + base + `,"received_at":"2026-05-04T14:03:00Z","senders":[{"id":1,"type":"Person"}]}}`, 422, "RecordInvalid", "data.senders[0].type"},
		{"six external properties", `{"data":{` + base + `,"received_at":"2026-05-04T14:03:00Z","external_properties":` + six + `}}`, 422, "RecordInvalid", "external_properties"},
		{"unknown matter", `{"data":{` + base + `,"received_at":"2026-05-04T14:03:00Z","matter":{"id":1}}}`, 422, "RecordInvalid", "matter"},
		{"unknown contact", `{"data":{` + base + `,"received_at":"2026-05-04T14:03:00Z","senders":[{"id":1,"type":"Contact"}]}}`, 422, "RecordInvalid", "Contact 1"},
		{"null matter", `{"data":{` + base + `,"received_at":"2026-05-04T14:03:00Z","matter":null}}`, 422, "RecordInvalid", "data.matter must not be null"},
		{"not JSON", `{"data":`, 400, "", ""},
		{"trailing data", ok + `{}`, 400, "", ""},
		{"with matter and contact", mustJSON(t, communicationBody(m.ID, c.ID, "x")), 201, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, http.MethodPost, ts.URL+"/api/v4/communications.json", tc.body, nil)
			if r.Status != tc.status {
				t.Fatalf("POST %s status = %d, want %d (body %s)", tc.body, r.Status, tc.status, r.Raw)
			}
			if tc.status < 400 {
				return
			}
			typ, msg := errorObject(t, r)
			if tc.typ != "" && typ != tc.typ {
				t.Errorf("error type = %q, want %q (message %q)", typ, tc.typ, msg)
			}
			if !strings.Contains(msg, tc.contains) {
				t.Errorf("error message = %q, want it to contain %q", msg, tc.contains)
			}
		})
	}
}

func TestActivities(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	m, c := firstOpenMatter(t)
	r := call(t, http.MethodPost, ts.URL+"/api/v4/communications.json", communicationBody(m.ID, c.ID, "call-1"), nil)
	commID := idOf(r.Body["data"].(map[string]any))

	body := map[string]any{"data": clio.ActivityCreate{
		Type: clio.ActivityTimeEntry, Date: "2026-05-04", Quantity: 432, Note: "Call with client",
		NonBillable: true, Matter: &clio.IDRef{ID: m.ID}, User: &clio.IDRef{ID: 2},
		Communication: &clio.IDRef{ID: commID},
	}}
	r = call(t, http.MethodPost, ts.URL+"/api/v4/activities.json?fields=id,quantity,quantity_in_hours,non_billable,matter{id},user{id,name},communication{id}", body, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST activities status = %d, body %s, want 201", r.Status, r.Raw)
	}
	data := r.Body["data"].(map[string]any)
	if data["quantity"] != 432.0 || data["quantity_in_hours"] != 0.12 || data["non_billable"] != true ||
		data["user"].(map[string]any)["name"] != "Priya Shah" {
		t.Errorf("created activity = %v, want 432 s, 0.12 h, non-billable, Priya Shah", data)
	}
	actID := idOf(data)

	// Defaults to the current user; billable.
	r = call(t, http.MethodPost, ts.URL+"/api/v4/activities.json", map[string]any{"data": map[string]any{
		"type": "TimeEntry", "date": "2026-05-04", "quantity": 60, "matter": map[string]any{"id": m.ID}, "non_billable": false,
	}}, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST activities (no user) status = %d, body %s", r.Status, r.Raw)
	}

	got := listAll(t, ts.URL+"/api/v4/activities.json", url.Values{"communication_id": {strconv.FormatInt(commID, 10)}, "type": {"TimeEntry"}})
	if len(got) != 1 || idOf(got[0]) != actID {
		t.Errorf("GET activities?communication_id=%d = %v, want [%d]", commID, got, actID)
	}
	acts := s.Activities()
	if len(acts) != 2 || acts[0].Quantity != 432 || acts[0].Date != "2026-05-04" || !acts[0].NonBillable ||
		acts[0].Communication.ID != commID || acts[1].User.ID != 1 || acts[1].NonBillable {
		t.Errorf("Activities() = %+v, want the two entries as posted", acts)
	}

	for _, tc := range []struct {
		name, body, contains string
	}{
		{"missing date", `{"data":{"type":"TimeEntry","quantity":1}}`, "data.date is required"},
		{"bad date", `{"data":{"type":"TimeEntry","date":"05/04/2026"}}`, "data.date"},
		{"quantity as string", `{"data":{"type":"TimeEntry","date":"2026-05-04","quantity":"60"}}`, "data.quantity must be a number"},
		{"non_billable as string", `{"data":{"type":"TimeEntry","date":"2026-05-04","non_billable":"true"}}`, "data.non_billable must be a boolean"},
		{"unknown matter", `{"data":{"type":"TimeEntry","date":"2026-05-04","matter":{"id":1}}}`, "matter"},
		{"unknown communication", `{"data":{"type":"TimeEntry","date":"2026-05-04","communication":{"id":1}}}`, "communication"},
		{"unknown user", `{"data":{"type":"TimeEntry","date":"2026-05-04","user":{"id":99}}}`, "user"},
		{"negative quantity", `{"data":{"type":"TimeEntry","date":"2026-05-04","quantity":-5}}`, "quantity"},
		{"expense entry", `{"data":{"type":"ExpenseEntry","date":"2026-05-04"}}`, "TimeEntry"},
		{"bad type", `{"data":{"type":"Timer","date":"2026-05-04"}}`, "data.type must be one of"},
		{"unknown field", `{"data":{"type":"TimeEntry","date":"2026-05-04","duration":5}}`, "data.duration is not a known field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, http.MethodPost, ts.URL+"/api/v4/activities.json", tc.body, nil)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("POST %s status = %d, want 422 (body %s)", tc.body, r.Status, r.Raw)
			}
			if _, msg := errorObject(t, r); !strings.Contains(msg, tc.contains) {
				t.Errorf("message = %q, want it to contain %q", msg, tc.contains)
			}
		})
	}
}

func TestConcurrentCreates(t *testing.T) {
	s, ts := newTestServer(t, Options{StatePath: t.TempDir() + "/state.json"})
	m, c := firstOpenMatter(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := call(t, http.MethodPost, ts.URL+"/api/v4/communications.json", communicationBody(m.ID, c.ID, "c"+strconv.Itoa(i)), nil)
			if r.Status != http.StatusCreated {
				t.Errorf("POST status = %d", r.Status)
			}
			get(t, ts.URL+"/api/v4/communications.json?external_property_name=calldocket_event_id")
			_ = s.Communications()
			_ = s.Requests()
		}()
	}
	wg.Wait()
	comms := s.Communications()
	seen := map[int64]bool{}
	for _, cm := range comms {
		if seen[cm.ID] {
			t.Errorf("duplicate communication id %d", cm.ID)
		}
		seen[cm.ID] = true
	}
	if len(comms) != 8 {
		t.Errorf("len(Communications()) = %d, want 8", len(comms))
	}
}
