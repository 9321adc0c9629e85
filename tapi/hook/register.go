package hook

import (
	"errors"
	"strings"
)

// DesktopID is the desktop-entry id under which Register installs the
// calldocket:// handler on Linux and other freedesktop systems; it matches
// packaging/calldocket.desktop's icon name io.calldocket.app.
const DesktopID = "io.calldocket.app.desktop"

// ErrRelativeExe is returned by Register for an executable path that is not
// absolute: the OS would not find it from a browser or a softphone.
var ErrRelativeExe = errors.New("executable path is not absolute")

// windowsCommand is the shell\open\command value for the calldocket URL
// protocol: the quoted executable and the quoted URL.
func windowsCommand(exe string) string {
	return `"` + exe + `" "%1"`
}

// desktopEntry is the .desktop file Register writes on Linux: the same
// entry as packaging/calldocket.desktop, with Exec pointing at exe.
func desktopEntry(exe string) string {
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=CallDocket\n" +
		"Comment=Call companion for Clio Manage: screen pops and one-key call logging\n" +
		"Exec=" + desktopQuote(exe) + " %u\n" +
		"Icon=io.calldocket.app\n" +
		"Terminal=false\n" +
		"Categories=Office;Telephony;\n" +
		"MimeType=x-scheme-handler/" + Scheme + ";\n" +
		"NoDisplay=true\n" +
		"StartupNotify=false\n"
}

// desktopQuote quotes an Exec argument as the Desktop Entry Specification
// requires: in double quotes, with ", `, $ and \ escaped by a backslash, and
// a literal % doubled. The .desktop file format then escapes each backslash
// once more.
func desktopQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\\\`) // \\ escaped again for the string-value level
			continue
		case '"', '`', '$':
			b.WriteString(`\\`) // \ escaped again for the string-value level
		case '%':
			b.WriteByte('%')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
