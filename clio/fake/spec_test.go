package fake

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var validateCases = []struct {
	key  string
	body string
	want string // "" = valid; else a substring of the error
}{
	{bodyCommunications, `{"data":{"type":"PhoneCommunication","subject":"s","body":"b","received_at":"2026-05-04T14:03:00Z"}}`, ""},
	{bodyCommunications, `{"data":{"type":"PhoneCommunication","subject":"s","body":"b"}}`, "data.received_at is required"},
	{bodyCommunications, `{"data":{"type":"PhoneCommunication","subject":"s","body":"b","received_at":"2026-05-04"}}`, "data.received_at must be an ISO-8601 date-time"},
	{bodyCommunications, `{"data":{"type":"PhoneCommunication","subject":"s","body":"b","received_at":"2026-05-04T14:03:00Z","bogus":true}}`, "data.bogus is not a known field"},
	{bodyCommunications, `{"data":{"type":"PhoneCommunication","subject":"s","body":"b","received_at":"2026-05-04T14:03:00Z","senders":{}}}`, "data.senders must be an array"},
	{bodyCommunications, `{"data":{"type":"PhoneCommunication","subject":"s","body":"b","received_at":"2026-05-04T14:03:00Z","senders":[{"id":1.5,"type":"User"}]}}`, "data.senders[0].id must be an integer"},
	{bodyCommunications, `{"data":{"type":"PhoneCommunication","subject":"s","body":"b","received_at":"2026-05-04T14:03:00Z","external_properties":[{"name":"a","value":"b","id":3}]}}`, "data.external_properties[0].id is not a known field"},
	{bodyCommunications, `{"data":{"type":"PhoneCommunication","subject":"s","body":"b","received_at":"2026-05-04T14:03:00Z","notification_event_subscribers":[{}]}}`, "data.notification_event_subscribers[0].user_id is required"},
	{bodyCommunications, `{"data":[]}`, "data must be an object"},
	{bodyCommunications, `[]`, "body must be an object"},
	{bodyCommunications, `"x"`, "body must be an object"},
	{bodyCommunications, `{}`, "data is required"},
	{bodyCommunications, `{"data":`, "body is not valid JSON"},
	{bodyActivities, `{"data":{"type":"TimeEntry","date":"2026-05-04","quantity":432,"non_billable":false,"matter":{"id":1},"communication":{"id":2},"user":{"id":3},"note":"n"}}`, ""},
	{bodyActivities, `{"data":{"type":"TimeEntry","date":"2026-05-04","quantity":432.5}}`, ""},
	{bodyActivities, `{"data":{"type":"TimeEntry","date":"2026-5-4"}}`, "data.date must be an ISO-8601 date"},
	{bodyActivities, `{"data":{"type":"TimeEntry","date":"2026-05-04","quantity":true}}`, "data.quantity must be a number"},
	{bodyActivities, `{"data":{"type":"TimeEntry","date":"2026-05-04","matter":{"id":99999999999999999999}}}`, "data.matter.id must be an integer"},
	{bodyActivities, `{"data":{"type":"TimeEntry"}}`, "data.date is required"},
	{bodyActivities, `{"data":{"date":"2026-05-04"}}`, "data.type is required"},
	{bodyContacts, `{"data":{"type":"Person","first_name":"Ann","phone_numbers":[{"name":"Mobile","number":"+15551234567","default_number":true}]}}`, ""},
	{bodyContacts, `{"data":{"type":"Company","name":"Acme","currency":{"anything":1}}}`, ""},
	{bodyContacts, `{"data":{"type":"Robot","name":"R2"}}`, "data.type must be one of Person, Company"},
	{bodyContacts, `{"data":{"type":"Person","first_name":"A","phone_numbers":[{"number":"1","primary":true}]}}`, "data.phone_numbers[0].primary is not a known field"},
	{bodyContacts, `{"data":{"type":"Person","first_name":"A","phone_numbers":[{"number":1}]}}`, "data.phone_numbers[0].number must be a string"},
}

func TestDecodeBody(t *testing.T) {
	sp, err := loadSpec()
	if err != nil {
		t.Fatalf("loadSpec() error = %v", err)
	}
	for _, tc := range validateCases {
		t.Run(tc.key+" "+tc.body, func(t *testing.T) {
			_, err := decodeBody(sp.Requests[tc.key], []byte(tc.body))
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("decodeBody(%s) = %v, want nil", tc.body, err)
			case tc.want != "" && err == nil:
				t.Errorf("decodeBody(%s) = nil, want an error containing %q", tc.body, tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("decodeBody(%s) = %v, want an error containing %q", tc.body, err, tc.want)
			}
		})
	}
}

func TestSpecSubset(t *testing.T) {
	sp, err := loadSpec()
	if err != nil {
		t.Fatalf("loadSpec() error = %v", err)
	}
	for _, tc := range []struct {
		resource, field string
		nested          []string
	}{
		{"Contact", "phone_numbers", []string{"id", "number", "name", "primary"}},
		{"Contact", "company", []string{"id", "name"}},
		{"Contact", "primary_phone_number", nil},
		{"Matter", "client", []string{"id", "name"}},
		{"Matter", "practice_area", []string{"id", "name"}},
		{"Communication", "external_properties", []string{"name", "value"}},
		{"Activity", "quantity_in_hours", nil},
		{"User", "account", []string{"id", "name"}},
	} {
		nested, ok := sp.Resources[tc.resource][tc.field]
		if !ok {
			t.Errorf("spec %s has no field %s", tc.resource, tc.field)
			continue
		}
		for _, n := range tc.nested {
			if !contains(nested, n) {
				t.Errorf("spec %s.%s nested fields %v lack %s", tc.resource, tc.field, nested, n)
			}
		}
	}
}

// FuzzDecodeBody checks the validator never panics, is deterministic, and
// that whatever it accepts is an object with a "data" object.
func FuzzDecodeBody(f *testing.F) {
	for _, tc := range validateCases {
		f.Add(tc.key, []byte(tc.body))
	}
	sp, err := loadSpec()
	if err != nil {
		f.Fatalf("loadSpec() error = %v", err)
	}
	f.Fuzz(func(t *testing.T, key string, body []byte) {
		root := sp.Requests[key]
		if root == nil {
			root = sp.Requests[bodyCommunications]
		}
		data, err1 := decodeBody(root, body)
		_, err2 := decodeBody(root, body)
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("decodeBody(%q) not deterministic: %v vs %v", body, err1, err2)
		}
		if err1 != nil {
			var be *bodyError
			if !errors.As(err1, &be) || len(be.Fields) == 0 {
				t.Fatalf("decodeBody(%q) error = %#v, want a *bodyError with fields", body, err1)
			}
			return
		}
		if data == nil || reflect.TypeOf(data).Kind() != reflect.Map {
			t.Fatalf("decodeBody(%q) data = %v, want an object", body, data)
		}
	})
}
