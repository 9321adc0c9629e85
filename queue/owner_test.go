package queue

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestOwnerProcess(t *testing.T) {
	host, _ := os.Hostname()
	tests := []struct {
		in     string
		pid    int
		wantOK bool
	}{
		{fmt.Sprintf("%s-1234-0a1b2c3d", host), 1234, true},
		{fmt.Sprintf("%s-1234", host), 1234, true},           // the tray app's owner
		{fmt.Sprintf("%s-12-1234-0a1b2c3d", host), 0, false}, // host "HOST-12"
		{"other-host-1234-0a1b2c3d", 0, false},
		{"other-host-1234", 0, false},
		{fmt.Sprintf("%s-0", host), 0, false},
		{"tray", 0, false},
		{fmt.Sprintf("%s-x-0a1b", host), 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			pid, ok := ownerProcess(tt.in)
			if pid != tt.pid || ok != tt.wantOK {
				t.Errorf("ownerProcess(%q) = %d, %t, want %d, %t", tt.in, pid, ok, tt.pid, tt.wantOK)
			}
		})
	}
}

// TestReclaimDeadOwner: a flusher killed mid-delivery leaves its item
// leased; the next flusher on the host sees the process is gone and
// delivers the item at once, as Uncertain, instead of waiting out the
// lease.
func TestReclaimDeadOwner(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	dead := fmt.Sprintf("%s-%d-deadbeef", host, cmd.Process.Pid)
	deadApp := fmt.Sprintf("%s-%d", host, cmd.Process.Pid) // the tray app's form
	alive := fmt.Sprintf("%s-%d-0badf00d", host, os.Getpid())

	o, _ := openTest(t)
	o.now = time.Now
	a := mustEnqueue(t, o, call(1))
	b := mustEnqueue(t, o, call(2))
	c := mustEnqueue(t, o, call(3))
	for _, owner := range []string{dead, alive, deadApp} {
		if _, err := o.Claim(t.Context(), owner, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	d := &deliverFunc{}
	var seen []Item
	d.set(func(_ context.Context, it Item, _ Recorder) error { seen = append(seen, it); return nil })
	f := NewFlusher(o, d, FlusherOptions{Owner: "next"})
	res, err := f.Drain(t.Context(), true)
	if err != nil || res.Delivered != 2 {
		t.Fatalf("Drain = %+v, %v; want the dead owners' items delivered", res, err)
	}
	if len(seen) != 2 || seen[0].ID != a.ID || seen[1].ID != c.ID || !seen[0].Uncertain || !seen[1].Uncertain {
		t.Errorf("delivered %+v, want items %d and %d marked Uncertain", seen, a.ID, c.ID)
	}
	if got := mustGet(t, o, b.ID); got.State != StateDelivering {
		t.Errorf("live owner's item state = %s, want still delivering", got.State)
	}
}
