package app

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

func TestWithDamaged(t *testing.T) {
	items := []*fyne.MenuItem{{Label: "Connected to Clio"}, {Label: "Review calls…"}}
	if got := withDamaged(items, nil, false); len(got) != 2 {
		t.Errorf("withDamaged(no repairs) = %d items, want 2", len(got))
	}
	got := withDamaged(items, []sqlitefile.Repair{{What: "outbox"}, {What: "directory"}}, true)
	want := []string{"Connected to Clio", "Damaged outbox set aside · see 'calldocket status'",
		"Damaged directory set aside · see 'calldocket status'", badSettingsLabel, "Review calls…"}
	if len(got) != len(want) {
		t.Fatalf("withDamaged = %d items, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Label != w {
			t.Errorf("item %d = %q, want %q", i, got[i].Label, w)
		}
	}
	if !got[1].Disabled {
		t.Error("the damaged line is clickable, want an informational line")
	}
}
