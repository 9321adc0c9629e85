package fake

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/calldocket/calldocket/clio"
)

func TestMattersFilters(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	f := sampleFirm()
	open := map[int64]int{}
	for _, m := range f.Matters {
		if m.Status == clio.MatterOpen {
			open[m.Client.ID]++
		}
	}
	var client int64
	for id, n := range open {
		if n > 1 && (client == 0 || id < client) {
			client = id
		}
	}
	count := func(pred func(clio.Matter) bool) int {
		n := 0
		for _, m := range f.Matters {
			if pred(m) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name  string
		query url.Values
		want  int
	}{
		{"all", url.Values{}, len(f.Matters)},
		{"closed", url.Values{"status": {"closed"}}, count(func(m clio.Matter) bool { return m.Status == clio.MatterClosed })},
		{"open,pending", url.Values{"status": {"open,pending"}}, count(func(m clio.Matter) bool { return m.Status != clio.MatterClosed })},
		{"client open", url.Values{"client_id": {strconv.FormatInt(client, 10)}, "status": {"open"}}, open[client]},
		{"client any", url.Values{"client_id": {strconv.FormatInt(client, 10)}}, count(func(m clio.Matter) bool { return m.Client.ID == client })},
		{"updated_since", url.Values{"updated_since": {"2025-06-01T00:00:00Z"}}, count(func(m clio.Matter) bool {
			return m.UpdatedAt.Format("2006-01-02") >= "2025-06-01"
		})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.query.Set("fields", "id,status,client{id,name},display_number,responsible_attorney{id,name},practice_area{name}")
			got := listAll(t, ts.URL+"/api/v4/matters.json", tc.query)
			if len(got) != tc.want {
				t.Errorf("GET matters %v = %d rows, want %d", tc.query, len(got), tc.want)
			}
			for _, m := range got {
				switch m["status"] {
				case "Open", "Pending", "Closed":
				default:
					t.Fatalf("status = %v, want capitalized", m["status"])
				}
			}
		})
	}
	for _, bad := range []string{"status=Open", "status=open,archived", "client_id=abc"} {
		if r := get(t, ts.URL+"/api/v4/matters.json?"+bad); r.Status != http.StatusBadRequest {
			t.Errorf("GET matters?%s status = %d, want 400", bad, r.Status)
		}
	}
	m := f.Matters[10]
	r := get(t, ts.URL+"/api/v4/matters/"+strconv.FormatInt(m.ID, 10)+".json")
	if r.Status != http.StatusOK || r.Body["data"].(map[string]any)["display_number"] != m.DisplayNumber {
		t.Errorf("GET matter %d = %d %s, want %s", m.ID, r.Status, r.Raw, m.DisplayNumber)
	}
}
