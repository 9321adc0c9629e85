package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/calldocket/calldocket/settings"
)

// SettingsActions are the settings form's callbacks; a nil one disables
// its button.
type SettingsActions struct {
	// Save gets the validated settings and secrets; it runs only when
	// every field is valid. The settings are the form's starting value
	// with every field it edits replaced (see ApplyForm).
	Save func(s settings.Settings, sec Secrets)
	// Connect starts the Clio sign-in with the form's region, client ID
	// and secret; the app calls SetSignedIn when it is done.
	Connect    func(s settings.Settings, sec Secrets)
	Disconnect func()
	// TestConnection tries a call source ("sip", "ami", "deskphone",
	// "tapi") with the form's fields and reports live events through
	// emit, which is safe to call from any goroutine. It returns a stop
	// func (may be nil) the form calls when the test is stopped or the
	// form closes.
	TestConnection func(source string, s settings.Settings, sec Secrets, emit func(line string)) (stop func())
	// CheckFolder says whether a folder can be watched (nil means it can).
	CheckFolder func(path string) error
	// TAPILines lists the Windows TAPI lines to choose from; nil or empty
	// gives a plain text field.
	TAPILines func() []string
}

// SettingsForm is the editable settings window content: Clio, call
// sources, matching, billing, the seeds' options and the desktop
// behaviour. It edits a settings.Settings and the Secrets. Invalid input
// is explained under its field; Save hands the validated values to the
// app.
type SettingsForm struct {
	a    SettingsActions
	s    settings.Settings // the settings it started from (for what it does not edit)
	sec  Secrets
	user string // who is signed in to Clio, "" for nobody

	fields []*settingsField

	region, source, popTiming, transport                 *widget.Select
	clientID, clientSecret                               *widget.Entry
	signedIn                                             *widget.Label
	connect, disconnect                                  *widget.Button
	sipServer, sipAOR, sipUser, sipPassword              *widget.Entry
	amiHost, amiUser, amiPassword, amiExtension          *widget.Entry
	deskAddress, tapiLine                                *widget.Entry
	deskEnabled                                          *widget.Check
	defaultRegion, firmNumbers, extLength                *widget.Entry
	increment, minDuration, confirmWithin                *widget.Entry
	defaultBillable, logMissed                           *widget.Check
	exclusive, contactCreation, matterAssoc, sms, digest *widget.Check
	faxFolder, watched                                   *widget.Entry
	startAtLogin, notifications, reminder                *widget.Check
	reminderTime                                         *widget.Entry
	clientIDErr, clientSecretErr                         *widget.Label
	tests                                                map[string]*sourceTest
	save                                                 *widget.Button
	status                                               *widget.Label
	root                                                 *fyne.Container
	tapiSelect                                           *widget.SelectEntry
}

// settingsField is one validated field and the label under it.
type settingsField struct {
	err      *widget.Label
	validate func() error
}

// NewSettingsForm builds the form showing s and sec; clioUser (read-only)
// is who is signed in to Clio, "" for nobody.
func NewSettingsForm(s settings.Settings, sec Secrets, clioUser string, a SettingsActions) *SettingsForm {
	f := &SettingsForm{a: a, s: s.Clone(), sec: sec, user: strings.TrimSpace(clioUser), tests: map[string]*sourceTest{}}
	sections := []fyne.CanvasObject{
		f.clioSection(),
		f.sourcesSection(),
		f.matchingSection(),
		f.billingSection(),
		f.optionsSection(),
		f.desktopSection(),
	}
	f.save = widget.NewButton("Save", f.Save)
	f.save.Importance = widget.HighImportance
	if a.Save == nil {
		f.save.Disable()
	}
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	f.status.Hide()
	title := widget.NewLabelWithStyle("Settings", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.root = border(
		container.NewVBox(title, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, f.save, f.status)),
		container.NewVScroll(container.NewVBox(sections...)),
	)
	return f
}

