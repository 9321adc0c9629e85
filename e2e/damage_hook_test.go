//go:build e2e

package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHookWithDamagedFileStartsApp: a softphone's hook rings while the app
// is down and the ledger or the outbox is damaged. The command line cannot
// record the call, so it starts the app, which sets the file aside, and
// hands it the call: the ring is not lost.
func TestHookWithDamagedFileStartsApp(t *testing.T) {
	for i, file := range []string{"calls.db", "outbox.db"} {
		t.Run(file, func(t *testing.T) {
			e := newEnv(t)
			t.Cleanup(func() { stopStarted(e) })
			e.mustRun("log", "--number", "+12125550140", "--duration", "2m", "--note", "before the damage")
			path := filepath.Join(e.home, "sandbox", file) // Sandbox mode keeps its files apart
			damages[0].do(t, path)                         // zero-byte: the worst case, once silently a new file

			n := fmt.Sprintf("+1907555016%d", i)
			out, errs, code := e.run("event", "ringing", "--number", n, "--id", "hook-"+file)
			if code != 0 || !strings.Contains(out, "the call went to it") {
				t.Fatalf("event with a damaged %s: exit %d\nstdout: %s\nstderr: %s\nwant exit 0, the call handed to the started app",
					file, code, out, errs)
			}
			waitFor(t, "the app the hook started", 30*time.Second, func() bool { return e.status().Running })
			if c := e.call(n); c.ID == 0 {
				t.Errorf("the ringing call is not in the ledger: %+v", e.calls())
			}
			kept, _ := filepath.Glob(path + ".damaged-*")
			if len(dropSidecars(kept)) != 1 {
				t.Errorf("set-aside copies of %s = %q, want one", file, kept)
			}
			e.mustRun("event", "ended", "--id", "hook-"+file)
			waitFor(t, "the call to end as missed", 10*time.Second, func() bool { return e.call(n).Kind == "missed" })
		})
	}
}
