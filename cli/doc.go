// Package cli is CallDocket's command line: one exported function per
// command (Event, EventURL, Lookup, Sync, Log, Calls, Settings, Queue,
// Flush, Status, Monitor, Login, Logout), each taking the words after the
// command and writing to the given stdout. Run reads the first word and
// calls them, and decides what a bare argument means (a number, a sip:,
// tel: or callto: URI, a calldocket:// URL). app.Run runs the tray app
// itself when TrayArgs says so, and hands everything else to Run.
//
// A bad command line is a *UsageError (exit 2), a failure with its own
// exit code an *ExitError; Exit prints either on one line and returns the
// code (2 also for a *settings.FileError: a bad value in config.json).
// Every value is checked before anything is opened or stored: numbers
// (phone.Check), durations (at most MaxCallDuration), --at (within the
// past year), IDs, HOST:PORT, text. The commands that record calls (event,
// the bare argument, the URL form) and 'settings set' go on with the
// defaults for bad values in config.json, with a warning; the others stop.
// Usage is the help text.
//
// Commands talk to a running tray app through package ipc; when none runs
// they open the same stores it would (package home) and, for a call event
// from a softphone hook, start it detached.
//
// It never imports Fyne or package app.
package cli
