// Package cli is CallDocket's command line: one exported function per
// command (Event, EventURL, Lookup, Sync, Log, Calls, Settings, Queue,
// Flush, Status, Monitor, Login, Logout), each taking the words after the
// command and writing to the given stdout. app.Run reads the first word and
// calls them; it runs the tray app itself when there is no command.
//
// A bad command line is a *UsageError (exit 2), a failure with its own
// exit code an *ExitError; Exit prints either and returns the code. Usage
// is the help text.
//
// Commands talk to a running tray app through package ipc; when none runs
// they open the same stores it would (package home) and, for a call event
// from a softphone hook, start it detached.
//
// It never imports Fyne or package app.
package cli
