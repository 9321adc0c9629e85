package fake

import (
	"fmt"
	"net/http"
	"testing"
)

func TestSampleFirmRelationships(t *testing.T) {
	f := sampleFirm()
	if len(f.Relationships) != sampleRels {
		t.Fatalf("len(Relationships) = %d, want %d", len(f.Relationships), sampleRels)
	}
	clients := map[int64]int64{}
	for _, m := range f.Matters {
		clients[m.ID] = m.Client.ID
	}
	contacts := map[int64]bool{}
	for _, c := range f.Contacts {
		contacts[c.ID] = true
	}
	for _, r := range f.Relationships {
		client, ok := clients[r.MatterID]
		if !ok || !contacts[r.ContactID] || client == r.ContactID || r.Description == "" {
			t.Errorf("relationship %+v: want an existing matter, a contact other than its client, a description", r)
		}
	}
}

func TestRelationshipsAndPhoneNumbers(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	rel := sampleFirm().Relationships[0]
	r := get(t, fmt.Sprintf("%s/api/v4/relationships.json?contact_id=%d&fields=id,description,matter{id,display_number},contact{id,name}", ts.URL, rel.ContactID))
	if r.Status != http.StatusOK {
		t.Fatalf("GET relationships = %d %s", r.Status, r.Raw)
	}
	list := dataList(t, r)
	found := false
	for _, x := range list {
		if idOf(x["contact"].(map[string]any)) != rel.ContactID {
			t.Errorf("relationship %v is not of contact %d", x, rel.ContactID)
		}
		if idOf(x) == rel.ID {
			found = x["description"] == rel.Description && idOf(x["matter"].(map[string]any)) == rel.MatterID &&
				x["matter"].(map[string]any)["display_number"] != nil
		}
	}
	if !found {
		t.Errorf("relationships of contact %d = %v, want %+v", rel.ContactID, list, rel)
	}
	if r := get(t, ts.URL+"/api/v4/relationships.json?fields=matter{client{id}}"); r.Status != http.StatusBadRequest {
		t.Errorf("two nesting levels = %d, want 400", r.Status)
	}

	// Phone numbers, paged one at a time.
	var c = sampleFirm().Contacts[0]
	for _, x := range sampleFirm().Contacts {
		if len(x.PhoneNumbers) >= 2 {
			c = x
			break
		}
	}
	next := fmt.Sprintf("%s/api/v4/contacts/%d/phone_numbers.json?limit=1&fields=id,number,name,primary", ts.URL, c.ID)
	var numbers []string
	for next != "" {
		r := get(t, next)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s = %d %s", next, r.Status, r.Raw)
		}
		for _, p := range dataList(t, r) {
			numbers = append(numbers, p["number"].(string))
		}
		next = nextURL(r)
	}
	if len(numbers) != len(c.PhoneNumbers) {
		t.Errorf("phone numbers of %d = %v, want %d", c.ID, numbers, len(c.PhoneNumbers))
	}
	if r := get(t, ts.URL+"/api/v4/contacts/1/phone_numbers.json"); r.Status != http.StatusNotFound {
		t.Errorf("phone numbers of a missing contact = %d, want 404", r.Status)
	}
}

func TestNewServerChecksRelationships(t *testing.T) {
	f := sampleFirm()
	bad := &Firm{Users: f.Users, Contacts: f.Contacts, Matters: f.Matters,
		Relationships: []Relationship{{ID: 1, ContactID: 1, MatterID: f.Matters[0].ID, Description: "x"}}}
	if _, err := NewServer(bad, Options{Token: testToken}); err == nil {
		t.Error("NewServer(relationship to a missing contact) error = nil, want an error")
	}
}

func TestLenientMode(t *testing.T) {
	m, c := firstOpenMatter(t)
	body := communicationBody(m.ID, c.ID, "evt-lenient")
	data := body["data"]
	raw := mustJSON(t, data)
	withExtra := `{"data":` + raw[:len(raw)-1] + `,"colour":"red","matter_extra":{"a":1}},"top":1}`
	missing := `{"data":{"type":"PhoneCommunication","subject":"s","colour":"red"}}`
	for _, tc := range []struct {
		name    string
		lenient bool
		body    string
		want    int
	}{
		{"strict unknown key", false, withExtra, http.StatusUnprocessableEntity},
		{"lenient unknown key", true, withExtra, http.StatusCreated},
		{"strict missing field", false, missing, http.StatusUnprocessableEntity},
		{"lenient missing field", true, missing, http.StatusUnprocessableEntity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{Lenient: tc.lenient})
			r := call(t, http.MethodPost, ts.URL+"/api/v4/communications.json", tc.body, nil)
			if r.Status != tc.want {
				t.Fatalf("POST(lenient=%v, %s) = %d %s, want %d", tc.lenient, tc.body, r.Status, r.Raw, tc.want)
			}
			if r.Status == http.StatusCreated && len(s.Communications()) != 1 {
				t.Errorf("Communications() = %d, want 1", len(s.Communications()))
			}
		})
	}
}
