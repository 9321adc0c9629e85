package sqlitefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// codeErr is a driver error with a SQLite result code.
type codeErr struct {
	code int
	msg  string
}

func (e codeErr) Error() string { return fmt.Sprintf("%s (%d)", e.msg, e.code) }
func (e codeErr) Code() int     { return e.code }

func TestDamaged(t *testing.T) {
	tests := []struct {
		err    error
		damage bool
		reason string
	}{
		{codeErr{26, "file is not a database"}, true, "file is not a database"},
		{fmt.Errorf("migrate: %w", codeErr{11, "database disk image is malformed"}), true, "database disk image is malformed"},
		{codeErr{267, "database disk image is malformed"}, true, "database disk image is malformed"}, // SQLITE_CORRUPT_VTAB
		{codeErr{5, "database is locked"}, false, ""},
		{errors.New("boom"), false, ""},
		{nil, false, ""},
	}
	for _, tt := range tests {
		de := Damaged(tt.err, "outbox", "/d/outbox.db")
		if (de != nil) != tt.damage {
			t.Errorf("Damaged(%v) = %v, want damage %v", tt.err, de, tt.damage)
			continue
		}
		if de != nil && (de.Reason != tt.reason || !errors.Is(de, ErrDamaged) || !errors.Is(de, tt.err)) {
			t.Errorf("Damaged(%v) = %+v, want reason %q wrapping the error", tt.err, de, tt.reason)
		}
	}
}

func TestFull(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "outbox.db")
	tests := []struct {
		err  error
		full bool
	}{
		{codeErr{13, "database or disk is full"}, true},
		{fmt.Errorf("commit: %w", codeErr{13, "database or disk is full"}), true},
		{&os.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}, true},
		{codeErr{4874, "disk I/O error"}, false}, // this disk has room: a real I/O error stays one
		{codeErr{5, "database is locked"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		got := Full(tt.err, path)
		if errors.Is(got, ErrDiskFull) != tt.full {
			t.Errorf("Full(%v) = %v, want full %v", tt.err, got, tt.full)
			continue
		}
		if tt.full {
			if want := "the disk is full (" + path + ")"; !strings.HasPrefix(got.Error(), want) {
				t.Errorf("Full(%v) = %q, want it to start %q", tt.err, got, want)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("Full(%v) lost the cause", tt.err)
			}
		} else if got != tt.err {
			t.Errorf("Full(%v) = %v, want it unchanged", tt.err, got)
		}
	}
}

func TestPrecheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "calls.db")
	check := func(want string) {
		t.Helper()
		err := Precheck("call ledger", path)
		switch {
		case want == "" && err != nil:
			t.Errorf("Precheck = %v, want nil", err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrDamaged)):
			t.Errorf("Precheck = %v, want %q", err, want)
		}
	}
	check("") // new
	if err := Create(path); err != nil {
		t.Fatal(err)
	}
	check("") // a first creation cut short
	if err := MarkCreated(path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + ".created"); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("marker: %v %v", fi, err)
	}
	check("the file is empty")
	os.Remove(path)
	check("the file is missing")
	os.WriteFile(path, []byte("SQLite format 3\x00 and more"), 0o600)
	check("") // SQLite judges the rest
}

func TestSetAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "outbox.db")
	for sfx, body := range map[string]string{"": "main", "-wal": "wal", "-shm": "shm", ".created": "x"} {
		os.WriteFile(path+sfx, []byte(body), 0o644)
	}
	at := time.Date(2026, 12, 7, 2, 33, 10, 0, time.UTC)
	de := &DamagedError{What: "outbox", Path: path, Reason: "database disk image is malformed"}
	r, err := SetAside(de, at)
	if err != nil {
		t.Fatal(err)
	}
	want := path + ".damaged-20261207T0233Z"
	if r.SetAside != want {
		t.Fatalf("set aside as %q, want %q", r.SetAside, want)
	}
	for sfx, body := range map[string]string{"": "main", "-wal": "wal", "-shm": "shm"} {
		b, err := os.ReadFile(want + sfx)
		if err != nil || string(b) != body {
			t.Errorf("%s: %q %v, want %q", want+sfx, b, err, body)
		}
		if fi, _ := os.Stat(want + sfx); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", want+sfx, fi.Mode().Perm())
		}
		if exists(path + sfx) {
			t.Errorf("%s still there", path+sfx)
		}
	}
	if exists(path + ".created") {
		t.Error("the marker is still there: the new file would be called damaged")
	}
	// A second damage within the same minute never overwrites the first.
	os.WriteFile(path, []byte("again"), 0o600)
	r2, err := SetAside(de, at)
	if err != nil || r2.SetAside == want {
		t.Fatalf("second set-aside %q, %v", r2.SetAside, err)
	}
	files, err := SetAsideFiles(dir)
	if err != nil || len(files) != 2 {
		t.Errorf("SetAsideFiles = %v, %v, want the two copies", files, err)
	}
	r.Recovered, r.Unit = 3, "items"
	msg := r.String()
	for _, w := range []string{"the outbox file " + path + " was damaged (database disk image is malformed)", "kept it as " + want, "3 items recovered"} {
		if !strings.Contains(msg, w) {
			t.Errorf("Repair.String() = %q, want %q in it", msg, w)
		}
	}
	de.Err = codeErr{11, "database disk image is malformed"}
	if m := de.Error(); !strings.HasPrefix(m, "the outbox file "+path+" is damaged (database disk image is malformed): start CallDocket") {
		t.Errorf("DamagedError = %q", m)
	}
}
