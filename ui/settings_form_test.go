package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func settingsValues() SettingsValues {
	return SettingsValues{
		ClioRegion: "EU", ClioClientID: "abc123", ClioUser: "Alex Morgan",
		CallSource: SourceAMI, AMIHost: "pbx.example.com:5038", AMIUser: "calldocket", AMIExtension: "201",
		DefaultRegion: "US", FirmNumbers: []string{"+1 212 555 0100"}, ExtensionLength: 4,
		Increment: 6 * time.Minute, ConfirmWithin: 10 * time.Minute,
		MatterAssociation: true, FaxFolderName: "Faxes",
		PopTiming: PopOnAnswer, Notifications: true,
	}
}

type settingsCalls struct {
	saved     []SettingsValues
	connected []SettingsValues
	emit      func(string)
	stopped   int
}

func newTestSettings(t *testing.T, v SettingsValues) (*SettingsForm, fyne.Window, *settingsCalls) {
	t.Helper()
	test.NewTempApp(t)
	sc := &settingsCalls{}
	f := NewSettingsForm(v, SettingsActions{
		Save:       func(v SettingsValues) { sc.saved = append(sc.saved, v) },
		Connect:    func(v SettingsValues) { sc.connected = append(sc.connected, v) },
		Disconnect: func() {},
		TestConnection: func(source string, v SettingsValues, emit func(string)) func() {
			sc.emit = emit
			emit("connected to " + v.AMIHost)
			return func() { sc.stopped++ }
		},
		CheckFolder: func(p string) error {
			if p != "/srv/faxes" {
				return errors.New("that folder does not exist")
			}
			return nil
		},
	})
	w := test.NewTempWindow(t, f.Content())
	w.Resize(fyne.NewSize(620, 900))
	return f, w, sc
}

func TestSettingsFormValidation(t *testing.T) {
	f, w, sc := newTestSettings(t, settingsValues())
	f.defaultRegion.SetText("USA")
	f.increment.SetText("0")
	f.firmNumbers.SetText("+1 212 555 0100\nnot a number")
	f.watched.SetText("/nope")
	f.Save()
	if len(sc.saved) != 0 {
		t.Fatalf("Save with invalid fields called the action: %+v", sc.saved)
	}
	want := map[string]string{
		"region":    "⚠ Enter a two-letter country code, like US or GB.",
		"increment": "⚠ Enter a whole number of minutes greater than 0.",
		"numbers":   "⚠ “not a number” is not a phone number; write one number per line, like +1 212 555 0100.",
		"watched":   "⚠ That folder does not exist.",
	}
	var shown []string
	for _, fl := range f.fields {
		if fl.err.Visible() {
			shown = append(shown, fl.err.Text)
		}
	}
	for name, msg := range want {
		found := false
		for _, s := range shown {
			found = found || s == msg
		}
		if !found {
			t.Errorf("%s error %q not shown; shown: %q", name, msg, shown)
		}
	}
	if len(shown) != len(want) {
		t.Errorf("shown errors = %q, want %d", shown, len(want))
	}
	if !strings.HasPrefix(f.status.Text, "Some settings need fixing") {
		t.Errorf("status = %q, want the fix-it note", f.status.Text)
	}
	// The first screen of the form, with the region error beside its field.
	f.increment.SetText("6")
	f.firmNumbers.SetText("+1 212 555 0100")
	f.watched.SetText("/srv/faxes")
	test.AssertRendersToMarkup(t, "settings_form_error.xml", w.Canvas())

	f.defaultRegion.SetText("gb")
	f.firmNumbers.SetText("020 7946 0958\n+1 212 555 0100")
	f.reminder.SetChecked(true)
	f.reminderTime.SetText("25:00")
	f.Save()
	if len(sc.saved) != 0 {
		t.Fatalf("Save with a bad reminder time saved")
	}
	f.reminderTime.SetText("18:00")
	f.Save()
	if len(sc.saved) != 1 {
		t.Fatalf("Save with valid fields: %d saves, want 1", len(sc.saved))
	}
	got := sc.saved[0]
	if got.DefaultRegion != "GB" || len(got.FirmNumbers) != 2 || got.Increment != 6*time.Minute ||
		got.WatchedFolder != "/srv/faxes" || got.ClioRegion != "EU" || got.CallSource != SourceAMI ||
		got.PopTiming != PopOnAnswer || !got.EndOfDayReminder || got.ReminderTime != "18:00" ||
		got.ExtensionLength != 4 || got.ConfirmWithin != 10*time.Minute || !got.MatterAssociation {
		t.Errorf("saved = %+v", got)
	}
	if f.status.Text != "Saved." {
		t.Errorf("status = %q, want Saved.", f.status.Text)
	}
}

