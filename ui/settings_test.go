package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestSettingsGolden(t *testing.T) {
	test.NewTempApp(t)
	s := NewSettings(SettingsInfo{
		Mode:     ModeConnected,
		UserName: "Alex Morgan",
		DataDir:  "/home/alex/.local/share/calldocket",
		ClioURL:  "https://app.clio.com",
		Paused:   true,
	})
	w := test.NewTempWindow(t, s.Content())
	w.Resize(fyne.NewSize(480, 320))
	test.AssertRendersToMarkup(t, "settings.xml", w.Canvas())
}

func TestModeString(t *testing.T) {
	tests := []struct {
		in   Mode
		want string
	}{
		{ModeSandbox, "Sandbox — sample firm"},
		{ModeConnected, "Connected"},
		{ModeOffline, "Offline — calls are queued"},
		{ModeSignInNeeded, "Sign-in needed"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Mode(%d).String() = %q, want %q", int(tt.in), got, tt.want)
		}
	}
}
