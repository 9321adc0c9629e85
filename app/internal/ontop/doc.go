// Package ontop keeps a window above the others without giving it keyboard
// focus, through the platform's own window system: EWMH hints over a pure-Go
// X11 connection on Linux and the BSDs, SetWindowPos on Windows. It takes raw
// native handles and never imports Fyne, so it builds and tests with
// CGO_ENABLED=0 on every platform; package app adapts Fyne windows to it.
package ontop
