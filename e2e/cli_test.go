//go:build e2e

package e2e

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio/fake"
)

// startClio serves the Clio emulator (strict request validation against the
// published spec) over real HTTP on 127.0.0.1.
func startClio(t *testing.T, token string) (*fake.Server, *httptest.Server) {
	t.Helper()
	f, err := fake.NewServer(fake.SampleFirm(), fake.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.Handler())
	t.Cleanup(func() { ts.Close(); f.Close() })
	return f, ts
}

// TestLogAndFlushToClioCompatibleServer: `calldocket log … && calldocket flush`
// with CALLDOCKET_CLIO_URL pointing at a Clio-compatible server posts
// spec-valid requests, exactly once, and survives a dead network.
func TestLogAndFlushToClioCompatibleServer(t *testing.T) {
	const token = "e2e-token"
	f, ts := startClio(t, token)

	// First with a dead network: the port is closed.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String()
	ln.Close()
	e := newEnv(t, "CALLDOCKET_CLIO_URL="+dead, "CALLDOCKET_CLIO_TOKEN="+token)

	// --at must be within the past year: two days ago, at 14:03 in New York.
	ny := time.FixedZone("EDT", -4*3600)
	at := time.Now().In(ny).AddDate(0, 0, -2)
	at = time.Date(at.Year(), at.Month(), at.Day(), 14, 3, 0, 0, ny)
	out := e.mustRun("log", "--number", "(212) 555-0142", "--duration", "4:12", "--billable",
		"--note", "Discussed the lease", "--at", at.Format(time.RFC3339), "--name", "Test Caller")
	if !strings.HasPrefix(out, "queued #1") {
		t.Fatalf("log printed %q", out)
	}
	if _, errs, code := e.run("flush"); code == 0 {
		t.Fatalf("flush against a dead server exited 0; stderr %q", errs)
	}
	var items []map[string]any
	json.Unmarshal([]byte(e.mustRun("queue", "list", "--json")), &items)
	if len(items) != 1 || items[0]["state"] != "pending" || items[0]["error"] == "" {
		t.Fatalf("after a failed flush, queue = %v; want one pending item with the reason", items)
	}

	// Now the real server: delivered once, even if flushed twice.
	e.vars = append(filterEnv(e.vars, "CALLDOCKET_CLIO_URL"), "CALLDOCKET_CLIO_URL="+ts.URL)
	if out, errs, code := e.run("flush"); code != 0 {
		t.Fatalf("flush: exit %d, %s %s", code, out, errs)
	}
	e.mustRun("flush")
	if n := len(f.Communications()); n != 1 {
		t.Fatalf("server has %d communications, want 1", n)
	}
	if n := len(f.Activities()); n != 1 {
		t.Fatalf("server has %d activities, want 1", n)
	}
	a := f.Activities()[0]
	if a.Quantity != 252 || a.NonBillable || a.Date != at.Format(time.DateOnly) && a.Date != at.AddDate(0, 0, 1).Format(time.DateOnly) {
		t.Errorf("time entry = %+v, want 252 s, billable, dated the call's day", a)
	}
	c := f.Communications()[0]
	if !strings.Contains(c.Subject, "Test Caller") || !strings.Contains(c.Body, "Discussed the lease") {
		t.Errorf("communication = %+v", c)
	}
	for _, r := range f.Requests() {
		if r.Status >= 400 {
			t.Errorf("%s %s answered %d: %s", r.Method, r.Path, r.Status, r.Body)
		}
		if r.Header.Get("X-API-VERSION") != "4.0.13" {
			t.Errorf("%s %s sent X-API-VERSION %q", r.Method, r.Path, r.Header.Get("X-API-VERSION"))
		}
	}
	json.Unmarshal([]byte(e.mustRun("queue", "list", "--json")), &items)
	if len(items) != 1 || items[0]["state"] != "delivered" || items[0]["clio_communication_id"].(float64) != float64(c.ID) {
		t.Errorf("queue = %v, want one delivered item with Clio's id", items)
	}
}

