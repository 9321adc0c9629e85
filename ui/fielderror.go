package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// errorLabel is the explanation shown under an invalid field. It is hidden
// while empty; the text carries the meaning, the colour only repeats it.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// showError puts msg next to its field, or hides the label when msg is "".
func showError(l *widget.Label, msg string) {
	if msg == "" {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText("⚠ " + msg)
	l.Show()
}