// Content is the form's canvas object.
func (f *SettingsForm) Content() fyne.CanvasObject { return f.root }

// SetSignedIn shows who is signed in to Clio ("" for nobody) and enables
// Connect or Disconnect to match.
func (f *SettingsForm) SetSignedIn(name string) {
	f.user = strings.TrimSpace(name)
	if f.user == "" {
		f.signedIn.SetText("Not signed in")
	} else {
		f.signedIn.SetText("Signed in as " + f.user)
	}
	setEnabled(f.connect, f.a.Connect != nil && f.user == "")
	setEnabled(f.disconnect, f.a.Disconnect != nil && f.user != "")
}

// needsFixing is the status while a field is invalid after Save.
const needsFixing = "Some settings need fixing: see the ⚠ notes above."

// Save validates every field, explains each problem under its field, and
// hands the values to the Save action when all are valid.
func (f *SettingsForm) Save() {
	s, sec, ok := f.Values()
	if !ok {
		f.setStatus(needsFixing)
		return
	}
	if f.a.Save != nil {
		f.a.Save(s, sec)
	}
	f.setStatus("Saved.")
}

// Values validates every field and returns the settings and secrets; ok
// is false (and the problems are shown) when a field is invalid.
func (f *SettingsForm) Values() (s settings.Settings, sec Secrets, ok bool) {
	ok = true
	for _, fl := range f.fields {
		if !fl.check() {
			ok = false
		}
	}
	s, sec = f.read()
	return s, sec, ok
}

// recheck runs after a field changed: the fields showing a problem are
// checked again (a change may fix another field too, e.g. choosing the
// Sandbox makes an empty SIP server fine), and once none is left "Some
// settings need fixing" goes away.
func (f *SettingsForm) recheck() {
	left := false
	for _, fl := range f.fields {
		if fl.err.Visible() && !fl.check() {
			left = true
		}
	}
	if !left && f.status.Visible() && f.status.Text == needsFixing {
		f.status.SetText("")
		f.status.Hide()
	}
}

// StopTests stops every running "Test connection"; the app calls it when
// the settings window closes.
func (f *SettingsForm) StopTests() {
	for _, t := range f.tests {
		t.stop()
	}
}

func (f *SettingsForm) setStatus(s string) {
	f.status.SetText(s)
	f.status.Show()
}

// check validates the field and shows or hides its explanation.
func (fl *settingsField) check() bool {
	err := fl.validate()
	showError(fl.err, message(err))
	return err == nil
}

// field registers a validated widget and returns it with its error label
// under it. The entry (if any) re-validates as the user types.
func (f *SettingsForm) field(obj fyne.CanvasObject, validate func() error) fyne.CanvasObject {
	box, _ := f.fieldOf(obj, validate)
	return box
}

// fieldOf is field that also returns the registered field, for widgets
// whose changes must re-validate it.
func (f *SettingsForm) fieldOf(obj fyne.CanvasObject, validate func() error) (fyne.CanvasObject, *settingsField) {
	fl := &settingsField{err: errorLabel(), validate: validate}
	f.fields = append(f.fields, fl)
	if e, ok := obj.(*widget.Entry); ok {
		e.OnChanged = func(string) { f.changed(fl) }
	}
	return container.NewVBox(obj, fl.err), fl
}

// changed re-validates fl after its widget changed, then the fields still
// showing a problem.
func (f *SettingsForm) changed(fl *settingsField) {
	fl.check()
	f.recheck()
}

