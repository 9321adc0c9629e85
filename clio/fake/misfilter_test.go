package fake

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// TestIgnoreExternalFilter: with Options.IgnoreExternalFilter the lists
// that CallDocket's adoption relies on return every record, unrelated ones
// first, across pages; other filters still apply.
func TestIgnoreExternalFilter(t *testing.T) {
	_, ts := newTestServer(t, Options{IgnoreExternalFilter: true})
	m, c := firstOpenMatter(t)
	var comms []int64
	for _, ev := range []string{"call-1", "call-2", "call-3"} {
		r := call(t, http.MethodPost, ts.URL+"/api/v4/communications.json", communicationBody(m.ID, c.ID, ev), nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("POST communication %s = %d %s", ev, r.Status, r.Raw)
		}
		comms = append(comms, idOf(r.Body["data"].(map[string]any)))
	}
	var acts []int64
	for _, comm := range comms[:2] {
		r := call(t, http.MethodPost, ts.URL+"/api/v4/activities.json", map[string]any{"data": map[string]any{
			"type": "TimeEntry", "date": "2026-05-04", "quantity": 60, "non_billable": false,
			"communication": map[string]any{"id": comm},
		}}, nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("POST activity = %d %s", r.Status, r.Raw)
		}
		acts = append(acts, idOf(r.Body["data"].(map[string]any)))
	}
	var folders []int64
	for _, tag := range []string{"matter-1", "matter-2"} {
		r := call(t, http.MethodPost, ts.URL+"/api/v4/folders.json", map[string]any{"data": map[string]any{
			"name": "Faxes", "parent": map[string]any{"id": m.ID, "type": "Matter"},
			"external_properties": []map[string]any{{"name": "calldocket_fax_folder", "value": tag}},
		}}, nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("POST folder = %d %s", r.Status, r.Raw)
		}
		folders = append(folders, idOf(r.Body["data"].(map[string]any)))
	}

	byProp := func(name, value string) url.Values {
		return url.Values{"external_property_name": {name}, "external_property_value": {value}, "limit": {"1"}}
	}
	tests := []struct {
		name string
		path string
		q    url.Values
		want []int64 // nil: only check the last ids
		tail []int64
	}{
		{"communications: unrelated first", "communications.json", byProp("calldocket_event_id", "call-2"),
			[]int64{comms[0], comms[2], comms[1]}, nil},
		{"communications: other filters hold", "communications.json",
			url.Values{"external_property_name": {"calldocket_event_id"}, "external_property_value": {"call-1"}, "contact_id": {"1"}}, []int64{}, nil},
		{"communications: no filter, id order", "communications.json", url.Values{"limit": {"2"}}, comms, nil},
		{"activities: unrelated first", "activities.json",
			url.Values{"communication_id": {strconv.FormatInt(comms[0], 10)}, "limit": {"1"}}, []int64{acts[1], acts[0]}, nil},
		{"folders: unrelated first", "folders.json",
			url.Values{"external_property_name": {"calldocket_fax_folder"}, "external_property_value": {"matter-1"}},
			nil, []int64{folders[0]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids := []int64{}
			for _, rec := range listAll(t, ts.URL+"/api/v4/"+tc.path, tc.q) {
				ids = append(ids, idOf(rec))
			}
			if tc.want != nil && !equalIDs(ids, tc.want) {
				t.Errorf("GET %s?%s = %v, want %v", tc.path, tc.q.Encode(), ids, tc.want)
			}
			if tc.tail != nil && (len(ids) < len(tc.tail)+1 || !equalIDs(ids[len(ids)-len(tc.tail):], tc.tail)) {
				t.Errorf("GET %s?%s: %d records ending %v, want more than %d ending %v (the matching records last)",
					tc.path, tc.q.Encode(), len(ids), ids[max(0, len(ids)-3):], len(tc.tail), tc.tail)
			}
		})
	}
}

func TestIgnoreExternalFilterFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    bool
		wantErr bool
	}{
		{"", false, false}, {"1", true, false}, {"true", true, false}, {" 0 ", false, false}, {"yes", false, true},
	} {
		t.Setenv(EnvIgnoreExternalFilter, tc.env)
		got, err := IgnoreExternalFilterFromEnv()
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("IgnoreExternalFilterFromEnv() with %q = %t, %v, want %t (error %t)", tc.env, got, err, tc.want, tc.wantErr)
		}
	}
}
