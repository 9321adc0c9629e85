package settings

import (
	"testing"
	"time"
)

func TestReminderDue(t *testing.T) {
	on := Default()
	on.EndOfDayReminder, on.ReminderTime = true, "17:30"
	off := on
	off.EndOfDayReminder = false
	quiet := on
	quiet.Notifications = false
	bad := on
	bad.ReminderTime = "5pm"
	at := func(hm string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", "2026-12-07 "+hm, time.Local)
		return t
	}
	tests := []struct {
		name string
		s    Settings
		now  time.Time
		last string
		want bool
	}{
		{"before the time", on, at("17:29"), "", false},
		{"at the time", on, at("17:30"), "", true},
		{"later that evening", on, at("21:00"), "", true},
		{"given today already", on, at("18:00"), "2026-12-07", false},
		{"given yesterday", on, at("18:00"), "2026-12-06", true},
		{"reminder off", off, at("18:00"), "", false},
		{"notifications off", quiet, at("18:00"), "", false},
		{"bad time", bad, at("18:00"), "", false},
	}
	for _, tt := range tests {
		day, due := tt.s.ReminderDue(tt.now, tt.last)
		if due != tt.want || day != "2026-12-07" {
			t.Errorf("%s: ReminderDue = %q, %v; want 2026-12-07, %v", tt.name, day, due, tt.want)
		}
	}
}
