//go:build !windows

package queue

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with this pid runs (or may run:
// one we may not signal counts as alive).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
