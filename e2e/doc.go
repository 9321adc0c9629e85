// Package e2e holds CallDocket's end-to-end tests. They run the real binary
// under Xvfb and a private D-Bus session (dbus-run-session), drive the tray
// menu over StatusNotifierItem/dbusmenu (package e2e/trayctl), watch the
// windows with xdotool, and check what reached the Clio emulator over HTTP.
//
// Run them with `make test` (or `make test-e2e`); they need the build tag e2e:
//
//	xvfb-run -a dbus-run-session -- go test -tags e2e ./e2e/ -args -bin bin/calldocket
package e2e
