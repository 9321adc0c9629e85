package home

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"sync"
)

// The tray app's log is rotated by size: calldocket.log is moved to
// calldocket.log.1 (and .1 to .2, …) once it would pass LogMaxBytes, and
// LogKeep old files are kept, so the log takes at most
// (LogKeep+1)*LogMaxBytes on disk.
const (
	LogMaxBytes = 5 << 20
	LogKeep     = 3
)

// RotatingFile is an io.WriteCloser that appends to a private (0600) file
// and rotates it by size. It is safe for concurrent use. Rotation failures
// (the old files cannot be renamed) never fail a Write: the file keeps
// growing and rotation is tried again after another max bytes.
type RotatingFile struct {
	path string
	max  int64
	keep int

	mu   sync.Mutex
	f    *os.File
	size int64
}

// OpenLog opens the tray app's log at path with the default limits.
func OpenLog(path string) (*RotatingFile, error) {
	return OpenRotating(path, LogMaxBytes, LogKeep)
}

// OpenRotating opens path for appending (created 0600), rotating it at once
// if it is already past max bytes. keep is how many rotated files
// (path.1 … path.keep) are kept; at least 1.
func OpenRotating(path string, max int64, keep int) (*RotatingFile, error) {
	if max <= 0 {
		return nil, fmt.Errorf("open log %s: size limit %d: want more than 0 bytes", path, max)
	}
	r := &RotatingFile{path: path, max: max, keep: max1(keep)}
	if err := r.open(); err != nil {
		return nil, err
	}
	if r.size >= r.max {
		r.rotate()
	}
	return r, nil
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

func (r *RotatingFile) open() error {
	f, err := os.OpenFile(r.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open log file: %w", err)
	}
	_ = f.Chmod(0o600) // an older install may have made it wider; not possible on every OS
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("open log file: %w", err)
	}
	r.f, r.size = f, st.Size()
	return nil
}

// Write appends p, rotating first when p would take the file past max.
func (r *RotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return 0, fs.ErrClosed
	}
	if r.size > 0 && r.size+int64(len(p)) > r.max {
		r.rotate()
		if r.f == nil {
			return 0, fs.ErrClosed
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

// rotate moves path to path.1 (path.1 to path.2, …, dropping path.keep)
// and opens a new path. If a rename fails, writing goes on in the old file.
func (r *RotatingFile) rotate() {
	_ = r.f.Close() // Windows cannot rename an open file
	r.f = nil
	err := os.Remove(r.name(r.keep))
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	for i := r.keep - 1; i >= 1 && err == nil; i-- {
		if e := os.Rename(r.name(i), r.name(i+1)); e != nil && !errors.Is(e, fs.ErrNotExist) {
			err = e
		}
	}
	if err == nil {
		err = os.Rename(r.path, r.name(1))
	}
	if oerr := r.open(); oerr != nil {
		return // r.f stays nil: Write reports the file closed
	}
	if err != nil {
		r.size = 0 // try again after another max bytes, not on every line
	}
}

func (r *RotatingFile) name(i int) string { return r.path + "." + strconv.Itoa(i) }

// Close closes the file; later Writes fail.
func (r *RotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}
