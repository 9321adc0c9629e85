//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// What the scripted day checks at the end: the ledger and Clio.

// drain waits until every decided call and missed call is in Clio.
func (d *day) drain() {
	d.t.Helper()
	defer func() {
		if d.t.Failed() {
			q, _, _ := d.cli("queue", "list", "--json")
			c, _, _ := d.cli("calls", "--json")
			d.t.Logf("queue list --json:\n%s\ncalls --json:\n%s", q, c)
		}
	}()
	waitFor(d.t, "the outbox to drain", 90*time.Second, func() bool {
		var st struct {
			Running bool           `json:"running"`
			Queue   map[string]int `json:"queue"`
			Calls   map[string]int `json:"calls"` // ledger records by state
		}
		if err := json.Unmarshal([]byte(d.e.mustRun("status", "--json")), &st); err != nil {
			d.t.Fatalf("status --json: %v", err)
		}
		if !st.Running {
			d.t.Fatalf("the app is not running")
		}
		if st.Queue["failed"] > 0 {
			d.t.Fatalf("Clio refused items: %s", d.e.mustRun("queue", "list", "--json"))
		}
		return st.Queue["pending"]+st.Queue["delivering"] == 0 && st.Calls["queued"] == 0
	})
}

// assertLedger: every call is in the state it must be in; nothing lost,
// nothing recorded twice.
func (d *day) assertLedger() {
	d.t.Helper()
	led := d.ledger()
	if len(led) != len(d.calls) {
		d.t.Errorf("the ledger holds %d records, want %d", len(led), len(d.calls))
	}
	for _, dc := range d.calls {
		r, ok := led[dc.number]
		if !ok {
			d.t.Errorf("call %s: not in the ledger (lost)", dc.id)
			continue
		}
		if r.State != dc.final || r.Kind != dc.kind || r.Reason != dc.reason {
			d.t.Errorf("call %s: %s %s (%q), want %s %s (%q)", dc.id, r.Kind, r.State, r.Reason, dc.kind, dc.final, dc.reason)
		}
		if dc.final == "delivered" && r.CommID == 0 {
			d.t.Errorf("call %s: delivered without a Clio communication id", dc.id)
		}
		if dc.final != "delivered" && (r.OutboxID != 0 || r.CommID != 0) {
			d.t.Errorf("call %s: undecided yet queued (outbox %d, communication %d)", dc.id, r.OutboxID, r.CommID)
		}
		if dc.kind == "call" && dc.final == "delivered" {
			if r.Billable != dc.billable {
				d.t.Errorf("call %s: billable %v, want %v", dc.id, r.Billable, dc.billable)
			}
			if r.DurationS == nil || (dc.durS >= 0 && *r.DurationS != dc.durS) {
				d.t.Errorf("call %s: duration_s %v, want %d", dc.id, r.DurationS, dc.durS)
			}
		}
		if wantDir := map[bool]string{true: "out", false: "in"}[dc.out]; r.Direction != wantDir {
			d.t.Errorf("call %s: direction %s, want %s", dc.id, r.Direction, wantDir)
		}
	}
}

// assertClio: one Communication per logged call, tagged with its event
// id, and one time entry per logged call of at least the minimum
// duration, linked to it; nothing else.
func (d *day) assertClio() {
	d.t.Helper()
	base, token := d.e.sandboxAPI()
	var comms []communication
	getAllPages(d.t, base, token, "/api/v4/communications.json?fields=id,subject,received_at,external_properties", &comms)
	var acts []activity
	getAllPages(d.t, base, token, "/api/v4/activities.json?fields=id,type,quantity,non_billable,communication", &acts)

	byID := map[int64]communication{}
	byEvent := map[string]int{}
	for _, c := range comms {
		byID[c.ID] = c
		for _, p := range c.ExternalProperties {
			if p.Name == eventIDProperty {
				byEvent[p.Value]++
			}
		}
	}
	actsByComm := map[int64][]activity{}
	for _, a := range acts {
		if a.Communication == nil {
			d.t.Errorf("time entry %d has no communication", a.ID)
			continue
		}
		actsByComm[a.Communication.ID] = append(actsByComm[a.Communication.ID], a)
	}

	led := d.ledger()
	logged, entries := 0, 0
	for _, dc := range d.calls {
		r := led[dc.number]
		if r.State != "delivered" {
			continue
		}
		logged++
		c, ok := byID[r.CommID]
		if !ok {
			d.t.Errorf("call %s: communication %d is not in Clio (lost)", dc.id, r.CommID)
			continue
		}
		ev := fmt.Sprintf("%s-%s-%s", dc.kind, dc.id, r.StartedAt.UTC().Format("20060102T150405"))
		if n := byEvent[ev]; n != 1 {
			d.t.Errorf("call %s: %d communications tagged %s, want exactly 1", dc.id, n, ev)
		}
		if !strings.Contains(c.Subject, dc.number[len(dc.number)-4:]) {
			d.t.Errorf("call %s: communication subject %q does not name the number", dc.id, c.Subject)
		}
		got := actsByComm[c.ID]
		if dc.kind != "call" || r.DurationS == nil || *r.DurationS < dayMinDurS {
			if len(got) != 0 {
				d.t.Errorf("call %s (%s, %v s): %d time entries, want none", dc.id, dc.kind, r.DurationS, len(got))
			}
			continue
		}
		entries++
		if len(got) != 1 {
			d.t.Errorf("call %s: %d time entries, want exactly 1", dc.id, len(got))
			continue
		}
		if a := got[0]; int64(a.Quantity) != *r.DurationS || a.NonBillable == r.Billable {
			d.t.Errorf("call %s: time entry %+v, want %d s, billable %v", dc.id, a, *r.DurationS, r.Billable)
		}
	}
	if len(comms) != logged {
		d.t.Errorf("Clio holds %d communications, want %d (one per logged call)", len(comms), logged)
	}
	if len(acts) != entries {
		d.t.Errorf("Clio holds %d time entries, want %d", len(acts), entries)
	}
	d.t.Logf("Clio holds %d communications and %d time entries for %d logged calls", len(comms), len(acts), logged)
}

// getAllPages GETs every page of a Clio list (a small page size, so paging is
// exercised) and decodes the records into out (a pointer to a slice).
func getAllPages[T any](t *testing.T, base, token, path string, out *[]T) {
	t.Helper()
	next := base + path + "&limit=5"
	for next != "" {
		req, _ := http.NewRequest(http.MethodGet, next, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("X-API-VERSION", "4.0.13")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", next, err)
		}
		var page struct {
			Data []T
			Meta struct {
				Paging struct {
					Next string `json:"next"`
				} `json:"paging"`
			} `json:"meta"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("GET %s: %s %v", next, resp.Status, err)
		}
		*out = append(*out, page.Data...)
		next = page.Meta.Paging.Next
	}
}

func medianOf(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
