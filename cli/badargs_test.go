package cli

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// testHome makes a temporary CALLDOCKET_HOME with no running app, no Clio
// account and no desktop (so nothing can start the tray app), and a call
// already logged, so that the ledger and the outbox exist and hold rows.
func testHome(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("CALLDOCKET_HOME", dir)
	t.Setenv("CALLDOCKET_CLIO_URL", "")
	t.Setenv("CALLDOCKET_CLIO_TOKEN", "")
	t.Setenv("CALLDOCKET_LOG", "error")
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	// Never start anything: a command line that got through would start
	// the test binary as the tray app.
	startApp = func(context.Context) error { return errors.New("not in tests") }
	t.Cleanup(func() { startApp = startTray })
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err := Run(t.Context(), []string{"log", "--number", "+12125550123", "--duration", "4:12", "--billable"}, &out, &errb, "test")
	if err != nil {
		t.Fatalf("log a first call: %v (%s)", err, errb.String())
	}
	return dir
}

// runCLI runs a command line as the program would: Run, then Exit. A
// panic is caught and reported as panicked.
func runCLI(t *testing.T, args []string) (code int, stdout, stderr string, panicked bool) {
	var out, errb bytes.Buffer
	func() {
		defer func() {
			if r := recover(); r != nil {
				panicked = true
				fmt.Fprintf(&errb, "panic: %v", r)
			}
		}()
		code = Exit(&errb, Run(t.Context(), args, &out, &errb, "test"))
	}()
	return code, out.String(), errb.String(), panicked
}

