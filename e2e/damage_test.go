//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/e2e/trayctl"
)

// The damage cases of TestDamagedFiles: what happens to a closed file.
var damages = []struct {
	name string
	do   func(t *testing.T, path string)
}{
	{"zero-byte", func(t *testing.T, path string) {
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
	}},
	{"truncated", func(t *testing.T, path string) {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, max(4096, fi.Size()/2/4096*4096)); err != nil {
			t.Fatal(err)
		}
	}},
	{"scribbled", scribblePage},
}

// scribblePage overwrites one page in the middle of the SQLite file at
// path with random bytes, choosing a page whose damage SQLite's integrity
// check sees (a free page would go unnoticed, and rightly so).
func scribblePage(t *testing.T, path string) {
	t.Helper()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := len(orig) / 4096
	r := rand.New(rand.NewPCG(12, uint64(len(orig))))
	for try := 0; try < pages; try++ {
		p := 1 + (pages/2+try)%(pages-1) // never page 1: that is "not a database", covered elsewhere
		b := append([]byte(nil), orig...)
		for i := p * 4096; i < (p+1)*4096; i++ {
			b[i] = byte(r.Uint32())
		}
		probe := filepath.Join(t.TempDir(), "probe.db")
		if err := os.WriteFile(probe, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if !sqliteSound(probe) {
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no page of %s (%d pages) shows damage when scribbled", path, pages)
}

// sqliteSound says whether quick_check finds nothing wrong with path.
func sqliteSound(path string) bool {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return false
	}
	defer db.Close()
	var s string
	return db.QueryRow("PRAGMA quick_check").Scan(&s) == nil && s == "ok"
}

// TestDamagedFiles damages each of the three files of a data folder that
// holds five logged calls not yet in Clio, in each way, and checks what
// the attorney is told and what survives:
//   - the command line names the file and what to do, exits non-zero
//     (where it reads the file), and changes nothing;
//   - the tray app starts all the same, sets the damaged file aside with
//     its bytes, and says so in the tray menu and in `status`;
//   - nothing committed is lost: the five calls reach Clio;
//   - the app records new calls.
func TestDamagedFiles(t *testing.T) {
	for _, file := range []struct {
		name, what string
		cli        []string // a command that reads the file; nil: none must fail
	}{
		{"outbox.db", "outbox", []string{"queue", "list"}},
		{"calls.db", "call ledger", []string{"calls", "--json"}},
		{"directory.db", "directory", nil},
	} {
		for _, dmg := range damages {
			t.Run(file.name+"/"+dmg.name, func(t *testing.T) {
				f, ts := startEmulator(t, fake.Options{})
				e := newEnv(t, "CALLDOCKET_CLIO_URL="+ts.URL, "CALLDOCKET_CLIO_TOKEN=e2e-token", "CALLDOCKET_LOG=info")
				e.mustRun("sync")
				for i := range 5 {
					e.mustRun("log", "--number", fmt.Sprintf("+1212555%04d", 100+i), "--duration", "3m", "--billable",
						"--note", fmt.Sprintf("before the damage %d", i))
				}
				path := filepath.Join(e.home, file.name)
				dmg.do(t, path)
				damaged, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}

				wantMsg := "the " + file.what + " file " + path + " is damaged ("
				if file.cli != nil {
					out, errs, code := e.run(file.cli...)
					if code == 0 || !strings.Contains(errs, wantMsg) || !strings.Contains(errs, "start CallDocket") {
						t.Errorf("calldocket %s on a %s %s: exit %d\nstdout: %s\nstderr: %s\nwant exit 1 and %q",
							strings.Join(file.cli, " "), dmg.name, file.name, code, out, errs, wantMsg)
					}
					if now, _ := os.ReadFile(path); !bytes.Equal(now, damaged) {
						t.Fatalf("the command line changed the damaged %s", file.name)
					}
				} else if dmg.name == "zero-byte" {
					// The directory is a cache: the command line logs all the same and says why nobody is looked up.
					out, errs, code := e.run("log", "--number", "+12125559999", "--duration", "1m", "--note", "during the damage")
					if code != 0 || !strings.Contains(errs, wantMsg) {
						t.Errorf("log with a zero-byte directory: exit %d\nstdout: %s\nstderr: %s\nwant exit 0 and %q", code, out, errs, wantMsg)
					}
				}
				committed := 5
				if file.cli == nil && dmg.name == "zero-byte" {
					committed = 6
				}

				ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
				defer cancel()
				w, err := trayctl.StartWatcher(ctx)
				if err != nil {
					t.Fatalf("start StatusNotifierWatcher: %v", err)
				}
				defer w.Close()
				e.start()
				e.waitRunning()

				// Status names the damaged file and where it was kept.
				var st struct {
					Damaged []string `json:"damaged_files"`
				}
				e.statusJSON(&st)
				if len(st.Damaged) != 1 || !strings.Contains(st.Damaged[0], "the "+file.what+" file "+path+" was damaged") {
					t.Fatalf("status damaged_files = %q, want the %s named", st.Damaged, file.name)
				}
				kept, _ := filepath.Glob(path + ".damaged-*")
				kept = dropSidecars(kept)
				if len(kept) != 1 || !strings.Contains(st.Damaged[0], kept[0]) {
					t.Fatalf("set-aside copies %q, status %q: want one, named", kept, st.Damaged)
				}
				if b, err := os.ReadFile(kept[0]); err != nil || !bytes.Equal(b, damaged) {
					t.Errorf("set-aside %s: %v; same bytes as the damaged file: %v", kept[0], err, bytes.Equal(b, damaged))
				}
				if fi, err := os.Stat(kept[0]); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("set-aside %s mode %v (%v), want 0600", kept[0], fi.Mode().Perm(), err)
				}
				out, _, _ := e.run("status")
				if !strings.Contains(out, "Damaged file: the "+file.what+" file") {
					t.Errorf("status does not name the damaged file:\n%s", out)
				}

				// The tray says so.
				item, err := w.WaitItem(ctx)
				if err != nil {
					t.Fatalf("tray item never registered: %v", err)
				}
				if _, err := item.WaitLabel(ctx, func(l string) bool { return strings.HasPrefix(l, "Damaged "+file.what+" set aside") }); err != nil {
					t.Errorf("tray: %v", err)
				}

				// Nothing committed is lost: every logged call reaches Clio.
				waitFor(t, fmt.Sprintf("the %d logged calls to reach Clio", committed), 60*time.Second, func() bool {
					return len(f.Communications()) >= committed
				})
				if n := len(f.Communications()); n != committed {
					t.Errorf("Clio has %d communications, want %d", n, committed)
				}

				// The app records new calls.
				e.mustRun("event", "ringing", "--number", "+12125550177", "--id", "after-damage")
				e.mustRun("event", "ended", "--id", "after-damage")
				waitFor(t, "the new call in the ledger", 15*time.Second, func() bool { return e.call("+12125550177").ID != 0 })
				if file.what == "directory" {
					waitFor(t, "the directory to be rebuilt from Clio", 60*time.Second, func() bool { return e.status().Directory })
				}
			})
		}
	}
}