// read collects the settings and secrets from the widgets (unvalidated),
// over the settings the form started from. Durations map to the whole
// minutes and seconds the settings keep; the extension length is
// MinDigits-1.
func (f *SettingsForm) read() (settings.Settings, Secrets) {
	s := f.s.Clone()
	s.ClioRegion = strings.ToLower(f.region.Selected)
	s.ClioClientID = strings.TrimSpace(f.clientID.Text)
	s.CallSource = sourceKeys[f.source.Selected]
	s.SIP = settings.SIP{
		Server:    strings.TrimSpace(f.sipServer.Text),
		Transport: f.transport.Selected,
		AOR:       strings.TrimSpace(f.sipAOR.Text),
		User:      strings.TrimSpace(f.sipUser.Text),
		// Not on the form: `calldocket settings set sip.expires_seconds`.
		ExpiresSeconds: f.s.SIP.ExpiresSeconds,
	}
	// Only the fields the form shows: the login method and TLS stay.
	s.AMI.Addr = strings.TrimSpace(f.amiHost.Text)
	s.AMI.User = strings.TrimSpace(f.amiUser.Text)
	s.AMI.Extension = strings.TrimSpace(f.amiExtension.Text)
	s.DeskPhone = settings.DeskPhone{Enabled: f.deskEnabled.Checked, Addr: strings.TrimSpace(f.deskAddress.Text)}
	s.TAPILine = strings.TrimSpace(f.tapiText())
	s.DefaultRegion = strings.ToUpper(strings.TrimSpace(f.defaultRegion.Text))
	s.FirmNumbers, _ = ParseNumbers(f.firmNumbers.Text, s.DefaultRegion)
	ext, _ := ParseExtensionLength(f.extLength.Text)
	s.MinDigits = ext + 1
	s.DefaultBillable = f.defaultBillable.Checked
	inc, _ := ParseMinutes(f.increment.Text)
	s.IncrementMinutes = int(inc / time.Minute)
	minDur, _ := ParseSeconds(f.minDuration.Text)
	s.MinDurationS = int(minDur / time.Second)
	s.LogMissedCalls = f.logMissed.Checked
	within, _ := ParseMinutes(f.confirmWithin.Text)
	s.ConfirmWithinMinutes = int(within / time.Minute)
	s.ExclusiveContactAssociation = f.exclusive.Checked
	s.ContactCreation = f.contactCreation.Checked
	s.MatterAssociation = f.matterAssoc.Checked
	s.SMSLogging = f.sms.Checked
	s.SMSDailyDigest = f.digest.Checked
	s.FaxFolderName = strings.TrimSpace(f.faxFolder.Text)
	s.WatchedFolder = strings.TrimSpace(f.watched.Text)
	s.StartAtLogin = f.startAtLogin.Checked
	s.PopTiming = popKeys[f.popTiming.Selected]
	s.Notifications = f.notifications.Checked
	s.EndOfDayReminder = f.reminder.Checked
	s.ReminderTime = strings.TrimSpace(f.reminderTime.Text)

	sec := Secrets{
		ClioClientSecret: f.clientSecret.Text,
		SIPPassword:      f.sipPassword.Text,
		AMIPassword:      f.amiPassword.Text,
	}
	return s, sec
}

func (f *SettingsForm) tapiText() string {
	if f.tapiSelect != nil {
		return f.tapiSelect.Text
	}
	return f.tapiLine.Text
}

// section is a heading over a form.
func section(title string, items ...*widget.FormItem) fyne.CanvasObject {
	h := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.SizeName = theme.SizeNameSubHeadingText
	return container.NewVBox(h, widget.NewForm(items...), widget.NewSeparator())
}

// hinted is a form item with a hint line under its field.
func hinted(label string, obj fyne.CanvasObject, hint string) *widget.FormItem {
	it := widget.NewFormItem(label, obj)
	it.HintText = hint
	return it
}

func entry(text, placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(text)
	e.SetPlaceHolder(placeholder)
	return e
}

func password(text string) *widget.Entry {
	e := widget.NewPasswordEntry()
	e.SetText(text)
	return e
}

func check(label string, on bool) *widget.Check {
	c := widget.NewCheck(label, nil)
	c.Checked = on
	return c
}

func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

