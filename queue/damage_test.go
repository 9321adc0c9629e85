package queue

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// filledOutbox makes an outbox at a new path with n items, the first two
// pending and the rest delivered, closes it and returns its path.
func filledOutbox(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "outbox.db")
	o, err := Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		it := call(int64(i + 1))
		it.Note = strings.Repeat("n", 200) // a few pages for a scribble to hit
		mustEnqueue(t, o, it)
	}
	for i := 2; i < n; i++ {
		it := mustClaim(t, o, "t")
		if err := o.Ack(t.Context(), it.ID, "t"); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// damage changes the closed outbox at path the way a test case says.
type damage func(t *testing.T, path string)

func truncateTo(frac float64) damage {
	return func(t *testing.T, path string) {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, int64(float64(fi.Size())*frac)/4096*4096); err != nil {
			t.Fatal(err)
		}
	}
}

// scribble overwrites one page in the middle of the file with random bytes.
func scribble(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := len(b) / 4096
	if pages < 4 {
		t.Fatalf("outbox has %d pages, want at least 4", pages)
	}
	r := rand.New(rand.NewPCG(1, 2))
	p := pages / 2
	for i := p * 4096; i < (p+1)*4096; i++ {
		b[i] = byte(r.Uint32())
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func notADatabase(t *testing.T, path string) {
	if err := os.WriteFile(path, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestOpenDamagedOutbox(t *testing.T) {
	tests := []struct {
		name    string
		damage  damage
		reason  string
		recover bool // some items come back
	}{
		{"zero bytes", truncateTo(0), "the file is empty", false},
		{"missing", func(t *testing.T, p string) { os.Remove(p) }, "the file is missing", false},
		{"truncated", truncateTo(0.5), "", false},
		{"scribbled", scribble, "", true},
		{"not a database", notADatabase, "file is not a database", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filledOutbox(t, 60)
			tt.damage(t, path)
			before, _ := os.ReadFile(path)

			_, err := Open(t.Context(), path, nil)
			var de *sqlitefile.DamagedError
			if !errors.As(err, &de) || !errors.Is(err, sqlitefile.ErrDamaged) {
				t.Fatalf("Open(damaged %s) = %v, want a *sqlitefile.DamagedError", tt.name, err)
			}
			if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, tt.reason) ||
				!strings.Contains(msg, "start CallDocket") || strings.Contains(msg, "\n") {
				t.Errorf("Open error = %q, want one line naming %s, %q and what to do", msg, path, tt.reason)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Fatalf("Open changed the damaged file (%d bytes, was %d)", len(after), len(before))
			}

			ob, rep, err := OpenRepair(t.Context(), path, nil)
			if err != nil {
				t.Fatalf("OpenRepair = %v", err)
			}
			defer ob.Close()
			if rep == nil || rep.Path != path || !strings.Contains(rep.String(), "kept it as") && tt.name != "missing" {
				t.Fatalf("OpenRepair report = %+v", rep)
			}
			if tt.name != "missing" {
				kept, err := os.ReadFile(rep.SetAside)
				if err != nil || !bytes.Equal(kept, before) {
					t.Fatalf("set-aside %s: %v, same bytes %v", rep.SetAside, err, bytes.Equal(kept, before))
				}
				if fi, _ := os.Stat(rep.SetAside); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
					t.Errorf("set-aside mode %v, want 0600", fi.Mode().Perm())
				}
				if !strings.HasPrefix(filepath.Base(rep.SetAside), "outbox.db.damaged-") {
					t.Errorf("set-aside name %s", rep.SetAside)
				}
			}
			items, err := ob.List(t.Context(), ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.recover && (rep.Recovered == 0 || len(items) == 0) {
				t.Errorf("recovered %d rows, %d items; want some of the 60", rep.Recovered, len(items))
			}
			if len(items) > 60 {
				t.Errorf("%d items after repair, want at most 60", len(items))
			}
			// The new outbox works and reopens without complaint.
			mustEnqueue(t, ob, call(99))
			ob.Close()
			ob2, err := Open(t.Context(), path, nil)
			if err != nil {
				t.Fatalf("reopen repaired outbox: %v", err)
			}
			ob2.Close()
		})
	}
}

// A zero-byte file with no marker is a first creation cut short, not a
// lost outbox: it opens as a new one.
func TestOpenEmptyNewOutbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	if err := sqlitefile.Create(path); err != nil {
		t.Fatal(err)
	}
	o, err := Open(t.Context(), path, nil)
	if err != nil {
		t.Fatalf("Open(new empty file) = %v", err)
	}
	o.Close()
	if _, err := os.Stat(path + ".created"); err != nil {
		t.Errorf("no created marker: %v", err)
	}
}

// The repair keeps every item SQLite can still read, with its id, state
// and history: here only the file's first bytes were overwritten.
func TestOpenRepairRecoversItems(t *testing.T) {
	path := filledOutbox(t, 5)
	o, err := Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := o.List(t.Context(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("scribbled header"), 0)
	f.Close()

	ob, rep, err := OpenRepair(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	got, err := ob.List(t.Context(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || rep.Recovered == 0 {
		t.Fatalf("recovered %d items (%d rows), want %d", len(got), rep.Recovered, len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].EventID != want[i].EventID || got[i].State != want[i].State {
			t.Errorf("item %d = %d %s %s, want %d %s %s", i, got[i].ID, got[i].EventID, got[i].State,
				want[i].ID, want[i].EventID, want[i].State)
		}
	}
	c, _ := ob.Counts(t.Context())
	if c[StatePending] != 2 {
		t.Errorf("pending after repair = %d, want 2", c[StatePending])
	}
	// New items never reuse a recovered id.
	if it := mustEnqueue(t, ob, call(42)); it.ID <= want[0].ID {
		t.Errorf("new item id %d, want above %d", it.ID, want[0].ID)
	}
	t.Logf("%s", rep)
}
