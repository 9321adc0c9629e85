package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadRefusesBadValues(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		keys  []string // the fields reported, in order
		check func(Settings) bool
	}{
		{"increment", `{"increment_minutes": -6, "default_billable": true}`, []string{"increment_minutes"},
			func(s Settings) bool { return s.IncrementMinutes == 6 && s.DefaultBillable }},
		{"min digits", `{"min_digits": -5}`, []string{"min_digits"},
			func(s Settings) bool { return s.MinDigits == 7 }},
		{"unknown region", `{"default_region": "ZZ", "increment_minutes": 15}`, []string{"default_region"},
			func(s Settings) bool { return s.DefaultRegion == "US" && s.IncrementMinutes == 15 }},
		{"three at once", `{"increment_minutes": -6, "min_digits": -5, "default_region": "ZZ"}`,
			[]string{"increment_minutes", "min_digits", "default_region"},
			func(s Settings) bool { return s.IncrementMinutes == 6 && s.MinDigits == 7 && s.DefaultRegion == "US" }},
		{"pop timing", `{"pop_timing": "sometimes"}`, []string{"pop_timing"},
			func(s Settings) bool { return s.PopTiming == PopOnRing }},
		{"port", `{"redirect_port": 99999}`, []string{"redirect_port"},
			func(s Settings) bool { return s.RedirectPort == 53682 }},
		{"ami address", `{"ami": {"addr": "127.0.0.1:99999", "user": "u"}}`, []string{"ami.addr"},
			func(s Settings) bool { return s.AMI.Addr == "" && s.AMI.User == "u" }},
		{"huge region", `{"default_region": "` + strings.Repeat("Z", 100000) + `"}`, []string{"default_region"},
			func(s Settings) bool { return s.DefaultRegion == "US" }},
		{"firm number", `{"firm_numbers": ["+12125550100", "abc"]}`, []string{"firm_numbers"},
			func(s Settings) bool { return len(s.FirmNumbers) == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.json")
			if err := os.WriteFile(path, []byte(tt.json), 0o600); err != nil {
				t.Fatal(err)
			}
			s, first, err := Load(path)
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) || first {
				t.Fatalf("Load(%.100s) = %v, first %v; want a *FileError", tt.json, err, first)
			}
			var keys []string
			for _, p := range fe.Problems {
				keys = append(keys, p.Key)
			}
			if strings.Join(keys, ",") != strings.Join(tt.keys, ",") {
				t.Errorf("Load(%.100s) problems = %v, want %v", tt.json, keys, tt.keys)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "config.json: "+tt.keys[0]+" ") || !strings.Contains(msg, "in Settings or the file") ||
				strings.Contains(msg, "\n") || len(msg) > 400 {
				t.Errorf("Load(%.100s) error = %q, want one line naming config.json and %s", tt.json, msg, tt.keys[0])
			}
			if !tt.check(s) {
				t.Errorf("Load(%.100s) settings = %+v: bad fields not defaulted or good fields lost", tt.json, s)
			}
			if err := s.Validate(); err != nil {
				t.Errorf("Load(%.100s) returned settings that do not validate: %v", tt.json, err)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.json {
				t.Errorf("Load rewrote the file: %.100s", b)
			}
		})
	}
}

func TestLoadMessage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(path, []byte(`{"increment_minutes": -6}`), 0o600)
	_, _, err := Load(path)
	want := "config.json: increment_minutes -6: enter whole minutes from 1 to 60 — fix it in Settings or the file"
	if err == nil || err.Error() != want {
		t.Errorf("Load() = %v, want %q", err, want)
	}
}

func TestLoadGoodFiles(t *testing.T) {
	for _, js := range []string{`{}`, `{"pop_timing": "", "default_region": ""}`, `{"increment_minutes": 15, "default_region": "gb"}`,
		`{"desk_phone": {"enabled": true, "addr": ":18089"}}`, `{"sip": {"transport": "TLS"}}`} {
		path := filepath.Join(t.TempDir(), "config.json")
		os.WriteFile(path, []byte(js), 0o600)
		if _, _, err := Load(path); err != nil {
			t.Errorf("Load(%.100s) = %v, want nil", js, err)
		}
	}
	if _, first, err := Load(filepath.Join(t.TempDir(), "none.json")); err != nil || !first {
		t.Errorf("Load(missing) = %v, first %v; want nil, true", err, first)
	}
}
