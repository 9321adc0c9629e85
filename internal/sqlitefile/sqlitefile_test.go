package sqlitefile

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b.db")
	if err := Create(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Create(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	if err := Create(""); err == nil {
		t.Error("Create(\"\") succeeded")
	}
}

func TestURI(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/data/calls.db", "file:/data/calls.db?_txlock=immediate"},
		{"/data/a b?#%.db", "file:/data/a%20b%3F%23%25.db?_txlock=immediate"},
	}
	for _, tt := range tests {
		if got := URI(tt.path, "_txlock=immediate"); got != tt.want {
			t.Errorf("URI(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
	if got := URI("/x.db", Durable...); !strings.Contains(got, "synchronous(FULL)") {
		t.Errorf("Durable URI = %q", got)
	}
}

func TestMS(t *testing.T) {
	if MS(time.Time{}) != 0 || !Time(0).IsZero() {
		t.Error("the zero time is not 0")
	}
	at := time.UnixMilli(1765000000123)
	if got := Time(MS(at)); !got.Equal(at) {
		t.Errorf("Time(MS(%v)) = %v", at, got)
	}
}