func TestSettingsFormClioAndTests(t *testing.T) {
	v := settingsValues()
	v.ClioUser = ""
	v.ClioClientID = ""
	f, _, sc := newTestSettings(t, v)
	if f.signedIn.Text != "Not signed in" || f.connect.Disabled() || !f.disconnect.Disabled() {
		t.Errorf("signed out: %q connect disabled %v disconnect disabled %v", f.signedIn.Text, f.connect.Disabled(), f.disconnect.Disabled())
	}
	test.Tap(f.connect)
	if len(sc.connected) != 0 || !f.clientIDErr.Visible() || !f.clientSecretErr.Visible() {
		t.Fatalf("Connect without ID/secret: calls %d, errors shown %v/%v", len(sc.connected), f.clientIDErr.Visible(), f.clientSecretErr.Visible())
	}
	test.Type(f.clientID, "my-app")
	test.Type(f.clientSecret, "s3cret")
	f.region.SetSelected("AU")
	test.Tap(f.connect)
	if len(sc.connected) != 1 || sc.connected[0].ClioClientID != "my-app" || sc.connected[0].ClioClientSecret != "s3cret" || sc.connected[0].ClioRegion != "AU" {
		t.Fatalf("connected = %+v", sc.connected)
	}
	f.SetSignedIn("Alex Morgan")
	if f.signedIn.Text != "Signed in as Alex Morgan" || !f.connect.Disabled() || f.disconnect.Disabled() {
		t.Errorf("signed in: %q connect disabled %v disconnect disabled %v", f.signedIn.Text, f.connect.Disabled(), f.disconnect.Disabled())
	}

	ami := f.tests[SourceAMI]
	test.Tap(ami.button)
	sc.emit("Event: Newchannel 201")
	if ami.button.Text != "Stop test" || ami.log.Text != "Testing Asterisk (AMI)…\nconnected to pbx.example.com:5038\nEvent: Newchannel 201" {
		t.Errorf("test log = %q (button %q)", ami.log.Text, ami.button.Text)
	}
	for i := 0; i < 10; i++ {
		sc.emit("tick")
	}
	if n := len(strings.Split(ami.log.Text, "\n")); n != testLogLines {
		t.Errorf("log lines = %d, want %d", n, testLogLines)
	}
	f.StopTests()
	sc.emit("late line")
	if sc.stopped != 1 || strings.Contains(ami.log.Text, "late line") || ami.button.Text != "Test connection" {
		t.Errorf("after StopTests: stopped %d log %q button %q", sc.stopped, ami.log.Text, ami.button.Text)
	}
}

func TestSettingsValidators(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) error
		in   string
		ok   bool
	}{
		{"region", ValidateRegion, "US", true},
		{"region lower", ValidateRegion, "gb", true},
		{"region long", ValidateRegion, "USA", false},
		{"region unknown", ValidateRegion, "ZZ", false},
		{"hostport", ValidateHostPort, "pbx.example.com:5038", true},
		{"hostport ipv6", ValidateHostPort, "[::1]:5038", true},
		{"hostport no port", ValidateHostPort, "pbx.example.com", false},
		{"hostport bad port", ValidateHostPort, "pbx:70000", false},
		{"hostport empty host", ValidateHostPort, ":5038", false},
		{"host", ValidateHost, "pbx.example.com", true},
		{"host with port", ValidateHost, "pbx.example.com:5060", true},
		{"host bad port", ValidateHost, "pbx.example.com:x", false},
		{"host space", ValidateHost, "pbx example", false},
		{"host empty", ValidateHost, "", false},
		{"time", ValidateTimeOfDay, "17:30", true},
		{"time bad", ValidateTimeOfDay, "5pm", false},
		{"minutes", func(s string) error { _, err := ParseMinutes(s); return err }, "6", true},
		{"minutes zero", func(s string) error { _, err := ParseMinutes(s); return err }, "0", false},
		{"seconds zero", func(s string) error { _, err := ParseSeconds(s); return err }, "0", true},
		{"seconds negative", func(s string) error { _, err := ParseSeconds(s); return err }, "-1", false},
		{"extension", func(s string) error { _, err := ParseExtensionLength(s); return err }, "4", true},
		{"extension big", func(s string) error { _, err := ParseExtensionLength(s); return err }, "11", false},
		{"numbers", func(s string) error { _, err := ParseNumbers(s, "US"); return err }, "+1 212 555 0100, (212) 555-0101", true},
		{"numbers bad", func(s string) error { _, err := ParseNumbers(s, "US"); return err }, "12", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.fn(tt.in); (err == nil) != tt.ok {
				t.Errorf("%s(%q) = %v, want ok %v", tt.name, tt.in, err, tt.ok)
			}
		})
	}
}

func FuzzParseNumbers(f *testing.F) {
	for _, s := range []string{"+1 212 555 0100, (212) 555-0101", "12", "", "\n\n;", "not a number"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		nums, err := ParseNumbers(s, "US")
		if err == nil {
			for _, n := range nums {
				if strings.TrimSpace(n) == "" {
					t.Errorf("ParseNumbers(%q) = %q, want no blank numbers", s, nums)
				}
			}
		}
		_ = message(err)
	})
}

func FuzzValidateHostPort(f *testing.F) {
	for _, s := range []string{"pbx.example.com:5038", "[::1]:5038", "pbx", ":1", "pbx:70000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateHostPort(s) == nil && ValidateHost(s) != nil && !strings.HasPrefix(strings.TrimSpace(s), "[") {
			t.Errorf("ValidateHostPort(%q) ok but ValidateHost fails", s)
		}
	})
}
