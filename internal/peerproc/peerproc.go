//go:build unix

package peerproc

import (
	"fmt"
	"io"
	"os/exec"
	"syscall"
	"time"
)

// Proc is a peer started in a process group of its own.
type Proc struct {
	Cmd  *exec.Cmd
	done chan struct{}
}

// Start runs bin with args in dir, its output to out, in a new process group.
func Start(dir string, out io.Writer, bin string, args ...string) (*Proc, error) {
	p := &Proc{Cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.Cmd.Dir = dir
	p.Cmd.Stdout, p.Cmd.Stderr = out, out
	p.Cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.Cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		_ = p.Cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Done is closed once the peer's main process has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Exited reports whether the peer's main process has exited.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Stop sends SIGTERM to the group (SIGKILL after 5 s), waits for the main
// process, then until no process of the group is left: children may still
// hold the peer's ports after the main process exits. It gives up after
// another 10 s, since an unreaped zombie counts as alive.
func (p *Proc) Stop() {
	if p.Exited() {
		return
	}
	pgid := p.Cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
	start := time.Now()
	for syscall.Kill(-pgid, 0) == nil && time.Since(start) < 10*time.Second {
		if time.Since(start) > 5*time.Second {
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
