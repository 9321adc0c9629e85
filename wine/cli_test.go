//go:build wine

package wine

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio/fake"
)

// TestVersion: the GUI-subsystem exe still prints `version` to its caller:
// through a pipe (a script, a hook), and typed in a console, where Windows
// gives a GUI program no standard handles and the exe takes its parent's
// console (AttachConsole). Wine gives a GUI program started by `start
// /wait` no handles either; under a pseudo-terminal `start` has a console.
func TestVersion(t *testing.T) {
	p := newPrefix(t)
	r := p.run("version")
	want := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(want, "calldocket ") {
		t.Fatalf("wine calldocket.exe version: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	t.Logf("version: %q in %s", want, r.took.Round(time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, args := range [][]string{{"version"}, {"frobnicate"}} {
		cmd := exec.CommandContext(ctx, "script", "-qec", "wine start /wait /unix '"+exe+"' "+args[0], "/dev/null")
		cmd.Env = p.vars
		cmd.WaitDelay = waitDelay
		out, err := cmd.CombinedOutput()
		code := exitCode(t, err)
		switch args[0] {
		case "version":
			if code != 0 || !strings.Contains(string(out), want) {
				t.Errorf("calldocket.exe version in a console: exit %d, output %q; want %q", code, out, want)
			}
		default:
			if code != 2 || !strings.Contains(string(out), `calldocket: unknown command "frobnicate"`) {
				t.Errorf("calldocket.exe frobnicate in a console: exit %d, output %q; want exit 2 and the error", code, out)
			}
		}
	}
}

// knownNumber is a Person of the sample firm stored as "(212) 555-0123"-style
// text, and its name.
func knownNumber(t *testing.T) (digits, name string) {
	t.Helper()
	for _, c := range fake.SampleFirm().Contacts {
		for _, ph := range c.PhoneNumbers {
			if strings.HasPrefix(ph.Number, "(") && c.Type == "Person" {
				d := strings.Map(func(r rune) rune {
					if r >= '0' && r <= '9' {
						return r
					}
					return -1
				}, ph.Number)
				return d[:10], c.Name
			}
		}
	}
	t.Fatal("the sample firm has no Person with a (NNN) number")
	return "", ""
}

// TestCLIContract: the Windows exe against the Clio emulator on 127.0.0.1:
// sync, lookup --json, log, flush, queue list --json and status --json, and
// exactly one Communication and one TimeEntry per logged call.
func TestCLIContract(t *testing.T) {
	const token = "wine-token"
	emu, err := fake.NewServer(fake.SampleFirm(), fake.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(emu.Handler())
	t.Cleanup(func() { ts.Close(); emu.Close() })

	p := newPrefix(t, "CALLDOCKET_CLIO_URL="+ts.URL, "CALLDOCKET_CLIO_TOKEN="+token)
	timings := map[string]time.Duration{}
	run := func(args ...string) string {
		t.Helper()
		r := p.run(args...)
		if r.code != 0 {
			t.Fatalf("calldocket %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		timings[args[0]] += r.took
		return r.stdout
	}

	run("sync")
	digits, name := knownNumber(t)
	var res struct {
		Number  string `json:"number"`
		Matches []struct {
			ContactID int64  `json:"contact_id"`
			Name      string `json:"name"`
			Strength  string `json:"strength"`
		} `json:"matches"`
	}
	out := run("lookup", "+1 "+digits[:3]+"."+digits[3:6]+"."+digits[6:], "--json")
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("lookup --json: %v in %q", err, out)
	}
	if res.Number != "+1"+digits || len(res.Matches) == 0 || res.Matches[0].Name != name || res.Matches[0].Strength != "exact" {
		t.Errorf("lookup --json = %+v, want an exact match for %s", res, name)
	}

	at := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	out = run("log", "--number", "+1"+digits, "--duration", "4:12", "--billable",
		"--note", "Lease call from Windows", "--at", at.Format(time.RFC3339))
	if !strings.HasPrefix(out, "queued #1") {
		t.Errorf("log printed %q, want queued #1", out)
	}
	run("flush")
	run("flush") // a second flush sends nothing again

	var items []map[string]any
	out = run("queue", "list", "--json")
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("queue list --json: %v in %q", err, out)
	}
	if len(items) != 1 || items[0]["state"] != "delivered" {
		t.Errorf("queue list --json = %v, want one delivered item", items)
	}
	var st struct {
		Running bool           `json:"running"`
		Mode    string         `json:"mode"`
		Online  bool           `json:"online"`
		Queue   map[string]int `json:"queue"`
	}
	out = run("status", "--json")
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v in %q", err, out)
	}
	if st.Running || st.Mode == "sandbox" || st.Mode == "" {
		t.Errorf("status --json = %+v, want not running, connected to Clio", st)
	}

	if n := len(emu.Communications()); n != 1 {
		t.Errorf("the emulator has %d communications, want 1", n)
	}
	if n := len(emu.Activities()); n != 1 {
		t.Errorf("the emulator has %d activities, want 1", n)
	} else if a := emu.Activities()[0]; a.Quantity != 252 || a.NonBillable {
		t.Errorf("time entry = %+v, want 252 s, billable", a)
	}
	for _, r := range emu.Requests() {
		if r.Status >= 400 {
			t.Errorf("%s %s answered %d: %s", r.Method, r.Path, r.Status, r.Body)
		}
	}
	for _, c := range []string{"sync", "lookup", "log", "flush", "queue", "status"} {
		t.Logf("round trip %-6s %s", c, timings[c].Round(time.Millisecond))
	}
}

// TestFilesUnderAppData: without CALLDOCKET_HOME the settings go to
// %APPDATA%\CallDocket and the data to %LOCALAPPDATA%\CallDocket, as the
// README says, for a user named with a space and a non-ASCII letter.
func TestFilesUnderAppData(t *testing.T) {
	p := newPrefix(t)
	p.mustRun("settings", "set", "default_billable", "true")
	p.mustRun("log", "--number", "+12125550142", "--duration", "90", "--non-billable", "--note", "From Zoë's desk")
	p.mustRun("sync")

	cfg := p.profile("AppData", "Roaming", "CallDocket", "config.json")
	if b, err := os.ReadFile(cfg); err != nil || !strings.Contains(string(b), "default_billable") {
		t.Errorf("config.json at %s: %v %q", cfg, err, b)
	}
	data := p.profile("AppData", "Local", "CallDocket")
	for _, f := range []string{"sandbox/outbox.db", "sandbox/calls.db", "sandbox/directory.db"} {
		if _, err := os.Stat(filepath.Join(data, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// Nothing landed in the profile's root or outside the two folders.
	var stray []string
	filepath.WalkDir(p.profile(), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(strings.ToLower(path), "calldocket") &&
			!strings.HasPrefix(path, data+string(filepath.Separator)) && path != cfg {
			stray = append(stray, path)
		}
		return nil
	})
	if len(stray) > 0 {
		t.Errorf("CallDocket files outside %%APPDATA%%/%%LOCALAPPDATA%%\\CallDocket: %v", stray)
	}
	var list []map[string]any
	out := p.mustRun("calls", "--json")
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Errorf("calls --json = %q (%v), want the logged call", out, err)
	} else if note := fmt.Sprint(list[0]["note"]); !strings.Contains(out, "Zoë") {
		t.Errorf("calls --json lost the non-ASCII note: %q", note)
	}
}
