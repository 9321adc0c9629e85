// Package trayctl drives a running application's system-tray menu over D-Bus,
// for end-to-end tests and shell debugging.
//
// On Linux, fyne.io/systray (used by Fyne's desktop tray) exports an
// org.kde.StatusNotifierItem object plus a com.canonical.dbusmenu menu and
// registers it with whoever owns org.kde.StatusNotifierWatcher on the session
// bus. A headless test session has no desktop shell, so [StartWatcher] takes
// that name itself and records the items that register. [Watcher.WaitItem]
// returns the first live item; [Item.Menu] reads its menu, [Item.Click] sends a
// "clicked" event to an entry found by label, and [Item.WaitLabel] waits until
// an entry's label matches (tray labels change at run time).
//
// Menu ids are assigned by the application and are not stable, so entries are
// always looked up by label. Labels are compared after removing dbusmenu
// mnemonics ("_File" reads "File", "a__b" reads "a_b").
//
// The watcher can start before or after the application: fyne.io/systray
// registers again whenever the watcher name gets a new owner.
//
// Typical use, under an X server and a private session bus
// (xvfb-run -a dbus-run-session -- go test ./e2e/...):
//
//	w, err := trayctl.StartWatcher(ctx)
//	...
//	defer w.Close()
//	// start the application here
//	it, err := w.WaitItem(ctx)
//	...
//	err = it.Click(ctx, "Simulate call")
//
// The package only needs a session bus (DBUS_SESSION_BUS_ADDRESS); it never
// falls back to autolaunching one. The tests in this package fail when no bus is
// available unless CALLDOCKET_NO_DBUS=1 is set, in which case the bus tests are
// skipped and only the pure layout tests run.
package trayctl
