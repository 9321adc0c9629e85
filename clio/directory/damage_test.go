package directory

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// A damaged directory is named by Open, and OpenRepair sets it aside and
// starts an empty one that the next sync fills (it has never synced).
func TestOpenDamagedDirectory(t *testing.T) {
	for _, tt := range []struct {
		name   string
		damage func(path string) error
		reason string
	}{
		{"zero bytes", func(p string) error { return os.Truncate(p, 0) }, "the file is empty"},
		{"not a database", func(p string) error {
			return os.WriteFile(p, bytes.Repeat([]byte("garbage "), 2000), 0o600)
		}, "file is not a database"},
		{"truncated", func(p string) error { return os.Truncate(p, 4096) }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "directory.db")
			d, err := Open(t.Context(), path, Options{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			d.Close()
			if err := tt.damage(path); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(path)
			_, err = Open(t.Context(), path, Options{}, nil)
			if !errors.Is(err, sqlitefile.ErrDamaged) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("Open(damaged) = %v", err)
			}
			d, rep, err := OpenRepair(t.Context(), path, Options{}, nil)
			if err != nil {
				t.Fatalf("OpenRepair = %v", err)
			}
			defer d.Close()
			if kept, err := os.ReadFile(rep.SetAside); err != nil || !bytes.Equal(kept, before) {
				t.Fatalf("set-aside %q: %v", rep.SetAside, err)
			}
			if !strings.Contains(rep.String(), "rebuilt from Clio") {
				t.Errorf("report %q does not say the directory is rebuilt", rep)
			}
			if _, err := d.LookupWith(t.Context(), "+12125550123", LookupOptions{}); err != nil {
				t.Errorf("lookup in the new directory: %v", err)
			}
			if _, ok, err := getState(t.Context(), d.db, keyLastSync); ok || err != nil {
				t.Errorf("new directory has synced (%v, %v): the next sync would not be full", ok, err)
			}
		})
	}
	var d *Directory
	if err := d.Close(); err != nil {
		t.Errorf("nil Directory Close = %v", err)
	}
}