func (f *SettingsForm) clioSection() fyne.CanvasObject {
	region := strings.ToUpper(strings.TrimSpace(f.s.ClioRegion))
	if region == "" {
		region = ClioRegions[0]
	}
	f.region = widget.NewSelect(ClioRegions, nil)
	f.region.SetSelected(region)
	f.clientID = entry(f.s.ClioClientID, "From your Clio developer app")
	f.clientSecret = password(f.sec.ClioClientSecret)
	f.clientIDErr, f.clientSecretErr = errorLabel(), errorLabel()
	f.signedIn = widget.NewLabel("")
	f.connect = widget.NewButton("Connect to Clio…", f.doConnect)
	f.disconnect = widget.NewButton("Disconnect", func() {
		if f.a.Disconnect != nil {
			f.a.Disconnect()
		}
	})
	f.SetSignedIn(f.user)
	return section("Clio",
		hinted("Region", f.region, "Where your firm's Clio account lives"),
		widget.NewFormItem("Client ID", container.NewVBox(f.clientID, f.clientIDErr)),
		hinted("Client secret", container.NewVBox(f.clientSecret, f.clientSecretErr), "Kept in the system keychain"),
		widget.NewFormItem("Account", container.NewVBox(f.signedIn, container.NewHBox(f.connect, f.disconnect))),
	)
}

// doConnect checks the client ID and secret next to their fields, then
// asks the app to sign in.
func (f *SettingsForm) doConnect() {
	s, sec := f.read()
	idErr, secretErr := "", ""
	if s.ClioClientID == "" {
		idErr = message(ErrRequired) + " Copy it from your Clio developer app."
	}
	if sec.ClioClientSecret == "" {
		secretErr = message(ErrRequired)
	}
	showError(f.clientIDErr, idErr)
	showError(f.clientSecretErr, secretErr)
	if idErr != "" || secretErr != "" || f.a.Connect == nil {
		return
	}
	f.a.Connect(s, sec)
}

func (f *SettingsForm) matchingSection() fyne.CanvasObject {
	region := f.s.DefaultRegion
	if region == "" {
		region = "US"
	}
	f.defaultRegion = entry(region, "US")
	f.firmNumbers = widget.NewMultiLineEntry()
	f.firmNumbers.SetText(strings.Join(f.s.FirmNumbers, "\n"))
	f.firmNumbers.SetPlaceHolder("+1 212 555 0100")
	f.firmNumbers.SetMinRowsVisible(3)
	f.extLength = entry(strconv.Itoa(max(f.s.MinDigits-1, 0)), "4")
	return section("Matching",
		hinted("Default region", f.field(f.defaultRegion, func() error { return ValidateRegion(f.defaultRegion.Text) }),
			"Country for numbers written without +code"),
		hinted("Firm numbers", f.field(f.firmNumbers, func() error {
			_, err := ParseNumbers(f.firmNumbers.Text, f.defaultRegion.Text)
			return err
		}), "One per line; these never match a contact"),
		hinted("Extension length", f.field(f.extLength, func() error {
			_, err := ParseExtensionLength(f.extLength.Text)
			return err
		}), "Numbers this short or shorter are internal extensions"),
	)
}

