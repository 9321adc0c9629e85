// Package app is the CallDocket tray app and the program's entry point.
// Run reads the first word of the command line: a command goes to package
// cli; none (or --sandbox) runs the tray: the call sources, the IPC
// handlers the command line talks to (package ipc), the service that wires
// the call's life (package calls) to the flusher, the directory sync and
// the fax folder, and the Fyne controller (gui*.go) that drives package ui.
// The wiring it shares with the command line lives in package home.
//
// It is the only package (besides main) that imports fyne.io/fyne/v2/app.
package app
