package deliver

import (
	"testing"
	"time"

	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

func TestTimeEntryDateInUserZone(t *testing.T) {
	it := queue.Item{Kind: queue.KindCall, StartedAt: time.Date(2026, 5, 5, 2, 30, 0, 0, time.UTC), DurationS: 60}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	tests := []struct {
		loc  *time.Location
		want string
	}{{time.UTC, "2026-05-05"}, {ny, "2026-05-04"}}
	for _, tt := range tests {
		t.Run(tt.loc.String(), func(t *testing.T) {
			if got := timeEntryFor(it, 1, 2, tt.loc).Date; got != tt.want {
				t.Errorf("timeEntryFor(%v).Date = %s, want %s", tt.loc, got, tt.want)
			}
		})
	}
	s := settings.Settings{TimeZone: "America/New_York"}
	if got := timeEntryFor(it, 1, 2, s.Location()).Date; got != "2026-05-04" {
		t.Errorf("timeEntryFor(settings zone America/New_York).Date = %s, want 2026-05-04", got)
	}
}

func TestTimeEntryFor(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*queue.Item)
		wantNote string
	}{
		{"the note", func(*queue.Item) {}, "lease"},
		{"inbound without note", func(it *queue.Item) { it.Note = "" }, "Phone call from Ann Lee"},
		{"outbound without note", func(it *queue.Item) { it.Note, it.Direction = "", "out" }, "Phone call to Ann Lee"},
		{"unknown caller", func(it *queue.Item) { it.Note, it.Name = "", "" }, "Phone call from unknown caller"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := sampleCall()
			tt.edit(&it)
			a := timeEntryFor(it, 3, 9, time.UTC)
			if a.Note != tt.wantNote || a.Quantity != it.DurationS || a.NonBillable == it.Billable ||
				a.User.ID != 3 || a.Communication.ID != 9 || a.Matter == nil || a.Matter.ID != it.MatterID {
				t.Errorf("timeEntryFor() = %+v, want note %q and the call's duration, billing, user, communication and matter", a, tt.wantNote)
			}
		})
	}
}
