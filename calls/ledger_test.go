package calls

import (
	"path/filepath"
	"testing"
)

// TestOpenLedgerConcurrently: the tray app and commands opening a new
// ledger at the same moment all succeed.
func TestOpenLedgerConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calls.db")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			l, err := OpenLedger(t.Context(), path, nil)
			if err == nil {
				err = l.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent OpenLedger: %v", err)
		}
	}
}
