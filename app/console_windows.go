//go:build windows

package app

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachParentProcess is ATTACH_PARENT_PROCESS ((DWORD)-1).
const attachParentProcess = ^uint32(0)

var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// attachConsole lets a command print to the console it was typed in.
// calldocket.exe is linked for the GUI subsystem (-H windowsgui), so no
// console window flashes when a softphone hook runs it; the price is that
// Windows gives it no standard handles when it is started from cmd.exe or
// PowerShell. Standard handles that are already valid (redirected to a
// file or a pipe, as a hook or a script does) are kept; the missing ones
// are taken from the parent's console when there is one. Without a parent
// console (a softphone, Explorer) nothing changes and output is dropped,
// as before. The tray app never calls it: a console it is attached to
// would take it down when the window closes.
func attachConsole() {
	handles := []struct {
		std  uint32
		file **os.File
		name string
	}{
		{windows.STD_INPUT_HANDLE, &os.Stdin, "CONIN$"},
		{windows.STD_OUTPUT_HANDLE, &os.Stdout, "CONOUT$"},
		{windows.STD_ERROR_HANDLE, &os.Stderr, "CONOUT$"},
	}
	// Decide before attaching: AttachConsole itself may fill in the
	// missing standard handles, but not the *os.File values made at init.
	missing := make([]bool, len(handles))
	need := false
	for i, h := range handles {
		missing[i] = !validStdHandle(h.std)
		need = need || missing[i]
	}
	if !need {
		return
	}
	if r, _, _ := procAttachConsole.Call(uintptr(attachParentProcess)); r == 0 {
		return // no parent console
	}
	for i, h := range handles {
		if !missing[i] {
			continue
		}
		if validStdHandle(h.std) { // set by AttachConsole
			fh, _ := windows.GetStdHandle(h.std)
			*h.file = os.NewFile(uintptr(fh), h.name)
			continue
		}
		name, err := windows.UTF16PtrFromString(h.name)
		if err != nil {
			continue
		}
		fh, err := windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
		if err != nil {
			continue
		}
		_ = windows.SetStdHandle(h.std, fh)
		*h.file = os.NewFile(uintptr(fh), h.name)
	}
}

// validStdHandle says whether the standard handle std is usable: set, and
// a file, pipe or console (not a stale value).
func validStdHandle(std uint32) bool {
	h, err := windows.GetStdHandle(std)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}