func (f *SettingsForm) billingSection() fyne.CanvasObject {
	inc := f.s.IncrementMinutes
	if inc <= 0 {
		inc = int(DefaultIncrement / time.Minute)
	}
	within := f.s.ConfirmWithinMinutes
	if within <= 0 {
		within = settings.Default().ConfirmWithinMinutes
	}
	f.defaultBillable = check("New calls are billable by default (Enter = Billable)", f.s.DefaultBillable)
	f.increment = entry(strconv.Itoa(inc), "6")
	f.minDuration = entry(strconv.Itoa(max(f.s.MinDurationS, 0)), "0")
	f.confirmWithin = entry(strconv.Itoa(within), "10")
	f.logMissed = check("Log missed calls to Clio", f.s.LogMissedCalls)
	return section("Billing",
		widget.NewFormItem("", f.defaultBillable),
		hinted("Increment (minutes)", f.field(f.increment, func() error {
			_, err := ParseMinutes(f.increment.Text)
			return err
		}), "6 minutes = 0.1 h; the wrap-up shows the rounded time"),
		hinted("Minimum call (seconds)", f.field(f.minDuration, func() error {
			_, err := ParseSeconds(f.minDuration.Text)
			return err
		}), "Shorter calls get no time entry; 0 logs every call"),
		hinted("Confirm within (minutes)", f.field(f.confirmWithin, func() error {
			if _, err := ParseMinutes(f.confirmWithin.Text); err != nil {
				return ErrConfirmDelay
			}
			return nil
		}), "Calls not decided by then wait in Review calls"),
		widget.NewFormItem("", f.logMissed),
	)
}

func (f *SettingsForm) optionsSection() fyne.CanvasObject {
	f.exclusive = check("Exclusive Contact Association: log only events with a Clio contact", f.s.ExclusiveContactAssociation)
	f.contactCreation = check("Contact Creation: create a contact for unknown numbers", f.s.ContactCreation)
	f.matterAssoc = check("Matter Association: link each event to a matter", f.s.MatterAssociation)
	f.sms = check("Log text messages (SMS)", f.s.SMSLogging)
	f.digest = check("One daily digest per contact instead of each message", f.s.SMSDailyDigest)
	f.faxFolder = entry(f.s.FaxFolderName, "Faxes")
	f.watched = entry(f.s.WatchedFolder, "/path/to/scanned/faxes")
	return section("Logging options",
		widget.NewFormItem("", f.exclusive),
		widget.NewFormItem("", f.contactCreation),
		widget.NewFormItem("", f.matterAssoc),
		widget.NewFormItem("", container.NewVBox(f.sms, f.digest)),
		hinted("Fax folder name", f.faxFolder, "The Clio document folder faxes are filed in"),
		hinted("Watched folder", f.field(f.watched, func() error {
			p := strings.TrimSpace(f.watched.Text)
			if p == "" || f.a.CheckFolder == nil {
				return nil
			}
			return f.a.CheckFolder(p)
		}), "New files here are logged as faxes; leave empty for none"),
	)
}

func (f *SettingsForm) desktopSection() fyne.CanvasObject {
	f.startAtLogin = check("Start CallDocket when I log in", f.s.StartAtLogin)
	f.popTiming = widget.NewSelect([]string{popRing, popAnswer}, nil)
	if f.s.PopTiming == PopOnAnswer {
		f.popTiming.SetSelected(popAnswer)
	} else {
		f.popTiming.SetSelected(popRing)
	}
	f.notifications = check("Show notifications", f.s.Notifications)
	f.reminder = check("Remind me at the end of the day about calls to review", f.s.EndOfDayReminder)
	reminderAt := f.s.ReminderTime
	if reminderAt == "" {
		reminderAt = "17:30"
	}
	f.reminderTime = entry(reminderAt, "17:30")
	box, fl := f.fieldOf(f.reminderTime, func() error {
		if !f.reminder.Checked {
			return nil
		}
		return ValidateTimeOfDay(f.reminderTime.Text)
	})
	f.reminder.OnChanged = func(bool) { f.changed(fl) }
	item := hinted("Reminder time", box, "24-hour clock")
	return section("Desktop",
		widget.NewFormItem("", f.startAtLogin),
		widget.NewFormItem("Show the pop", f.popTiming),
		widget.NewFormItem("", f.notifications),
		widget.NewFormItem("", f.reminder),
		item,
	)
}

// Pop timing choices in words.
const (
	popRing   = "When the phone rings"
	popAnswer = "When I answer"
)

var popKeys = map[string]string{popRing: PopOnRing, popAnswer: PopOnAnswer}
