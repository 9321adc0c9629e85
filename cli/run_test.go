package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrayArgs(t *testing.T) {
	tests := []struct {
		args          []string
		tray, sandbox bool
	}{
		{nil, true, false},
		{[]string{"--sandbox"}, true, true},
		{[]string{"-sandbox"}, true, true},
		{[]string{"--sandbox", "x"}, false, false},
		{[]string{"status"}, false, false},
	}
	for _, tt := range tests {
		if tray, sandbox := TrayArgs(tt.args); tray != tt.tray || sandbox != tt.sandbox {
			t.Errorf("TrayArgs(%q) = %v, %v; want %v, %v", tt.args, tray, sandbox, tt.tray, tt.sandbox)
		}
	}
}

func TestRunVersion(t *testing.T) {
	var out bytes.Buffer
	if err := Run(t.Context(), []string{"version"}, &out, &bytes.Buffer{}, "1.2.3"); err != nil || out.String() != "calldocket 1.2.3\n" {
		t.Errorf("version = %q, %v", out.String(), err)
	}
}

// ledgerCalls lists the calls in the temporary home's ledger.
func ledgerCalls(t *testing.T) []callJSON {
	t.Helper()
	var out bytes.Buffer
	if err := Run(t.Context(), []string{"calls", "--json"}, &out, &bytes.Buffer{}, "test"); err != nil {
		t.Fatalf("calls --json: %v", err)
	}
	var cs []callJSON
	if err := json.Unmarshal(out.Bytes(), &cs); err != nil {
		t.Fatalf("calls --json: %v in %s", err, out.String())
	}
	return cs
}

// TestRunCallURI: a SIP, tel or callto URI as the only argument (as a
// softphone's hook passes it) is 'event ringing --number <user part>'.
// With no app running the call goes to the ledger.
func TestRunCallURI(t *testing.T) {
	for _, arg := range []string{
		"sip:+12125550123@pbx",
		"sip:+12125550123@pbx.example.com;user=phone",
		"SIPS:+12125550123@pbx:5061;transport=tls?Subject=x",
		"sip:%2B12125550123@pbx",
		`"Jane Client" <sip:+12125550123@pbx>`,
		"tel:+1-212-555-0123",
		"tel:+1-212-555-0123;ext=4",
		"callto:+12125550123",
		"callto://+12125550123",
		"(212) 555-0123",
		"calldocket://call?number=%2B12125550123",
	} {
		t.Run(arg, func(t *testing.T) {
			testHome(t)
			code, stdout, stderr, _ := runCLI(t, []string{arg})
			if code != 0 || !strings.Contains(stdout, "recorded (ringing)") {
				t.Fatalf("calldocket %q: exit %d, stdout %q, stderr %q; want the call recorded", arg, code, stdout, stderr)
			}
			var ringing []callJSON
			for _, c := range ledgerCalls(t) {
				if c.State == "ringing" {
					ringing = append(ringing, c)
				}
			}
			if len(ringing) != 1 || ringing[0].E164 != "+12125550123" {
				t.Errorf("calldocket %q: ringing calls %+v, want one from +12125550123", arg, ringing)
			}
		})
	}
}

// TestBadConfigFile: bad values in config.json stop a command with exit 2
// naming the field, leave the file alone, and never stop a call from
// being recorded.
func TestBadConfigFile(t *testing.T) {
	home := testHome(t)
	cfgPath := filepath.Join(home, "config.json")
	bad := []byte(`{"increment_minutes": -6, "min_digits": -5, "default_region": "ZZ"}` + "\n")
	if err := os.WriteFile(cfgPath, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	// status reports the refused values instead of stopping on them.
	var warned bytes.Buffer
	warnings = &warned
	t.Cleanup(func() { warnings = os.Stderr })
	if code, stdout, stderr, _ := runCLI(t, []string{"status"}); code != 0 ||
		!strings.Contains(stdout, "Settings refused: config.json: increment_minutes -6") {
		t.Errorf("status with a bad config.json: exit %d, stdout %q, stderr %q; want exit 0 naming the fields", code, stdout, stderr)
	}
	for _, args := range [][]string{{"calls"}, {"settings"}, {"queue"},
		{"log", "--number", "+12125550123", "--duration", "60"}, {"monitor", "--sip-server", "127.0.0.1:5060", "--sip-aor", "sip:201@pbx"}} {
		code, stdout, stderr, _ := runCLI(t, args)
		want := "calldocket: config.json: increment_minutes -6: enter whole minutes from 1 to 60; min_digits -5: "
		if code != ExitUsage || stdout != "" || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, `default_region "ZZ"`) ||
			strings.Count(stderr, "\n") != 1 {
			t.Errorf("calldocket %q with a bad config.json: exit %d, stdout %q, stderr %q; want exit 2 naming the fields",
				args, code, stdout, stderr)
		}
	}
	// A call from a softphone's hook is still recorded, with a warning.
	warned.Reset()
	code, stdout, stderr, _ := runCLI(t, []string{"event", "ringing", "--number", "+13125550100", "--no-start"})
	if code != 0 || !strings.Contains(stdout, "recorded (ringing)") || !strings.Contains(warned.String(), "increment_minutes -6") {
		t.Errorf("event with a bad config.json: exit %d, %q %q, warning %q; want it recorded with a warning", code, stdout, stderr, warned.String())
	}
	if b, _ := os.ReadFile(cfgPath); !bytes.Equal(b, bad) {
		t.Errorf("config.json was rewritten: %s", b)
	}
	// settings set is the way out: it fixes the value and says which
	// other refused values now hold their defaults.
	code, stdout, stderr, _ = runCLI(t, []string{"settings", "set", "increment_minutes", "15"})
	if code != 0 || !strings.Contains(stdout, "min_digits, default_region") {
		t.Errorf("settings set with a bad config.json: exit %d, %q %q", code, stdout, stderr)
	}
	if code, _, stderr, _ = runCLI(t, []string{"status"}); code != 0 {
		t.Errorf("status after the fix: exit %d, %q", code, stderr)
	}
}