// snapshot is what a command could have stored: the rows of every table
// of the ledger and the outbox, the settings file, and the files there.
func snapshot(t *testing.T, home string) string {
	t.Helper()
	var b strings.Builder
	for _, db := range []string{"calls.db", "outbox.db", "directory.db"} {
		path := filepath.Join(home, "sandbox", db)
		conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := conn.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
		if err != nil {
			t.Fatalf("%s: %v", db, err)
		}
		var tables []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			tables = append(tables, n)
		}
		rows.Close()
		for _, tb := range tables {
			var n int
			if err := conn.QueryRow(`SELECT count(*) FROM "` + tb + `"`).Scan(&n); err != nil {
				t.Fatalf("%s %s: %v", db, tb, err)
			}
			fmt.Fprintf(&b, "%s %s %d\n", db, tb, n)
		}
		conn.Close()
	}
	cfg, err := os.ReadFile(filepath.Join(home, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "config.json %q\n", cfg)
	var files []string
	filepath.WalkDir(home, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, "-wal") && !strings.HasSuffix(path, "-shm") {
			rel, _ := filepath.Rel(home, path)
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	fmt.Fprintf(&b, "files %v\n", files)
	return b.String()
}

// badCommandLines are command lines that must each exit 2 with a
// one-line message and store nothing.
func badCommandLines() [][]string {
	huge := strings.Repeat("9", 120000)
	long := strings.Repeat("x", 5000)
	tooOld := time.Now().AddDate(-2, 0, 0).UTC().Format(time.RFC3339)
	tooNew := time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339)
	num := "+12125550123"
	logN := func(extra ...string) []string {
		return append([]string{"log", "--number", num, "--duration", "4:12"}, extra...)
	}
	logD := func(d string) []string { return []string{"log", "--number", num, "--duration", d} }
	ev := func(extra ...string) []string { return append([]string{"event", "ringing"}, extra...) }
	return [][]string{
		// Commands and the bare argument.
		{"frobnicate"}, {"Log"}, {"--json"}, {"-x"}, {""}, {" "}, {"help", "me"}, {"--help", "log"},
		{"version", "extra"}, {"version", "--json"}, {"--version", "x"}, {"--sandbox", "extra"}, {"--sandbox", "--json"},
		{"sip:@pbx"}, {"sip:"}, {"tel:"}, {"callto:"}, {"sip:alice@example.com"}, {"tel:abc"}, {`"Jane" <sip:@pbx>`},
		{"sip:%zz@pbx"}, {"sip:+12125550123@pbx", "extra"}, {num, "extra"}, {"1" + huge}, {"1234567890123456"},
		{"calldocket://call?number=abc"}, {"calldocket://call?number=%20%20"}, {"calldocket://bogus"},
		{"calldocket://call?number=%2B12125550123", "extra"}, {"calldocket://call?number=%2B12125550123&state=exploded"},
		{"calldocket://call?number=" + huge},
		// event
		{"event"}, ev(), ev("--number", "abc"), ev("--number", "   "), ev("--number", huge), ev("--number", "1+2"),
		ev("--number", num, "--direction", "sideways"), {"event", "exploded", "--number", num},
		{"event", "ringing", "extra", "--number", num}, ev("--bogus"), ev("--number"),
		ev("--number", num, "--text", "hi"), ev("--number", num, "--name", "Jane\x07Doe"),
		ev("--number", num, "--name", long), ev("--number", num, "--id", long),
		{"event", "sms", "--number", num}, {"event", "sms", "--number", "abc", "--text", "hi"},
		{"event", "sms", "--number", "anonymous", "--text", "hi"}, {"event", "sms", "--number", num, "--text", "bad\x07bell"},
		// log: the number
		{"log", "--duration", "10"}, {"log", "--number", "abc", "--duration", "10"},
		{"log", "--number", "   ", "--duration", "10"}, {"log", "--number", huge, "--duration", "10"},
		{"log", "--number", "1234567890123456", "--duration", "10"}, {"log", "--number", "anonymous", "--duration", "10"},
		{"log", "--number", "sip:alice@example.com", "--duration", "10"}, {"log", "--number"},
		// log: the duration
		{"log", "--number", num}, logD("99999999999"), logD("2562047h"), logD("2562048h"), logD("1:99"), logD("1:60:00"),
		logD("-5"), logD("-5s"), logD("ten"), logD("ten minutes"), logD("25h"), logD("86401"), logD("24:00:01"),
		logD("1:2:3:4"), logD(""), logD("4:xx"), logD("1e3"), logD("9223372036854775807"), logD("99999999999999999999999"),
		logD("::"), logD("+5"), logD("4:+5"), logD("1.5"), logD("0x10"), logD("4m-12s"),
		// log: the rest
		logN("--at", "0000-01-01T00:00:00Z"), logN("--at", "9999-12-31T23:59:59Z"), logN("--at", "yesterday"),
		logN("--at", tooOld), logN("--at", tooNew), logN("--matter", "-7"), logN("--contact", "-1"),
		logN("--matter", "abc"), logN("--matter", "99999999999999999999"), logN("--billable", "--non-billable"),
		logN("--direction", "sideways"), logN("extra"), logN("--note", long), logN("--name", "a\x1bb"), logN("--bogus"),
		// calls
		{"calls", "bogus"}, {"calls", "decide", "abc", "--billable"}, {"calls", "decide", "0", "--billable"},
		{"calls", "decide", "-1", "--billable"}, {"calls", "decide", "1"}, {"calls", "decide", "1", "--billable", "--non-billable"},
		{"calls", "decide", "1", "--billable", "--matter", "-7"}, {"calls", "decide", "1", "--billable", "--duration", "1:99"},
		{"calls", "decide", "1", "--billable", "--duration", "99999999999"}, {"calls", "decide", "1", "--billable", "--note", long},
		{"calls", "decide", "99999", "--billable"}, {"calls", "decide", "1", "--billable"}, {"calls", "later"},
		{"calls", "later", "1", "--billable"}, {"calls", "discard", "abc"}, {"calls", "undo", "1", "2"},
		{"calls", "--since", "yesterday"}, {"calls", "--since", "99999999999999d"}, {"calls", "--since", "-5h"},
		{"calls", "--since", "9999999h"}, {"calls", "list", "extra"}, {"calls", "--bogus"},
		// settings
		{"settings", "bogus"}, {"settings", "show", "extra"}, {"settings", "keys", "extra"}, {"settings", "set"},
		{"settings", "set", "increment_minutes"}, {"settings", "set", "increment_minutes", "-6"},
		{"settings", "set", "min_digits", "-5"}, {"settings", "set", "default_region", "ZZ"},
		{"settings", "set", "no_such_key", "1"}, {"settings", "set", "signed_in", "true"},
		{"settings", "set", "pop_timing", "later"}, {"settings", "set", "increment_minutes", "six"},
		{"settings", "set", "a", "b", "c"}, {"settings", "set", "time_zone", "Mars/Olympus"},
		{"settings", "set", "sip.transport", "ws"}, {"settings", "set", "ami.addr", "127.0.0.1:99999"},
		{"settings", "set", "firm_numbers", "abc"}, {"settings", "set", "min_digits", "0"}, {"settings", "set", "default_region", huge}, {"settings", "--bogus"},
		// queue, flush, status
		{"queue", "bogus"}, {"queue", "retry"}, {"queue", "retry", "abc"}, {"queue", "retry", "0"}, {"queue", "discard", "-1"},
		{"queue", "retry", "1", "2"}, {"queue", "list", "extra"}, {"queue", "retry", "99999"}, {"queue", "discard", "99999"},
		{"queue", "retry", "1", "--json"}, {"queue", "--bogus"},
		{"flush", "extra"}, {"flush", "--bogus"}, {"status", "extra"}, {"status", "--bogus"}, {"status", "--json=maybe"},
		// lookup, sync
		{"lookup"}, {"lookup", "abc"}, {"lookup", num, "2"}, {"lookup", "   "}, {"lookup", "--bogus", num}, {"lookup", huge},
		{"sync", "extra"}, {"sync", "--bogus"}, {"sync", "--full=maybe"},
		// monitor
		{"monitor", "extra"}, {"monitor", "--bogus"},
		{"monitor", "--ami", "127.0.0.1:99999", "--ami-user", "u", "--extension", "201"},
		{"monitor", "--ami", "127.0.0.1:0", "--ami-user", "u", "--extension", "201"},
		{"monitor", "--ami", "nohost", "--ami-user", "u", "--extension", "201"},
		{"monitor", "--ami", ":5038", "--ami-user", "u", "--extension", "201"},
		{"monitor", "--ami", "127.0.0.1:5038", "--extension", "201"}, {"monitor", "--extension", "201"},
		{"monitor", "--sip-server", "127.0.0.1:99999", "--sip-aor", "sip:201@pbx"},
		{"monitor", "--sip-server", "pbx", "--sip-aor", "sip:201@pbx"}, {"monitor", "--sip-server", "127.0.0.1:5060"},
		{"monitor", "--sip-server", "127.0.0.1:5060", "--sip-aor", "sip:201@pbx", "--sip-transport", "ws"},
		{"monitor", "--sip-aor", "sip:201@pbx"}, {"monitor", "--all=maybe"},
		// login, logout
		{"login", "extra"}, {"login", "--region", "xx"}, {"login", "--port", "99999"}, {"login", "--port", "-1"},
		{"login", "--port", "0"}, {"login", "--bogus"}, {"logout", "extra"}, {"logout", "--bogus"},
	}
}

