//go:build unix

package peerproc

import (
	"io"
	"syscall"
	"testing"
)

// TestStopEndsTheGroup: a child left running by the main process is gone
// once Stop returns.
func TestStopEndsTheGroup(t *testing.T) {
	p, err := Start(t.TempDir(), io.Discard, "sh", "-c", "sleep 60 & sleep 60")
	if err != nil {
		t.Fatal(err)
	}
	p.Stop()
	if !p.Exited() {
		t.Fatal("main process still running after Stop")
	}
	if err := syscall.Kill(-p.Cmd.Process.Pid, 0); err == nil {
		t.Fatal("a process of the group outlived Stop")
	}
}