// waitRunning waits for the tray app to answer `status`; until it is up,
// `status` reads the files itself and may fail on the damaged one.
func (e *env) waitRunning() {
	e.t.Helper()
	waitFor(e.t, "the app to start", 30*time.Second, func() bool {
		out, _, code := e.run("status", "--json")
		var st struct{ Running bool }
		return code == 0 && json.Unmarshal([]byte(out), &st) == nil && st.Running
	})
}

// dropSidecars keeps the set-aside database files, not their -wal/-shm.
func dropSidecars(paths []string) []string {
	var out []string
	for _, p := range paths {
		if !strings.HasSuffix(p, "-wal") && !strings.HasSuffix(p, "-shm") {
			out = append(out, p)
		}
	}
	return out
}

// statusJSON decodes `calldocket status --json` into out.
func (e *env) statusJSON(out any) {
	e.t.Helper()
	if err := json.Unmarshal([]byte(e.mustRun("status", "--json")), out); err != nil {
		e.t.Fatalf("status --json: %v", err)
	}
}

// TestFullDisk puts the data folder on a small tmpfs and fills it: the
// command line says "the disk is full (PATH)", never "disk I/O error";
// every call committed before is still there once space is freed and
// reaches Clio; and the app records new calls. The test needs to mount a
// tmpfs (root, or a user namespace where mounting is allowed): it fails,
// never skips, where it cannot, so CI always runs it.
func TestFullDisk(t *testing.T) {
	f, ts := startEmulator(t, fake.Options{})
	home := mountTmpfs(t, "4m")
	e := newEnv(t, "CALLDOCKET_CLIO_URL="+ts.URL, "CALLDOCKET_CLIO_TOKEN=e2e-token", "CALLDOCKET_LOG=info")
	e.vars = append(filterEnv(e.vars, "CALLDOCKET_HOME"), "CALLDOCKET_HOME="+home)
	e.home = home
	if err := os.WriteFile(filepath.Join(home, "config.json"), []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		e.mustRun("log", "--number", fmt.Sprintf("+1212555%04d", 300+i), "--duration", "2m", "--note", "before the disk filled")
	}

	filler := fillDisk(t, home)
	out, errs, code := e.run("log", "--number", "+12125550399", "--duration", "2m", "--note", "on a full disk")
	if code == 0 || !strings.Contains(errs, "the disk is full ("+home) || strings.Contains(errs, "disk I/O error") {
		t.Errorf("log on a full disk: exit %d\nstdout: %s\nstderr: %s\nwant exit 1 and \"the disk is full (%s…)\"", code, out, errs, home)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}

	// Everything committed before the disk filled is there.
	var queued int
	for _, c := range e.calls() {
		if c.Note == "before the disk filled" {
			queued++
		}
		if c.Note == "on a full disk" {
			t.Errorf("a call logged on the full disk was recorded: %+v", c)
		}
	}
	if queued != 3 {
		t.Fatalf("after the disk filled %d of the 3 calls are in the ledger", queued)
	}

	// The app starts on the freed disk, delivers them and records new calls;
	// a disk that fills while it runs is named the same way.
	e.start()
	e.waitRunning()
	waitFor(t, "the 3 calls to reach Clio", 60*time.Second, func() bool { return len(f.Communications()) >= 3 })
	filler = fillDisk(t, home)
	out, errs, code = e.run("log", "--number", "+12125550398", "--duration", "2m")
	if code == 0 || !strings.Contains(errs, "the disk is full (") || strings.Contains(errs, "disk I/O error") {
		t.Errorf("log on a full disk with the app running: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	os.Remove(filler)
	if n := len(f.Communications()); n != 3 {
		t.Errorf("Clio has %d communications, want the 3 logged before the disk filled", n)
	}
	e.mustRun("event", "ringing", "--number", "+12125550188", "--id", "after-full")
	e.mustRun("event", "ended", "--id", "after-full")
	waitFor(t, "the new call in the ledger", 15*time.Second, func() bool { return e.call("+12125550188").ID != 0 })
}

// mountTmpfs mounts a tmpfs of size at a new folder until the test ends.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "calldocket-full-")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("mount a %s tmpfs at %s: %v: %s\nthis test must run as root (CI does): it does not skip", size, dir, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			exec.Command("umount", "-l", dir).Run()
			t.Logf("umount %s: %v %s", dir, err, out)
		}
		os.Remove(dir)
	})
	return dir
}

// fillDisk writes a file until the disk of dir is full to the last byte
// and returns its path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	buf := make([]byte, 64<<10)
	for _, n := range []int{64 << 10, 4096, 1} {
		for {
			if _, err := fh.Write(buf[:n]); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatalf("fill the disk: %v", err)
				}
				break
			}
		}
	}
	return path
}
