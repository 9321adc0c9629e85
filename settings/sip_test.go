package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSIPExpires(t *testing.T) {
	if got := Default().SIP.Expires(); got != 10*time.Minute {
		t.Fatalf("Default().SIP.Expires() = %v, want 10m", got)
	}
	for _, tc := range []struct {
		value   string
		want    int
		wantErr string
	}{
		{"600", 600, ""},
		{"60", 60, ""},
		{" 86400 ", 86400, ""},
		{"59", 0, "sip.expires_seconds 59: enter seconds from 60 to 86400"},
		{"86401", 0, "sip.expires_seconds 86401: enter seconds from 60 to 86400"},
		{"0", 0, "sip.expires_seconds 0"},
		{"-600", 0, "sip.expires_seconds -600"},
		{"ten", 0, "sip.expires_seconds wants a whole number"},
	} {
		s := Default()
		err := Set(&s, "sip.expires_seconds", tc.value)
		if tc.wantErr != "" {
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Set(sip.expires_seconds, %q) = %v, want one line with %q", tc.value, err, tc.wantErr)
			}
			if s.SIP.ExpiresSeconds != DefaultSIPExpiresSeconds {
				t.Errorf("Set(sip.expires_seconds, %q) failed but stored %d", tc.value, s.SIP.ExpiresSeconds)
			}
			continue
		}
		if err != nil || s.SIP.ExpiresSeconds != tc.want {
			t.Errorf("Set(sip.expires_seconds, %q) = %v, value %d, want %d", tc.value, err, s.SIP.ExpiresSeconds, tc.want)
		}
	}
	found := false
	for _, k := range Keys() {
		found = found || k == "sip.expires_seconds"
	}
	if !found {
		t.Errorf("Keys() lacks sip.expires_seconds: %v", Keys())
	}
}

// TestSIPExpiresOldFile: a settings file from before the setting gets the
// default.
func TestSIPExpiresOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(`{"call_source":"sip","sip":{"server":"pbx:5060","aor":"sip:1001@pbx"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.SIP.ExpiresSeconds != DefaultSIPExpiresSeconds {
		t.Fatalf("loaded sip.expires_seconds = %d, want %d", s.SIP.ExpiresSeconds, DefaultSIPExpiresSeconds)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
}
