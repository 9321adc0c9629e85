package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
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
	if stop := t.f.a.TestConnection(t.source, t.f.read(), emit); stop != nil {
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
	v := f.v
	f.source = widget.NewSelect(sourceNames, nil)
	f.source.SetSelected(SourceName(v.CallSource))

	// SIP.
	f.sipServer = entry(v.SIPServer, "pbx.example.com:5060")
	f.transport = widget.NewSelect([]string{"udp", "tcp", "tls"}, nil)
	transport := v.SIPTransport
	if transport == "" {
		transport = "udp"
	}
	f.transport.SetSelected(transport)
	f.sipAOR = entry(v.SIPAOR, "sip:alex@pbx.example.com")
	f.sipUser = entry(v.SIPUser, "")
	f.sipPassword = password(v.SIPPassword)
	sipServer := f.field(f.sipServer, func() error {
		s := strings.TrimSpace(f.sipServer.Text)
		if s == "" && sourceKeys[f.source.Selected] != SourceSIP {
			return nil
		}
		return ValidateHost(s)
	})

	// AMI.
	f.amiHost = entry(v.AMIHost, "pbx.example.com:5038")
	f.amiUser = entry(v.AMIUser, "")
	f.amiPassword = password(v.AMIPassword)
	f.amiExtension = entry(v.AMIExtension, "201")
	amiHost := f.field(f.amiHost, func() error {
		s := strings.TrimSpace(f.amiHost.Text)
		if s == "" && sourceKeys[f.source.Selected] != SourceAMI {
			return nil
		}
		return ValidateHostPort(s)
	})

	// Desk phone.
	f.deskEnabled = check("Accept the desk phone's action URLs", v.DeskPhoneEnabled)
	f.deskAddress = entry(v.DeskPhoneAddress, "127.0.0.1:8765")
	deskAddress, deskField := f.fieldOf(f.deskAddress, func() error {
		if !f.deskEnabled.Checked && strings.TrimSpace(f.deskAddress.Text) == "" {
			return nil
		}
		return ValidateHostPort(f.deskAddress.Text)
	})
	f.deskEnabled.OnChanged = func(bool) { deskField.check() }

	// Windows TAPI.
	var tapi fyne.CanvasObject
	var lines []string
	if f.a.TAPILines != nil {
		lines = f.a.TAPILines()
	}
	f.tapiLine = entry(v.TAPILine, "Line name")
	tapi = f.tapiLine
	if len(lines) > 0 {
		f.tapiSelect = widget.NewSelectEntry(lines)
		f.tapiSelect.SetText(v.TAPILine)
		tapi = f.tapiSelect
	}

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
			hinted("Listen on", deskAddress, "Point the phone's action URLs here"),
			widget.NewFormItem("", f.newSourceTest(SourceDeskPhone).box()),
		),
		section("Windows TAPI",
			hinted("Line", tapi, "The TAPI line of your phone (Windows only)"),
			widget.NewFormItem("", f.newSourceTest(SourceTAPI).box()),
		),
	)
}
