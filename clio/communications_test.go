package clio

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleCommunication() *CommunicationCreate {
	return &CommunicationCreate{
		Type:       CommunicationPhone,
		Subject:    "Inbound call",
		Body:       "Duration 00:07:12.",
		ReceivedAt: time.Date(2026, 5, 4, 14, 3, 0, 500, time.FixedZone("EDT", -4*3600)),
		Matter:     &IDRef{ID: 1},
		Senders:    []Participant{{ID: 987, Type: ParticipantContact, Name: "Ann Lee"}},
		Receivers:  []Participant{{ID: 123, Type: ParticipantUser}},
		ExternalProperties: []ExternalProperty{
			{ID: 77, Name: "calldocket_event_id", Value: "call-6f1c"},
		},
	}
}

func TestCommunicationsCreate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/communications.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testCommon(t, r, communicationFields)
		testQuery(t, r, url.Values{})
		testBody(t, r, `{"type":"PhoneCommunication","subject":"Inbound call","body":"Duration 00:07:12.",
			"received_at":"2026-05-04T14:03:00-04:00","matter":{"id":1},
			"senders":[{"id":987,"type":"Contact"}],"receivers":[{"id":123,"type":"User"}],
			"external_properties":[{"name":"calldocket_event_id","value":"call-6f1c"}]}`)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"data":{"id":555,"type":"PhoneCommunication","subject":"Inbound call","body":"Duration 00:07:12.",
			"received_at":"2026-05-04T14:03:00-04:00","matter":{"id":1},
			"senders":[{"id":987,"type":"Person","name":"Ann Lee"}],"receivers":[{"id":123,"type":"User","name":"Jane Doe"}],
			"external_properties":[{"id":9,"name":"calldocket_event_id","value":"call-6f1c"}]}}`)
	})
	got, resp, err := c.Communications.Create(t.Context(), sampleCommunication())
	if err != nil {
		t.Fatalf("Communications.Create error = %v", err)
	}
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("Communications.Create status = %d, want 201", resp.StatusCode)
	}
	want := &Communication{ID: 555, Type: CommunicationPhone, Subject: "Inbound call", Body: "Duration 00:07:12.",
		Matter:             &Ref{ID: 1},
		Senders:            []Participant{{ID: 987, Type: "Person", Name: "Ann Lee"}},
		Receivers:          []Participant{{ID: 123, Type: ParticipantUser, Name: "Jane Doe"}},
		ExternalProperties: []ExternalProperty{{ID: 9, Name: "calldocket_event_id", Value: "call-6f1c"}}}
	if wantAt := time.Date(2026, 5, 4, 18, 3, 0, 0, time.UTC); !got.ReceivedAt.Equal(wantAt) {
		t.Errorf("Communications.Create ReceivedAt = %v, want %v", got.ReceivedAt, wantAt)
	}
	got.ReceivedAt = time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Communications.Create = %+v, want %+v", got, want)
	}
}

func TestCommunicationsCreateInvalid(t *testing.T) {
	c, err := NewClient(nil, "https://app.clio.com")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(*CommunicationCreate)
	}{
		{"no type", func(cc *CommunicationCreate) { cc.Type = "" }},
		{"no subject", func(cc *CommunicationCreate) { cc.Subject = "" }},
		{"no body", func(cc *CommunicationCreate) { cc.Body = "" }},
		{"no received_at", func(cc *CommunicationCreate) { cc.ReceivedAt = time.Time{} }},
		{"zero matter", func(cc *CommunicationCreate) { cc.Matter = &IDRef{} }},
		{"sender without id", func(cc *CommunicationCreate) { cc.Senders[0].ID = 0 }},
		{"receiver of type Person", func(cc *CommunicationCreate) { cc.Receivers[0].Type = "Person" }},
		{"unnamed external property", func(cc *CommunicationCreate) { cc.ExternalProperties[0].Name = "" }},
		{"six external properties", func(cc *CommunicationCreate) {
			cc.ExternalProperties = make([]ExternalProperty, 6)
			for i := range cc.ExternalProperties {
				cc.ExternalProperties[i] = ExternalProperty{Name: fmt.Sprint("p", i), Value: "v"}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := sampleCommunication()
			tt.mutate(cc)
			if _, _, err := c.Communications.Create(t.Context(), cc); err == nil || !IsPermanent(err) {
				t.Errorf("Communications.Create(%s) error = %v, want a permanent error", tt.name, err)
			}
		})
	}
	if _, _, err := c.Communications.Create(t.Context(), nil); err == nil {
		t.Error("Communications.Create(nil) error = nil, want error")
	}
}

func TestCommunicationsCreateUTC(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/communications.json", func(w http.ResponseWriter, r *http.Request) {
		testBody(t, r, `{"type":"PhoneCommunication","subject":"s","body":"b","received_at":"2026-05-04T18:03:00Z"}`)
		fmt.Fprint(w, `{"data":{"id":1}}`)
	})
	cc := &CommunicationCreate{Type: CommunicationPhone, Subject: "s", Body: "b", ReceivedAt: testNow}
	if _, _, err := c.Communications.Create(t.Context(), cc); err != nil {
		t.Fatalf("Communications.Create error = %v", err)
	}
}

func TestCommunicationsListByExternalProperty(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/communications.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testCommon(t, r, communicationFields)
		testQuery(t, r, url.Values{"external_property_name": {"calldocket_event_id"},
			"external_property_value": {"call-6f1c&x=1"}, "order": {"id(asc)"}, "limit": {"200"}})
		// The first record does not carry the value asked for: a server
		// that ignored the filter sent it, and it must be left out.
		fmt.Fprint(w, `{"data":[{"id":554,"type":"PhoneCommunication","external_properties":[{"id":1,"name":"calldocket_event_id","value":"call-other"}]},
			{"id":555,"type":"PhoneCommunication","external_properties":[{"id":2,"name":"calldocket_event_id","value":"call-6f1c&x=1"}]}],"meta":{"paging":{}}}`)
	})
	got, _, err := c.Communications.ListByExternalProperty(t.Context(), "calldocket_event_id", "call-6f1c&x=1")
	if err != nil {
		t.Fatalf("Communications.ListByExternalProperty error = %v", err)
	}
	if want := []Communication{{ID: 555, Type: CommunicationPhone,
		ExternalProperties: []ExternalProperty{{ID: 2, Name: "calldocket_event_id", Value: "call-6f1c&x=1"}}}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Communications.ListByExternalProperty = %+v, want %+v", got, want)
	}
	for _, in := range [][2]string{{"", "v"}, {"n", ""}} {
		if _, _, err := c.Communications.ListByExternalProperty(t.Context(), in[0], in[1]); err == nil || !IsPermanent(err) {
			t.Errorf("Communications.ListByExternalProperty(%q, %q) error = %v, want a permanent error", in[0], in[1], err)
		}
	}
}

func TestFormatTimestamp(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 5, 4, 14, 3, 0, 999999999, time.FixedZone("", -4*3600)), "2026-05-04T14:03:00-04:00"},
		{time.Date(2026, 5, 4, 14, 3, 0, 0, time.UTC), "2026-05-04T14:03:00Z"},
		{time.Date(2026, 5, 4, 14, 3, 0, 0, time.FixedZone("", 5*3600+1800)), "2026-05-04T14:03:00+05:30"},
	}
	for _, tt := range tests {
		got := formatTimestamp(tt.in)
		if got != tt.want {
			t.Errorf("formatTimestamp(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if !strings.HasSuffix(got, "Z") && !strings.ContainsAny(got[len(got)-6:], "+-") {
			t.Errorf("formatTimestamp(%v) = %q has no zone offset", tt.in, got)
		}
	}
}

func TestCommunicationsList(t *testing.T) {
	since := time.Date(2026, 5, 1, 9, 0, 0, 0, time.FixedZone("EDT", -4*3600))
	tests := []struct {
		name string
		opts *CommunicationListOptions
		want url.Values
	}{
		{"nil options", nil, url.Values{"order": {"id(asc)"}, "limit": {"200"}}},
		{"all options", &CommunicationListOptions{ExternalPropertyName: "calldocket_event_id", ExternalPropertyValue: "e1",
			MatterID: 1, ContactID: 987, ReceivedSince: since, Limit: 10},
			url.Values{"order": {"id(asc)"}, "limit": {"10"}, "external_property_name": {"calldocket_event_id"},
				"external_property_value": {"e1"}, "matter_id": {"1"}, "contact_id": {"987"}, "received_since": {"2026-05-01T13:00:00Z"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/api/v4/communications.json", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testCommon(t, r, communicationFields)
				testQuery(t, r, tt.want)
				fmt.Fprint(w, `{"data":[{"id":555,"type":"PhoneCommunication","senders":[{"id":987,"type":"Person","name":"Ann Lee"}]}]}`)
			})
			got, _, err := c.Communications.List(t.Context(), tt.opts)
			want := []Communication{{ID: 555, Type: CommunicationPhone, Senders: []Participant{{ID: 987, Type: "Person", Name: "Ann Lee"}}}}
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Communications.List(%+v) = %+v, %v, want %+v", tt.opts, got, err, want)
			}
		})
	}
}

func TestCommunicationsListAll(t *testing.T) {
	c, mux, _ := setup(t)
	hits := pagedServer(t, mux, "/api/v4/communications.json", communicationFields, []string{`[{"id":1}]`, `[{"id":2}]`})
	var got []int64
	err := c.Communications.ListAll(t.Context(), &CommunicationListOptions{MatterID: 1}, func(cs []Communication) error {
		for _, cm := range cs {
			got = append(got, cm.ID)
		}
		return nil
	})
	if err != nil || !reflect.DeepEqual(got, []int64{1, 2}) || hits.Load() != 2 {
		t.Errorf("Communications.ListAll = %v, %v in %d requests, want [1 2] in 2", got, err, hits.Load())
	}
}

func TestCommunicationsListRejects(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("invalid request was sent: %s %s", r.Method, r.URL.Path)
	})
	tests := []*CommunicationListOptions{
		{ExternalPropertyName: "n"},
		{ExternalPropertyValue: "v"},
		{MatterID: -1},
		{ContactID: -1},
	}
	for _, opts := range tests {
		if _, _, err := c.Communications.List(t.Context(), opts); err == nil || !IsPermanent(err) {
			t.Errorf("Communications.List(%+v) error = %v, want a permanent error", opts, err)
		}
		if err := c.Communications.ListAll(t.Context(), opts, func([]Communication) error { return nil }); err == nil || !IsPermanent(err) {
			t.Errorf("Communications.ListAll(%+v) error = %v, want a permanent error", opts, err)
		}
	}
}

func TestCommunicationsUpdate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/communications/555.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPatch)
		testCommon(t, r, communicationFields)
		testQuery(t, r, url.Values{})
		testBody(t, r, `{"body":"Missed call.\n\nNote: call back"}`)
		fmt.Fprint(w, `{"data":{"id":555,"type":"PhoneCommunication","subject":"Missed call","body":"Missed call.\n\nNote: call back"}}`)
	})
	got, resp, err := c.Communications.Update(t.Context(), 555, &CommunicationUpdate{Body: "Missed call.\n\nNote: call back"})
	if err != nil {
		t.Fatalf("Communications.Update error = %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("Communications.Update status = %d, want 200", resp.StatusCode)
	}
	want := &Communication{ID: 555, Type: CommunicationPhone, Subject: "Missed call", Body: "Missed call.\n\nNote: call back"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Communications.Update = %+v, want %+v", got, want)
	}
}

func TestCommunicationsUpdateAllFields(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/communications/7.json", func(w http.ResponseWriter, r *http.Request) {
		testBody(t, r, `{"subject":"s","body":"b","received_at":"2026-05-04T14:03:00-04:00","matter":{"id":1}}`)
		fmt.Fprint(w, `{"data":{"id":7}}`)
	})
	u := &CommunicationUpdate{Subject: "s", Body: "b", Matter: &IDRef{ID: 1},
		ReceivedAt: time.Date(2026, 5, 4, 14, 3, 0, 0, time.FixedZone("EDT", -4*3600))}
	if _, _, err := c.Communications.Update(t.Context(), 7, u); err != nil {
		t.Fatalf("Communications.Update error = %v", err)
	}
}

func TestCommunicationsUpdateRejects(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("invalid request was sent: %s %s", r.Method, r.URL.Path)
	})
	tests := []struct {
		name string
		id   int64
		u    *CommunicationUpdate
	}{
		{"zero id", 0, &CommunicationUpdate{Body: "b"}},
		{"negative id", -1, &CommunicationUpdate{Body: "b"}},
		{"nil update", 7, nil},
		{"nothing to change", 7, &CommunicationUpdate{}},
		{"zero matter", 7, &CommunicationUpdate{Matter: &IDRef{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := c.Communications.Update(t.Context(), tt.id, tt.u); err == nil || !IsPermanent(err) {
				t.Errorf("Communications.Update(%d, %+v) error = %v, want a permanent error", tt.id, tt.u, err)
			}
		})
	}
}

// TestSpecCommunicationUpdate checks the PATCH body against the request
// schema of Clio's spec and the fields list against its 200 response.
func TestSpecCommunicationUpdate(t *testing.T) {
	spec := loadSpec(t)
	body := captureBody(t, "/api/v4/communications/7.json", func(c *Client) error {
		_, _, err := c.Communications.Update(t.Context(), 7, &CommunicationUpdate{Subject: "s", Body: "b",
			ReceivedAt: testNow, Matter: &IDRef{ID: 1}})
		return err
	})
	op := operation(t, spec, "/communications/{id}.json", "patch")
	schema := resolve(spec, dig(op, "requestBody", "content", "application/json", "schema"))
	if schema == nil {
		t.Fatal("spec has no JSON request body for PATCH /communications/{id}.json")
	}
	checkBody(t, spec, "body", body, schema)

	fields, err := parseFields(communicationFields)
	if err != nil {
		t.Fatal(err)
	}
	var respSchema any
	for _, v := range dig(op, "responses", "200", "content").(object) {
		respSchema = dig(v, "schema")
	}
	props := properties(spec, elem(spec, properties(spec, respSchema)["data"]))
	for _, f := range fields {
		if _, ok := props[f.name]; !ok {
			t.Errorf("field %q is not in the PATCH /communications/{id}.json response (known: %s)", f.name, keys(props))
		}
	}
}

func init() {
	// Communications.Update joins the error, rate limit and query
	// parameter tests that run every method.
	methodCalls = append(methodCalls, struct {
		name, path string
		call       func(ctx context.Context, c *Client) (*Response, error)
	}{"Communications.Update", "/api/v4/communications/7.json", func(ctx context.Context, c *Client) (*Response, error) {
		_, r, err := c.Communications.Update(ctx, 7, &CommunicationUpdate{Body: "b"})
		return r, err
	}})
}
