package queue

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// smallDisk mounts a tmpfs of size (e.g. "256k") for the test, or skips
// when it cannot (not root, or not Linux): the e2e test insists.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root on Linux")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// A full disk is named as such, with the file, and what was committed
// before stays: the outbox reopens with every item it acknowledged.
func TestEnqueueDiskFull(t *testing.T) {
	dir := smallDisk(t, "384k")
	path := filepath.Join(dir, "outbox.db")
	o, err := Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var stored []Item
	var full error
	for i := 0; i < 5000; i++ {
		it := call(int64(i + 1))
		it.Note = strings.Repeat("x", 900)
		got, err := o.Enqueue(t.Context(), it)
		if err != nil {
			full = err
			break
		}
		stored = append(stored, got)
	}
	if full == nil {
		t.Fatal("5000 items fit on a 384k disk")
	}
	t.Logf("after %d items: %v", len(stored), full)
	if fe := (*sqlitefile.FullError)(nil); errors.As(full, &fe) {
		t.Logf("SQLite said: %v", fe.Err)
	}
	var fe *sqlitefile.FullError
	if !errors.As(full, &fe) || !errors.Is(full, sqlitefile.ErrDiskFull) || fe.Path != path ||
		!strings.Contains(full.Error(), "the disk is full ("+path+")") {
		t.Fatalf("Enqueue on a full disk = %v, want the disk is full (%s)", full, path)
	}
	if strings.Contains(full.Error(), "disk I/O error") {
		t.Errorf("the message still says disk I/O error: %v", full)
	}
	o.Close()
	o, err = Open(t.Context(), path, nil)
	if err != nil {
		t.Fatalf("reopen after the disk filled: %v", err)
	}
	defer o.Close()
	items, err := o.List(t.Context(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(stored) {
		t.Fatalf("after reopening %d items, want the %d stored", len(items), len(stored))
	}
}

// A disk that is already full when the outbox opens: opening and adding
// say the disk is full, never "disk I/O error", and lose nothing.
func TestOpenOnFullDisk(t *testing.T) {
	dir := smallDisk(t, "512k")
	path := filepath.Join(dir, "outbox.db")
	o, err := Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := mustEnqueue(t, o, call(1))
	o.Close()
	// Fill the disk to the last byte.
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	for {
		if _, err := f.Write(buf[:1]); err != nil {
			break
		}
	}
	f.Close()
	o, err = Open(t.Context(), path, nil)
	if err != nil {
		t.Logf("Open on a full disk: %v", err)
		if fe := (*sqlitefile.FullError)(nil); errors.As(err, &fe) {
			t.Logf("SQLite said: %v", fe.Err)
		}
		if !errors.Is(err, sqlitefile.ErrDiskFull) {
			t.Fatalf("Open on a full disk = %v, want the disk is full", err)
		}
	} else {
		_, err = o.Enqueue(t.Context(), call(2))
		t.Logf("Enqueue on a full disk: %v", err)
		if !errors.Is(err, sqlitefile.ErrDiskFull) {
			t.Errorf("Enqueue on a full disk = %v, want the disk is full", err)
		}
		o.Close()
	}
	os.Remove(filepath.Join(dir, "filler"))
	o = openAt(t, path, nil)
	if _, err := o.Get(t.Context(), first.ID); err != nil {
		t.Errorf("the item stored before the disk filled: %v", err)
	}
}