// TestBadCommandLines: every bad command line exits 2 with a one-line
// message that is not cut, never panics, prints nothing on stdout and
// stores nothing.
func TestBadCommandLines(t *testing.T) {
	home := testHome(t)
	before := snapshot(t, home)
	lines := badCommandLines()
	if len(lines) < 100 {
		t.Fatalf("only %d bad command lines, want at least 100", len(lines))
	}
	panics := 0
	for _, args := range lines {
		name := strings.Join(args, " ")
		if len(name) > 60 {
			name = name[:60]
		}
		code, stdout, stderr, panicked := runCLI(t, args)
		if panicked {
			panics++
		}
		msgs := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		switch {
		case code != ExitUsage:
			t.Errorf("calldocket %q: exit %d, want 2 (stderr %q)", name, code, stderr)
		case stdout != "":
			t.Errorf("calldocket %q: stdout %q, want nothing", name, stdout)
		case !strings.HasPrefix(msgs[0], "calldocket: ") || len(msgs) > 2 ||
			(len(msgs) == 2 && msgs[1] != "Run 'calldocket help' for usage."):
			t.Errorf("calldocket %q: stderr %q, want one line \"calldocket: …\" (and the pointer to help)", name, stderr)
		case len(msgs[0]) > 300:
			t.Errorf("calldocket %q: message of %d bytes, want a short line: %.300s", name, len(msgs[0]), msgs[0])
		case strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") || strings.Contains(stderr, "runtime error"):
			t.Errorf("calldocket %q: stderr %q looks like a crash", name, stderr)
		}
	}
	if panics != 0 {
		t.Errorf("%d panics over %d bad command lines, want 0", panics, len(lines))
	}
	if after := snapshot(t, home); after != before {
		t.Errorf("bad command lines changed what is stored:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	t.Logf("%d bad command lines: all exit 2, %d panics, nothing stored", len(lines), panics)
}

// TestExitDoesNotCut: the message printed is the whole error text, on one
// line, however long it is.
func TestExitDoesNotCut(t *testing.T) {
	msg := "open outbox: unable to open database file: no password configured for this account"
	var b strings.Builder
	Exit(&b, fmt.Errorf("%s\n(second line)", msg))
	if got := b.String(); got != "calldocket: "+msg+" (second line)\n" {
		t.Errorf("Exit printed %q, want the whole message on one line", got)
	}
}