// TestCLIBadArguments: every bad command line gets one line and exit 2.
func TestCLIBadArguments(t *testing.T) {
	e := newEnv(t)
	for _, args := range [][]string{
		{"frobnicate"},
		{"log", "--duration", "10"},
		{"log", "--number", "123", "--duration", "ten minutes"},
		{"log", "--number", "123", "--duration", "10", "--billable", "--non-billable"},
		{"log", "--number", "123", "--duration", "10", "--at", "yesterday"},
		{"event", "ringing"},
		{"queue", "retry", "abc"},
		{"lookup"},
		{"status", "--bogus"},
		{"calls", "bogus"},
		{"calls", "decide", "abc", "--billable"},
		{"calls", "decide", "99999", "--billable"},
		{"calls", "decide", "1"},
		{"calls", "later"},
		{"calls", "--since", "yesterday"},
	} {
		_, errs, code := e.run(args...)
		if code != 2 {
			t.Errorf("calldocket %v: exit %d, want 2 (stderr %q)", args, code, errs)
		}
		if !strings.HasPrefix(errs, "calldocket: ") || strings.Contains(errs, "goroutine") {
			t.Errorf("calldocket %v: stderr %q, want a one-line error", args, errs)
		}
	}
	// With no app running, the event is recorded in the call ledger itself.
	if out, errs, code := e.run("event", "ringing", "--number", "+12125550123", "--id", "offline-1", "--no-start"); code != 0 {
		t.Errorf("event with no app running: exit %d, want 0 (%s %s)", code, out, errs)
	}
	out, errs, code := e.run("calls", "--json")
	if code != 0 || !strings.Contains(out, `"state": "ringing"`) || !strings.Contains(out, `"e164": "+12125550123"`) {
		t.Errorf("calls --json after an offline event: exit %d, %s %s; want the ringing call", code, out, errs)
	}
	_ = http.StatusOK
}

// TestLookupSandbox: `lookup --json` answers from the local directory of the
// sample firm, with the documented shape.
func TestLookupSandbox(t *testing.T) {
	e := newEnv(t)
	e.mustRun("sync")
	var res struct {
		Number  string `json:"number"`
		Matches []struct {
			ContactID    int64  `json:"contact_id"`
			Name         string `json:"name"`
			Strength     string `json:"strength"`
			ClientStatus string `json:"client_status"`
			Matters      []struct {
				ID                  int64  `json:"id"`
				DisplayNumber       string `json:"display_number"`
				Status              string `json:"status"`
				ResponsibleAttorney string `json:"responsible_attorney"`
			} `json:"matters"`
		} `json:"matches"`
	}
	// A number the sample firm stores as "(212) 555-0123"-style text matches exactly.
	var known, knownName string
	for _, c := range fake.SampleFirm().Contacts {
		for _, p := range c.PhoneNumbers {
			if strings.HasPrefix(p.Number, "(") && c.Type == "Person" {
				known, knownName = p.Number, c.Name
				break
			}
		}
		if known != "" {
			break
		}
	}
	// Call it in another format than the one stored.
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, known)
	if err := json.Unmarshal([]byte(e.mustRun("lookup", "+1 "+digits[:3]+"."+digits[3:6]+"."+digits[6:10], "--json")), &res); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range res.Matches {
		if m.Name == knownName && m.Strength == "exact" && m.ClientStatus != "" {
			found = true
		}
	}
	if res.Number != "+1"+digits[:10] || !found {
		t.Errorf("lookup of %q = %+v, want an exact match for the stored contact", known, res)
	}

	// A number nobody in the firm has: no matches, still the documented JSON.
	out := e.mustRun("lookup", "+1 907 555 0199", "--json")
	if !strings.Contains(out, `"matches":[]`) {
		t.Errorf("unknown number lookup = %s, want an empty matches array", out)
	}
}
