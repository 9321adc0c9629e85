//go:build windows

package sqlitefile

import (
	"errors"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// freeBytes is the space left for the user on the disk of path.
func freeBytes(path string) (uint64, bool) {
	p, err := windows.UTF16PtrFromString(filepath.Dir(path))
	if err != nil {
		return 0, false
	}
	var free, total, all uint64
	if err := windows.GetDiskFreeSpaceEx(p, &free, &total, &all); err != nil {
		return 0, false
	}
	return free, true
}

func isDiskFullErrno(err error) bool {
	return errors.Is(err, windows.ERROR_DISK_FULL) || errors.Is(err, windows.ERROR_HANDLE_DISK_FULL)
}

// syncDir: Windows makes a rename durable without syncing the folder.
func syncDir(string) error { return nil }
