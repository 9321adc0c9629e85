//go:build !windows

package sqlitefile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// freeBytes is the space left for an unprivileged user on the disk of path.
func freeBytes(path string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}

func isDiskFullErrno(err error) bool { return errors.Is(err, syscall.EDQUOT) }

// syncDir makes a rename or a new file in dir survive a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil // best effort: the rename itself succeeded
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
