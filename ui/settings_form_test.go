package ui

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/calldocket/calldocket/settings"
)

func testSettings() settings.Settings {
	s := settings.Default()
	s.ClioRegion, s.ClioClientID = "eu", "abc123"
	s.CallSource = SourceAMI
	s.AMI = settings.AMI{Addr: "pbx.example.com:5038", User: "calldocket", Extension: "201"}
	s.FirmNumbers = []string{"+1 212 555 0100"}
	s.MinDigits = 5
	s.FaxFolderName = "Faxes"
	s.PopTiming = PopOnAnswer
	s.SignedIn, s.TimeZone, s.SyncIntervalMinutes = true, "Europe/Dublin", 15
	return s
}

// saved is one Save or Connect.
type saved struct {
	s   settings.Settings
	sec Secrets
}

type settingsCalls struct {
	saved     []saved
	connected []saved
	tested    []saved
	emit      func(string)
	stopped   int
}

func newTestSettings(t *testing.T, s settings.Settings, user string) (*SettingsForm, fyne.Window, *settingsCalls) {
	t.Helper()
	test.NewTempApp(t)
	sc := &settingsCalls{}
	f := NewSettingsForm(s, Secrets{AMIPassword: "ami-pw"}, user, SettingsActions{
		Save:       func(s settings.Settings, sec Secrets) { sc.saved = append(sc.saved, saved{s, sec}) },
		Connect:    func(s settings.Settings, sec Secrets) { sc.connected = append(sc.connected, saved{s, sec}) },
		Disconnect: func() {},
		TestConnection: func(source string, s settings.Settings, sec Secrets, emit func(string)) func() {
			sc.emit = emit
			sc.tested = append(sc.tested, saved{s, sec})
			emit("connected to " + s.AMI.Addr)
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
	f, w, sc := newTestSettings(t, testSettings(), "Alex Morgan")
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
	got := sc.saved[0].s
	wantS := testSettings()
	wantS.DefaultRegion = "GB"
	wantS.FirmNumbers = []string{"020 7946 0958", "+1 212 555 0100"}
	wantS.WatchedFolder = "/srv/faxes"
	wantS.EndOfDayReminder, wantS.ReminderTime = true, "18:00"
	wantS.SIP.Transport = "udp" // the form's default transport
	if !sameSettings(got, wantS) {
		t.Errorf("saved =\n%+v\nwant\n%+v", got, wantS)
	}
	if sec := sc.saved[0].sec; sec != (Secrets{AMIPassword: "ami-pw"}) {
		t.Errorf("saved secrets = %+v, want the AMI password kept", sec)
	}
	if f.status.Text != "Saved." {
		t.Errorf("status = %q, want Saved.", f.status.Text)
	}
}

func TestSettingsFormClioAndTests(t *testing.T) {
	s := testSettings()
	s.ClioClientID = ""
	f, _, sc := newTestSettings(t, s, "")
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
	if c := sc.connected; len(c) != 1 || c[0].s.ClioClientID != "my-app" || c[0].sec.ClioClientSecret != "s3cret" || c[0].s.ClioRegion != "au" {
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

func sameSettings(a, b settings.Settings) bool { return reflect.DeepEqual(a, b) }

func TestSettingsFormRoundTrip(t *testing.T) {
	s := testSettings()
	s.SIP.Transport = "tcp"
	f, _, sc := newTestSettings(t, s, "Alex Morgan")
	f.Save()
	if len(sc.saved) != 1 || !sameSettings(sc.saved[0].s, s) {
		t.Fatalf("Save without edits =\n%+v\nwant\n%+v", sc.saved, s)
	}
}

func TestSettingsFormNumbers(t *testing.T) {
	tests := []struct {
		inc, minDur, within, ext string
		wantInc, wantMin         int
		wantWithin, wantDigits   int
	}{
		{"6", "0", "10", "4", 6, 0, 10, 5},
		{"15", "30", "60", "0", 15, 30, 60, 1},
		{" 1 ", "", "1", "10", 1, 0, 1, 11},
	}
	for _, tt := range tests {
		t.Run(tt.inc+"/"+tt.minDur+"/"+tt.within+"/"+tt.ext, func(t *testing.T) {
			f, _, sc := newTestSettings(t, testSettings(), "")
			f.increment.SetText(tt.inc)
			f.minDuration.SetText(tt.minDur)
			f.confirmWithin.SetText(tt.within)
			f.extLength.SetText(tt.ext)
			f.Save()
			if len(sc.saved) != 1 {
				t.Fatalf("saves = %d, want 1", len(sc.saved))
			}
			got := sc.saved[0].s
			if got.IncrementMinutes != tt.wantInc || got.MinDurationS != tt.wantMin ||
				got.ConfirmWithinMinutes != tt.wantWithin || got.MinDigits != tt.wantDigits {
				t.Errorf("increment/min/within/digits = %d/%d/%d/%d, want %d/%d/%d/%d",
					got.IncrementMinutes, got.MinDurationS, got.ConfirmWithinMinutes, got.MinDigits,
					tt.wantInc, tt.wantMin, tt.wantWithin, tt.wantDigits)
			}
		})
	}
}

// TestSettingsFixingGoesAway: "Some settings need fixing" leaves once the
// last problem is fixed, also when another field's change fixes it.
func TestSettingsFixingGoesAway(t *testing.T) {
	f, _, sc := newTestSettings(t, testSettings(), "")
	f.increment.SetText("0")
	f.Save()
	if !f.status.Visible() || f.status.Text != needsFixing {
		t.Fatalf("status = %q (visible %v), want the fix-it note", f.status.Text, f.status.Visible())
	}
	f.increment.SetText("6")
	if f.status.Visible() {
		t.Fatalf("status %q still shown after the fix", f.status.Text)
	}
	// The empty SIP server is a problem only while SIP is the source.
	f.source.SetSelected(SourceName(SourceSIP))
	f.Save()
	if len(sc.saved) != 0 || f.status.Text != needsFixing {
		t.Fatalf("Save with SIP and no server: saves %d status %q", len(sc.saved), f.status.Text)
	}
	f.source.SetSelected(SourceName(SourceSandbox))
	if f.status.Visible() {
		t.Errorf("status %q still shown after choosing the Sandbox", f.status.Text)
	}
	for _, fl := range f.fields {
		if fl.err.Visible() {
			t.Errorf("error %q still shown", fl.err.Text)
		}
	}
	f.Save()
	if len(sc.saved) != 1 || f.status.Text != "Saved." {
		t.Errorf("saves %d status %q, want 1, Saved.", len(sc.saved), f.status.Text)
	}
}

func TestApplyForm(t *testing.T) {
	// The fields the form does not show keep the current value.
	kept := map[string]bool{"SignedIn": true, "RedirectPort": true, "FirmNumbersFromClio": true,
		"SyncIntervalMinutes": true, "TimeZone": true, "PausePopups": true}
	cur, form := settings.Default(), settings.Default()
	cur.SignedIn, cur.RedirectPort, cur.FirmNumbersFromClio, cur.SyncIntervalMinutes = true, 1234, true, 30
	cur.TimeZone, cur.PausePopups = "America/New_York", true
	form.TimeZone, form.SyncIntervalMinutes = "Europe/Paris", 9
	// Every other field comes from the form.
	cur.DefaultBillable, form.DefaultBillable = false, true
	cur.IncrementMinutes, form.IncrementMinutes = 6, 15
	cur.ClioRegion, form.ClioRegion = "us", "eu"
	form.FirmNumbers = []string{"+1 212 555 0100"}
	form.SIP = settings.SIP{Server: "pbx", Transport: "tls", ExpiresSeconds: 900}
	cur.SIP.ExpiresSeconds = 900 // not on the form: kept (checked below)

	got := ApplyForm(cur, form)
	gv, cv, fv := reflect.ValueOf(got), reflect.ValueOf(cur), reflect.ValueOf(form)
	for i := 0; i < gv.NumField(); i++ {
		name := gv.Type().Field(i).Name
		want := fv.Field(i)
		if kept[name] {
			want = cv.Field(i)
		}
		if !reflect.DeepEqual(gv.Field(i).Interface(), want.Interface()) {
			t.Errorf("ApplyForm: %s = %v, want %v", name, gv.Field(i).Interface(), want.Interface())
		}
	}
	form.SIP.ExpiresSeconds = 0
	if got := ApplyForm(cur, form); got.SIP.ExpiresSeconds != 900 {
		t.Errorf("ApplyForm: SIP.ExpiresSeconds = %d, want the current 900", got.SIP.ExpiresSeconds)
	}
	form.FirmNumbers[0] = "changed"
	if got.FirmNumbers[0] != "+1 212 555 0100" {
		t.Errorf("ApplyForm shares the firm numbers with its input")
	}
}
