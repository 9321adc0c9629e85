package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// SettingsInfo is what the (read-only) settings panel shows.
type SettingsInfo struct {
	Mode     Mode
	UserName string
	DataDir  string
	ClioURL  string
	Paused   bool
}

// Settings is the settings window content.
type Settings struct {
	root *fyne.Container
}

// NewSettings builds the panel for info.
func NewSettings(info SettingsInfo) *Settings {
	value := func(s, empty string) *widget.Label {
		if s = strings.TrimSpace(s); s == "" {
			s = empty
		}
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapBreak
		l.Selectable = true
		return l
	}
	popups := "On"
	if info.Paused {
		popups = "Paused"
	}
	form := widget.NewForm(
		widget.NewFormItem("Mode", value(info.Mode.String(), "")),
		widget.NewFormItem("Signed in as", value(info.UserName, "Not signed in")),
		widget.NewFormItem("Clio", value(info.ClioURL, "Not set")),
		widget.NewFormItem("Data folder", value(info.DataDir, "Not set")),
		widget.NewFormItem("Pop-ups", value(popups, "")),
	)
	title := widget.NewLabelWithStyle("Settings", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return &Settings{root: container.NewBorder(container.NewVBox(title, widget.NewSeparator()), nil, nil, nil, form)}
}

// Content is the panel's canvas object.
func (s *Settings) Content() fyne.CanvasObject { return s.root }
