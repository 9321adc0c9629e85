package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/calldocket/calldocket/settings"
)

// Call source choices in words, and back.
var (
	sourceNames = []string{"Sandbox (simulated calls)", "SIP account", "Asterisk (AMI)", "Desk phone action URLs", "Windows TAPI line"}
	sourceKeys  = map[string]string{
		sourceNames[0]: SourceSandbox, sourceNames[1]: SourceSIP, sourceNames[2]: SourceAMI,
		sourceNames[3]: SourceDeskPhone, sourceNames[4]: SourceTAPI,
	}
)

// SourceName is a call source in words: "SIP account".
func SourceName(key string) string {
	for name, k := range sourceKeys {
		if k == key {
			return name
		}
	}
	return sourceNames[0]
}

// testLogLines is how many live event lines a test log keeps.
const testLogLines = 6

// sourceTest is one call source's "Test connection" button and its live log.
type sourceTest struct {
	f      *SettingsForm
	source string
	button *widget.Button
	log    *widget.Label
	lines  []string
	halt   func()
	run    int // increases per test, so a stopped test's late lines are dropped
}

func (f *SettingsForm) newSourceTest(source string) *sourceTest {
	t := &sourceTest{f: f, source: source, log: widget.NewLabel("")}
	t.log.TextStyle = fyne.TextStyle{Monospace: true}
	t.log.Wrapping = fyne.TextWrapWord
	t.log.Hide()
	t.button = widget.NewButton("Test connection", t.toggle)
	if f.a.TestConnection == nil {
		t.button.Disable()
	}
	f.tests[source] = t
	return t
}

// box is the button with the log under it.
func (t *sourceTest) box() fyne.CanvasObject {
	return container.NewVBox(container.NewHBox(t.button), t.log)
}

func (t *sourceTest) toggle() {
	if t.halt != nil {
		t.stop()
		return
	}
	t.run++
	run := t.run
	t.lines = nil
	t.append("Testing " + SourceName(t.source) + "…")
	t.button.SetText("Stop test")
	t.halt = func() {}
	emit := func(line string) {
		fyne.Do(func() {
			if t.run == run && t.halt != nil {
				t.append(line)
			}
		})
	}
	s, sec := t.f.read()
	if stop := t.f.a.TestConnection(t.source, s, sec, emit); stop != nil {
		t.halt = stop
	}
}

func (t *sourceTest) stop() {
	if t.halt == nil {
		return
	}
	halt := t.halt
	t.halt = nil
	halt()
	t.append("Test stopped.")
	t.button.SetText("Test connection")
}

func (t *sourceTest) append(line string) {
	line = strings.TrimSpace(line)
	if line == "" {
		return
	}
	t.lines = append(t.lines, line)
	if len(t.lines) > testLogLines {
		t.lines = t.lines[len(t.lines)-testLogLines:]
	}
	t.log.SetText(strings.Join(t.lines, "\n"))
	t.log.Show()
}

func (f *SettingsForm) sourcesSection() fyne.CanvasObject {
	s := f.s
	f.source = widget.NewSelect(sourceNames, nil)
	f.source.SetSelected(SourceName(s.CallSource))

	// SIP.
	f.sipServer = entry(s.SIP.Server, "pbx.example.com:5060")
	f.transport = widget.NewSelect([]string{"udp", "tcp", "tls"}, nil)
	transport := s.SIP.Transport
	if transport == "" {
		transport = "udp"
	}
	f.transport.SetSelected(transport)
	f.sipAOR = entry(s.SIP.AOR, "sip:alex@pbx.example.com")
	f.sipUser = entry(s.SIP.User, "")
	f.sipPassword = password(f.sec.SIPPassword)
	sipServer := f.field(f.sipServer, func() error {
		s := strings.TrimSpace(f.sipServer.Text)
		if s == "" && sourceKeys[f.source.Selected] != SourceSIP {
			return nil
		}
		return ValidateHost(s)
	})

	// AMI.
	f.amiHost = entry(s.AMI.Addr, "pbx.example.com:5038")
	f.amiUser = entry(s.AMI.User, "")
	f.amiPassword = password(f.sec.AMIPassword)
	f.amiExtension = entry(s.AMI.Extension, "201")
	amiHost := f.field(f.amiHost, func() error {
		s := strings.TrimSpace(f.amiHost.Text)
		if s == "" && sourceKeys[f.source.Selected] != SourceAMI {
			return nil
		}
		return ValidateHostPort(s)
	})

	// Desk phone.
	f.deskEnabled = check("Accept the desk phone's action URLs", s.DeskPhone.Enabled)
	f.deskAddress = entry(s.DeskPhone.Addr, settings.DefaultDeskPhoneAddr)
	deskAddress, deskField := f.fieldOf(f.deskAddress, func() error { return validDeskAddress(f.deskAddress.Text) })
	f.deskEnabled.OnChanged = func(bool) { f.changed(deskField) }
	deskListen := widget.NewLabel(DeskPhoneListenText(s.DeskPhone.Addr))
	deskListen.Wrapping = fyne.TextWrapWord
	deskListen.SizeName = theme.SizeNameCaptionText
	f.deskAddress.OnChanged = func(addr string) { f.changed(deskField); deskListen.SetText(DeskPhoneListenText(addr)) }

	// Windows TAPI.
	var tapi fyne.CanvasObject
	var lines []string
	if f.a.TAPILines != nil {
		lines = f.a.TAPILines()
	}
	f.tapiLine = entry(s.TAPILine, "Line name")
	tapi = f.tapiLine
	if len(lines) > 0 {
		f.tapiSelect = widget.NewSelectEntry(lines)
		f.tapiSelect.SetText(s.TAPILine)
		tapi = f.tapiSelect
	}

	// The SIP server and AMI host are required only for their source.
	f.source.OnChanged = func(string) { f.recheck() }

	return container.NewVBox(
		section("Call sources",
			hinted("Use calls from", f.source, "Where CallDocket hears about your calls"),
		),
		section("SIP account",
			widget.NewFormItem("Server", sipServer),
			widget.NewFormItem("Transport", f.transport),
			widget.NewFormItem("Address (AOR)", f.sipAOR),
			widget.NewFormItem("User", f.sipUser),
			widget.NewFormItem("Password", f.sipPassword),
			widget.NewFormItem("", f.newSourceTest(SourceSIP).box()),
		),
		section("Asterisk (AMI)",
			widget.NewFormItem("Host", amiHost),
			widget.NewFormItem("User", f.amiUser),
			widget.NewFormItem("Password", f.amiPassword),
			hinted("Extension", f.amiExtension, "Your own extension on the PBX"),
			widget.NewFormItem("", f.newSourceTest(SourceAMI).box()),
		),
		section("Desk phone",
			widget.NewFormItem("", f.deskEnabled),
			widget.NewFormItem("Listen on", deskAddress),
			widget.NewFormItem("", deskListen),
			widget.NewFormItem("", f.newSourceTest(SourceDeskPhone).box()),
		),
		section("Windows TAPI",
			hinted("Line", tapi, "The TAPI line of your phone (Windows only)"),
			widget.NewFormItem("", f.newSourceTest(SourceTAPI).box()),
		),
	)
}
