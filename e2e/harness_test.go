//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	binFlag         = flag.String("bin", "", "path to the calldocket binary (default: build one)")
	screenshotsFlag = flag.String("screenshots", "", "folder to save screenshots in (default: none)")
)

var bin string

func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv("DISPLAY") == "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		fmt.Fprintln(os.Stderr, "e2e: run under Xvfb and a D-Bus session: xvfb-run -a dbus-run-session -- go test -tags e2e ./e2e/")
		os.Exit(1)
	}
	bin = *binFlag
	if bin == "" {
		dir, err := os.MkdirTemp("", "calldocket-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		bin = filepath.Join(dir, "calldocket")
		build := exec.Command("go", "build", "-o", bin, "..")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: build:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// env is one isolated CallDocket user: its own CALLDOCKET_HOME.
type env struct {
	t    testing.TB
	home string
	vars []string
}

func newEnv(t testing.TB, extra ...string) *env {
	t.Helper()
	home := t.TempDir()
	vars := append(os.Environ(), "CALLDOCKET_HOME="+home, "CALLDOCKET_LOG=debug")
	// Never let a developer's real Clio settings leak into a test.
	vars = filterEnv(vars, "CALLDOCKET_CLIO_URL", "CALLDOCKET_CLIO_TOKEN")
	vars = append(vars, extra...)
	// Settings exist: not a first run (TestFirstRun covers the welcome).
	if err := os.WriteFile(filepath.Join(home, "config.json"), []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, home: home, vars: vars}
}

// newFirstRunEnv is a user who never started CallDocket.
func newFirstRunEnv(t testing.TB, extra ...string) *env {
	e := newEnv(t, extra...)
	if err := os.Remove(filepath.Join(e.home, "config.json")); err != nil {
		t.Fatal(err)
	}
	return e
}

func filterEnv(vars []string, drop ...string) []string {
	out := vars[:0:0]
outer:
	for _, v := range vars {
		for _, d := range drop {
			if strings.HasPrefix(v, d+"=") {
				continue outer
			}
		}
		out = append(out, v)
	}
	return out
}

// run runs a CLI command to completion and returns stdout, stderr and the exit code.
func (e *env) run(args ...string) (string, string, int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = e.vars
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// mustRun runs a command that must succeed.
func (e *env) mustRun(args ...string) string {
	e.t.Helper()
	out, errs, code := e.run(args...)
	if code != 0 {
		e.t.Fatalf("calldocket %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// start starts the tray app in the background; it is stopped at cleanup.
func (e *env) start(args ...string) *exec.Cmd {
	e.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = e.vars
	logf, err := os.Create(filepath.Join(e.t.TempDir(), "app.log"))
	if err != nil {
		e.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		e.t.Fatalf("start app: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	e.t.Cleanup(func() {
		select {
		case <-done:
		default:
			cmd.Process.Signal(os.Interrupt)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		}
		logf.Close()
		if e.t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			e.t.Logf("app log:\n%s", b)
		}
	})
	return cmd
}

// status is the part of `calldocket status --json` the tests read.
type status struct {
	Running     bool           `json:"running"`
	Mode        string         `json:"mode"`
	User        string         `json:"user"`
	Waiting     int            `json:"waiting"`
	Queue       map[string]int `json:"queue"`
	ActiveCalls []struct {
		ID     string `json:"id"`
		Number string `json:"number"`
		Phase  string `json:"phase"`
	} `json:"active_calls"`
	Directory  bool     `json:"directory_ready"`
	Online     bool     `json:"online"`
	SignIn     bool     `json:"sign_in_needed"`
	PhoneDown  []string `json:"phone_link_down"`
	Deciding   int      `json:"waiting_for_decision"`
	Delivering int      `json:"waiting_for_delivery"`
	// SettingsProblem names values of config.json refused at start.
	SettingsProblem string `json:"settings_problem"`
}

func (e *env) status() status {
	e.t.Helper()
	var st status
	out := e.mustRun("status", "--json")
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		e.t.Fatalf("status --json: %v in %q", err, out)
	}
	return st
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sandboxAPI reads the running sandbox emulator's address and token.
func (e *env) sandboxAPI() (string, string) {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join(e.home, "sandbox", "endpoint.json"))
	if err != nil {
		e.t.Fatalf("sandbox endpoint: %v", err)
	}
	var ep struct{ URL, Token string }
	if err := json.Unmarshal(b, &ep); err != nil {
		e.t.Fatal(err)
	}
	return ep.URL, ep.Token
}

// getJSON GETs a Clio API path and decodes {"data": …}.
func getJSON(t testing.TB, base, token, path string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-API-VERSION", "4.0.13")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	var env struct{ Data json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// xdotool runs xdotool and returns its trimmed output.
func xdotool(args ...string) (string, error) {
	out, err := exec.Command("xdotool", args...).Output()
	return strings.TrimSpace(string(out)), err
}

// findWindow returns the id of a visible window whose title contains name.
func findWindow(name string) string {
	out, err := xdotool("search", "--onlyvisible", "--name", name)
	if err != nil || out == "" {
		return ""
	}
	return strings.Fields(out)[0]
}

// findPop returns the visible screen-pop window: titled after the caller,
// "… — CallDocket", unlike the review, settings and welcome windows.
func findPop() string {
	out, err := xdotool("search", "--onlyvisible", "--name", "CallDocket")
	if err != nil {
		return ""
	}
	for _, id := range strings.Fields(out) {
		title := windowTitle(id)
		if strings.HasPrefix(title, "Review calls") || strings.HasPrefix(title, "Settings") || strings.HasPrefix(title, "Welcome") {
			continue
		}
		return id
	}
	return ""
}

func windowTitle(id string) string {
	out, _ := xdotool("getwindowname", id)
	return out
}

// screenshot saves the window (or the whole screen for id "root") if -screenshots is set.
func screenshot(t testing.TB, id, name string) {
	t.Helper()
	if *screenshotsFlag == "" {
		return
	}
	target := "root"
	if id != "root" {
		target = id
	}
	out := filepath.Join(*screenshotsFlag, name)
	if b, err := exec.Command("import", "-window", target, out).CombinedOutput(); err != nil {
		t.Errorf("screenshot %s: %v: %s", name, err, b)
		return
	}
	t.Logf("saved %s", out)
}

// settle raises a window and gives it time to paint (Xvfb keeps no backing
// store, so a region another window just left is blank until redrawn).
func settle(id string) {
	xdotool("windowraise", id)
	// Nudge the size by one pixel and back: the window repaints all of itself.
	var w, h int
	if out, err := xdotool("getwindowgeometry", "--shell", id); err == nil {
		for _, line := range strings.Fields(out) {
			if v, ok := strings.CutPrefix(line, "WIDTH="); ok {
				w, _ = strconv.Atoi(v)
			}
			if v, ok := strings.CutPrefix(line, "HEIGHT="); ok {
				h, _ = strconv.Atoi(v)
			}
		}
	}
	if w > 1 && h > 1 {
		xdotool("windowsize", id, strconv.Itoa(w+1), strconv.Itoa(h))
		time.Sleep(300 * time.Millisecond)
		xdotool("windowsize", id, strconv.Itoa(w), strconv.Itoa(h))
	}
	time.Sleep(900 * time.Millisecond)
}

// dismissPop presses Esc on the pop until it hides: an Esc that lands before
// a hung-up call's card turned into its missed-call card does nothing.
func dismissPop(t testing.TB, win string) {
	t.Helper()
	for start := time.Now(); findPop() != ""; {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("the pop did not hide")
		}
		xdotool("windowfocus", "--sync", win)
		xdotool("key", "--window", win, "Escape")
		time.Sleep(150 * time.Millisecond)
	}
}
