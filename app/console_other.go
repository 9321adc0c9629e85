//go:build !windows

package app

// attachConsole is needed only by the GUI-subsystem Windows build.
func attachConsole() {}
