//go:build !windows && !linux && !freebsd && !openbsd && !netbsd

package app

import (
	"log/slog"

	"fyne.io/fyne/v2"
)

// On macOS the GLFW layer in ontop.go is the whole story: GLFW_FLOATING
// sets the NSWindow level to NSFloatingWindowLevel (kept across hide and
// show), and with GLFW_FOCUS_ON_SHOW off glfwShowWindow only orders the
// window front (orderFront:) without activating the app or making the
// window key. Nothing native is left to do here, nor on other platforms.

func nativeBeforeShow(fyne.Window, *slog.Logger) {}

func nativeKeepOnTop(fyne.Window, *slog.Logger) {}
