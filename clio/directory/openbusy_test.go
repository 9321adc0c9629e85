package directory

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestOpenConcurrentFirstOpen: the tray app and a CLI command (`calldocket
// status` from a hook) may open a directory that does not exist yet at the
// same moment. Both must get it: SQLITE_BUSY while the other one creates the
// schema or switches to WAL is waited out, as the outbox and the ledger do.
// (Seen under Wine: "open directory: database is locked (5)".)
func TestOpenConcurrentFirstOpen(t *testing.T) {
	// Not t.TempDir: its cleanup (os.RemoveAll) fails under Wine 8, where
	// this test also runs (make test-windows), with "unlinkat: Invalid
	// function"; plain os.Remove works there.
	dir, err := os.MkdirTemp("", "directory-busy-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				t.Errorf("remove %s: %v", e.Name(), err)
			}
		}
		if err := os.Remove(dir); err != nil {
			t.Errorf("remove %s: %v", dir, err)
		}
	})
	for round := range 20 {
		path := filepath.Join(dir, fmt.Sprintf("directory-%d.db", round))
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := Open(t.Context(), path, Options{DefaultRegion: "US"}, nil)
				if err == nil {
					err = d.Close()
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: opener %d: %v", round, i, err)
			}
		}
	}
}
