package calls

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// filledLedger makes a ledger with n calls, closes it and returns its path.
func filledLedger(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "calls.db")
	l, err := OpenLedger(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		_, _, err := l.Insert(t.Context(), Record{CallID: fmt.Sprintf("c%d", i), Kind: KindCall, State: StateRinging,
			Number: "+15551230000", StartedAt: time.UnixMilli(1_780_000_000_000)}, "test")
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenDamagedLedger(t *testing.T) {
	tests := []struct {
		name   string
		damage func(path string) error
		reason string
		want   int // calls recovered
	}{
		{"zero bytes", func(p string) error { return os.Truncate(p, 0) }, "the file is empty", 0},
		{"scribbled header", func(p string) error {
			f, err := os.OpenFile(p, os.O_RDWR, 0)
			if err != nil {
				return err
			}
			_, err = f.WriteAt([]byte("scribbled header"), 0)
			return errors.Join(err, f.Close())
		}, "file is not a database", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filledLedger(t, 4)
			if err := tt.damage(path); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(path)
			_, err := OpenLedger(t.Context(), path, nil)
			if !errors.Is(err, sqlitefile.ErrDamaged) || !strings.Contains(err.Error(), path) ||
				!strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("OpenLedger(damaged) = %v, want the damage named", err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
				t.Fatal("OpenLedger changed the damaged file")
			}
			l, rep, err := OpenLedgerRepair(t.Context(), path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if kept, err := os.ReadFile(rep.SetAside); err != nil || !bytes.Equal(kept, before) {
				t.Fatalf("set-aside %q: %v", rep.SetAside, err)
			}
			rs, err := l.List(t.Context(), ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != tt.want || rep.Recovered != tt.want {
				t.Errorf("after repair %d calls (%d recovered), want %d", len(rs), rep.Recovered, tt.want)
			}
			if _, _, err := l.Insert(t.Context(), Record{CallID: "new", Kind: KindCall, State: StateRinging}, "test"); err != nil {
				t.Errorf("record a call in the new ledger: %v", err)
			}
		})
	}
}
