package app

import (
	"fyne.io/fyne/v2"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// damagedLabel is the tray's line for a file set aside at start.
func damagedLabel(r sqlitefile.Repair) string {
	return "Damaged " + r.What + " set aside · see 'calldocket status'"
}

// badSettingsLabel is the tray's line while config.json holds values the
// app refused at start.
const badSettingsLabel = "Some settings were refused · see 'calldocket status'"

// damagedTitle is the title of the notification that says so.
func damagedTitle(r sqlitefile.Repair) string {
	return "CallDocket: the " + r.What + " file was damaged"
}

// withDamaged puts one disabled line per repaired file right under the
// tray's status line, so the attorney sees it each time the menu opens.
func withDamaged(items []*fyne.MenuItem, repairs []sqlitefile.Repair, badSettings bool) []*fyne.MenuItem {
	if (len(repairs) == 0 && !badSettings) || len(items) == 0 {
		return items
	}
	out := make([]*fyne.MenuItem, 0, len(items)+len(repairs)+1)
	out = append(out, items[0])
	for _, r := range repairs {
		out = append(out, &fyne.MenuItem{Label: damagedLabel(r), Disabled: true})
	}
	if badSettings {
		out = append(out, &fyne.MenuItem{Label: badSettingsLabel, Disabled: true})
	}
	return append(out, items[1:]...)
}
