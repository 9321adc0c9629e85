package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/calldocket/calldocket/assets"
)

// Mode is how the app is connected to Clio.
type Mode int

// Modes.
const (
	ModeSandbox      Mode = iota // built-in sample firm, nothing reaches a real Clio
	ModeConnected                // signed in, Clio reachable
	ModeOffline                  // signed in, Clio unreachable: calls queue up
	ModeSignInNeeded             // no valid sign-in: calls queue up
)

// String is the mode in words, as the settings panel shows it.
func (m Mode) String() string {
	switch m {
	case ModeSandbox:
		return "Sandbox — sample firm"
	case ModeConnected:
		return "Connected"
	case ModeOffline:
		return "Offline — calls are queued"
	case ModeSignInNeeded:
		return "Sign-in needed"
	default:
		return "Mode " + strconv.Itoa(int(m))
	}
}

// TrayState is everything the tray menu and icon depend on.
type TrayState struct {
	Mode       Mode
	UserName   string
	Deciding   int  // calls waiting for the attorney's decision (pop or review list)
	Delivering int  // decided calls waiting to reach Clio
	PhoneDown  bool // a call source lost its connection: calls may go unseen
	Paused     bool
	// Syncing is set while the directory mirror syncs from Clio; Progress
	// says how far, e.g. SyncProgress("contacts", 4200, 12000).
	Syncing  bool
	Progress string
}

// TrayActions are the tray menu's callbacks; a nil action disables its item.
type TrayActions struct {
	SimulateCall func()
	ReviewCalls  func()
	Settings     func()
	TogglePause  func()
	// SignIn starts the Clio sign-in. Its item is shown only when the
	// mode is ModeSignInNeeded and SignIn is set.
	SignIn func()
	// Quit ends the app. The item is always last. Fyne would add its own
	// Quit only after drawing the tray menu, so a menu rebuilt on every
	// change would never show it; TrayMenu adds it itself.
	Quit func()
}

// StatusLine is the tray's first, informational line: the mode, then
// "Phone link down" when a call source lost its connection (whatever the
// mode), the directory sync and "Paused".
func StatusLine(s TrayState) string {
	var line string
	switch s.Mode {
	case ModeConnected:
		if s.UserName != "" {
			line = "Connected as " + s.UserName
		} else {
			line = "Connected to Clio"
		}
	default:
		line = s.Mode.String()
	}
	if s.PhoneDown {
		line += " · Phone link down"
	}
	if s.Syncing {
		p := strings.TrimSpace(s.Progress)
		if p == "" {
			p = "Syncing with Clio"
		}
		line += " · " + p
	}
	if s.Paused {
		line += " · Paused"
	}
	return line
}

// SyncProgress is the sync part of the status line: "Syncing contacts
// 4,200 / ~12,000", or without the estimate when total is unknown (0).
func SyncProgress(what string, done, total int) string {
	s := "Syncing " + strings.TrimSpace(what) + " " + thousands(done)
	if total > 0 {
		s += " / ~" + thousands(total)
	}
	return s
}

// thousands formats n with comma separators: 12000 -> "12,000".
func thousands(n int) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// PendingLabel is "No calls waiting", "1 call waiting" or "3 calls waiting".
// The tray says what the calls wait for (DecidingLabel, DeliveringLabel)
// and uses it only when nothing waits.
func PendingLabel(n int) string {
	switch {
	case n <= 0:
		return "No calls waiting"
	case n == 1:
		return "1 call waiting"
	default:
		return strconv.Itoa(n) + " calls waiting"
	}
}

// DecidingLabel is "1 call waiting for a decision" or "2 calls waiting for
// a decision"; "" for none.
func DecidingLabel(n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return "1 call waiting for a decision"
	default:
		return strconv.Itoa(n) + " calls waiting for a decision"
	}
}

// DeliveringLabel is "5 waiting to reach Clio"; "" for none.
func DeliveringLabel(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n) + " waiting to reach Clio"
}

// ReminderText is the end-of-day reminder for the calls still waiting for
// a decision: "2 calls waiting for a decision — review them before you
// leave"; "" (no reminder) for none.
func ReminderText(deciding int) string {
	if deciding <= 0 {
		return ""
	}
	return DecidingLabel(deciding) + " — review them before you leave"
}

// countLabels are the tray's count lines: what waits for a decision, what
// waits to reach Clio, or "No calls waiting".
func countLabels(s TrayState) []string {
	var out []string
	if l := DecidingLabel(s.Deciding); l != "" {
		out = append(out, l)
	}
	if l := DeliveringLabel(s.Delivering); l != "" {
		out = append(out, l)
	}
	if len(out) == 0 {
		out = append(out, PendingLabel(0))
	}
	return out
}

// PauseLabel is the pause item's label for the current state.
func PauseLabel(paused bool) string {
	if paused {
		return "Resume pop-ups"
	}
	return "Pause pop-ups"
}

// TrayMenu builds the whole tray menu from the state. The app rebuilds it
// and calls SetSystemTrayMenu on every change; it adds Quit itself.
func TrayMenu(s TrayState, a TrayActions) *fyne.Menu {
	items := []*fyne.MenuItem{{Label: StatusLine(s), Disabled: true}}
	for _, l := range countLabels(s) {
		items = append(items, &fyne.MenuItem{Label: l, Disabled: true})
	}
	items = append(items, fyne.NewMenuItemSeparator())
	if s.Mode == ModeSignInNeeded && a.SignIn != nil {
		items = append(items, actionItem("Sign in to Clio…", a.SignIn))
	}
	if s.Mode == ModeSandbox {
		items = append(items, actionItem("Simulate incoming call", a.SimulateCall))
	}
	items = append(items,
		actionItem("Review calls…", a.ReviewCalls),
		actionItem("Settings…", a.Settings),
		actionItem(PauseLabel(s.Paused), a.TogglePause),
		fyne.NewMenuItemSeparator(),
	)
	quit := actionItem("Quit", a.Quit)
	quit.IsQuit = true
	items = append(items, quit)
	return fyne.NewMenu("CallDocket", items...)
}

func actionItem(label string, action func()) *fyne.MenuItem {
	it := fyne.NewMenuItem(label, action)
	it.Disabled = action == nil
	return it
}

// TrayIcon picks the tray icon: sign-in needed wins (logging has stopped),
// then the phone link down (shown as offline: calls may go unseen),
// paused, offline, syncing (the directory syncs), sandbox, syncing
// (connected with calls waiting to reach Clio), ok. The status line says
// the same in words: the icon is never the only signal.
func TrayIcon(s TrayState) fyne.Resource {
	return assets.Icon(trayIconName(s))
}

func trayIconName(s TrayState) string {
	switch {
	case s.Mode == ModeSignInNeeded:
		return assets.SignIn
	case s.PhoneDown:
		return assets.Offline
	case s.Paused:
		return assets.Paused
	case s.Mode == ModeOffline:
		return assets.Offline
	case s.Syncing:
		return assets.Syncing
	case s.Mode == ModeSandbox:
		return assets.Sandbox
	case s.Delivering > 0:
		return assets.Syncing
	default:
		return assets.OK
	}
}
