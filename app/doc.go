// Package app owns CallDocket's lifecycle and wiring: configuration, the data
// folder, logging, the single-instance loopback IPC, Sandbox mode, the call
// path from tapi sources through the directory to the ui, the outbox flusher
// that delivers to Clio, and the command-line interface.
//
// It is the only package (besides main) that imports fyne.io/fyne/v2/app.
package app
