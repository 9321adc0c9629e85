package settings

import (
	"errors"
	"testing"
)

func TestSet(t *testing.T) {
	tests := []struct {
		key, value string
		check      func(Settings) bool
		wantErr    bool
	}{
		{"default_billable", "true", func(s Settings) bool { return s.DefaultBillable }, false},
		{"increment_minutes", "15", func(s Settings) bool { return s.IncrementMinutes == 15 }, false},
		{"min_duration_s", " 30 ", func(s Settings) bool { return s.MinDurationS == 30 }, false},
		{"pop_timing", "answer", func(s Settings) bool { return s.PopTiming == PopOnAnswer }, false},
		{"sip.server", "pbx.example.com:5060", func(s Settings) bool { return s.SIP.Server == "pbx.example.com:5060" }, false},
		{"desk_phone.enabled", "true", func(s Settings) bool { return s.DeskPhone.Enabled }, false},
		{"firm_numbers", "+12025550100, +12025550101", func(s Settings) bool { return len(s.FirmNumbers) == 2 }, false},
		{"time_zone", "America/New_York", func(s Settings) bool { return s.TimeZone == "America/New_York" }, false},
		{"increment_minutes", "0", nil, true},
		{"increment_minutes", "six", nil, true},
		{"default_billable", "maybe", nil, true},
		{"pop_timing", "later", nil, true},
		{"reminder_time", "5pm", nil, true},
		{"time_zone", "Mars/Olympus", nil, true},
		{"signed_in", "true", nil, true},
		{"no_such_key", "1", nil, true},
	}
	for _, tt := range tests {
		s := Default()
		before := s.Clone()
		err := Set(&s, tt.key, tt.value)
		if tt.wantErr {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Set(%s, %q) = %v, want ErrInvalid", tt.key, tt.value, err)
			}
			if s.IncrementMinutes != before.IncrementMinutes || s.PopTiming != before.PopTiming {
				t.Errorf("Set(%s, %q) failed but changed the settings", tt.key, tt.value)
			}
			continue
		}
		if err != nil || !tt.check(s) {
			t.Errorf("Set(%s, %q) = %v; settings %+v", tt.key, tt.value, err, s)
		}
	}
}

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatal(err)
	}
	if len(Keys()) < 30 {
		t.Fatalf("Keys() = %v", Keys())
	}
}
