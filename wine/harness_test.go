//go:build wine

package wine

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

var (
	exeFlag         = flag.String("exe", "", "the cross-built calldocket.exe (make windows)")
	msiFlag         = flag.String("msi", "", "the MSI (make msi); TestMSIInstallUninstall fails without it")
	screenshotsFlag = flag.String("screenshots", "", "folder to save screenshots in (default: none)")
	goldenFlag      = flag.String("golden", "../docs/screenshots", "folder of the reviewed screenshots to compare with")
)

// winUser is the Windows user of every prefix: a space and a non-ASCII
// letter, so paths under C:\users\… are exercised the hard way. Wine takes
// the profile's name from $USER when it creates the prefix (WINEUSERNAME
// only renames the variable afterwards).
const winUser = "Zoë Dupont"

// waitDelay bounds how long a finished wine command's output is read:
// Wine's own daemons (wineserver, services.exe) and programs a command
// starts may inherit its pipes and keep them open for good.
const waitDelay = 5 * time.Second

var (
	exe      string
	shim     string // bcryptprimitives.dll, built from shim/ (see there)
	template string // a booted prefix every test copies (wineboot takes ~12 s, a copy ~4 s)
)

func TestMain(m *testing.M) {
	flag.Parse()
	for _, tool := range []string{"wine", "wineserver", "x86_64-w64-mingw32-gcc", "script"} {
		if _, err := exec.LookPath(tool); err != nil {
			fmt.Fprintf(os.Stderr, "wine tests: %s is not installed (scripts/deps.sh windows installs it): %v\n", tool, err)
			os.Exit(1)
		}
	}
	if *exeFlag == "" {
		fmt.Fprintln(os.Stderr, "wine tests: -exe is required: run `make test-windows`")
		os.Exit(1)
	}
	abs, err := filepath.Abs(*exeFlag)
	if err == nil {
		_, err = os.Stat(abs)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "wine tests: %v\n", err)
		os.Exit(1)
	}
	exe = abs
	dir, err := os.MkdirTemp("", "calldocket-wine-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shim = filepath.Join(dir, "bcryptprimitives.dll")
	cc := exec.Command("x86_64-w64-mingw32-gcc", "-O2", "-shared", "-s", "-o", shim,
		filepath.Join("shim", "bcryptprimitives.c"), "-ladvapi32")
	if out, err := cc.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "wine tests: build the bcryptprimitives.dll shim: %v\n%s", err, out)
		os.Exit(1)
	}
	start := time.Now()
	if template, err = bootTemplate(dir); err != nil {
		fmt.Fprintf(os.Stderr, "wine tests: %v\n", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "wine tests: booted the template prefix in %s\n", time.Since(start).Round(time.Millisecond))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// wineEnv is the environment of Wine programs in prefix dir, with home as
// the Unix HOME (so Wine links nothing into the real one).
func wineEnv(dir, home string) []string {
	vars := filterEnv(os.Environ(), "WINEPREFIX", "WINEDEBUG", "WINEARCH", "WINEDLLOVERRIDES", "WINEUSERNAME",
		"USER", "LOGNAME", "HOME", "CALLDOCKET_", "BROWSER")
	return append(vars,
		"WINEPREFIX="+dir,
		"WINEDEBUG=-all",
		"USER="+winUser,
		"HOME="+home,
		// No Mono or Gecko installer prompts, and no .desktop files or MIME
		// associations written into the Linux desktop by winemenubuilder.
		"WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d",
	)
}

// bootTemplate creates and boots the prefix every test copies, with
// winUser as its user and the bcryptprimitives.dll shim, and waits for its
// wineserver to exit so that the registry is saved.
func bootTemplate(dir string) (string, error) {
	prefix, home := filepath.Join(dir, "template"), filepath.Join(dir, "template-home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		return "", err
	}
	env := wineEnv(prefix, home)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	boot := exec.CommandContext(ctx, "wine", "wineboot", "-i")
	boot.Env, boot.WaitDelay = env, waitDelay
	if out, err := boot.CombinedOutput(); err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		return "", fmt.Errorf("wineboot -i: %v: %s", err, out)
	}
	wait := exec.CommandContext(ctx, "wineserver", "-w")
	wait.Env, wait.WaitDelay = env, waitDelay
	if out, err := wait.CombinedOutput(); err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		return "", fmt.Errorf("wineserver -w: %v: %s", err, out)
	}
	// Wine 8.0 has no bcryptprimitives.dll, which every Go 1.24+ program
	// loads at start; Windows 10 and 11 have it.
	if err := copyFile(shim, filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")); err != nil {
		return "", fmt.Errorf("install the bcryptprimitives.dll shim: %w", err)
	}
	return prefix, nil
}

// prefix is one Windows machine: a fresh WINEPREFIX, its own HOME (so Wine
// links nothing into the real one) and wineserver, killed at cleanup.
type prefix struct {
	t    testing.TB
	dir  string
	vars []string
}

// newPrefix copies the booted template into a fresh prefix (winUser is
// its user). extra environment variables (KEY=VALUE) reach every Windows
// program it runs.
func newPrefix(t testing.TB, extra ...string) *prefix {
	t.Helper()
	dir := t.TempDir()
	home := filepath.Join(dir, "unix-home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	vars := append(wineEnv(filepath.Join(dir, "wine"), home), "CALLDOCKET_LOG=debug")
	vars = append(vars, extra...)
	p := &prefix{t: t, dir: filepath.Join(dir, "wine"), vars: vars}
	start := time.Now()
	if out, err := exec.Command("cp", "-a", template, p.dir).CombinedOutput(); err != nil {
		t.Fatalf("copy the template prefix: %v: %s", err, out)
	}
	t.Cleanup(p.kill)
	t.Logf("new prefix: %s", time.Since(start).Round(time.Millisecond))
	return p
}

// saveRegistry waits until the prefix's wineserver exits, which it does a
// few seconds after its last program, writing the registry hives
// (system.reg, user.reg) to disk.
func (p *prefix) saveRegistry() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "wineserver", "-w")
	cmd.Env = p.vars
	cmd.WaitDelay = waitDelay
	if out, err := cmd.CombinedOutput(); err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		p.t.Fatalf("wineserver -w: %v: %s", err, out)
	}
}

// kill stops the prefix's wineserver and every Windows process in it.
func (p *prefix) kill() {
	cmd := exec.Command("wineserver", "-k")
	cmd.Env = p.vars
	cmd.WaitDelay = waitDelay
	_ = cmd.Run()
	cmd = exec.Command("wineserver", "-w")
	cmd.Env = p.vars
	cmd.WaitDelay = waitDelay
	done := make(chan struct{})
	go func() { _ = cmd.Run(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		p.t.Logf("wineserver -w did not return in 20 s")
	}
}

// wine runs `wine args…` and returns its combined output and exit code.
func (p *prefix) wine(timeout time.Duration, args ...string) (string, int) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "wine", args...)
	cmd.Env = p.vars
	cmd.WaitDelay = waitDelay
	out, err := cmd.CombinedOutput()
	return string(out), exitCode(p.t, err)
}

// result is one finished calldocket.exe command.
type result struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

// run runs the given calldocket.exe (a Unix path or a C:\ path) with args.
func (p *prefix) runExe(exePath string, args ...string) result {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "wine", append([]string{exePath}, args...)...)
	cmd.Env = p.vars
	cmd.WaitDelay = waitDelay
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	return result{out.String(), errb.String(), exitCode(p.t, err), time.Since(start)}
}

// run runs the cross-built exe.
func (p *prefix) run(args ...string) result { return p.runExe(exe, args...) }

// mustRun runs the cross-built exe, which must exit 0, and returns stdout.
func (p *prefix) mustRun(args ...string) string {
	p.t.Helper()
	r := p.run(args...)
	if r.code != 0 {
		p.t.Fatalf("calldocket %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	p.t.Logf("calldocket %s: %s", strings.Join(args, " "), r.took.Round(time.Millisecond))
	return r.stdout
}

// start starts the exe in the background (the tray app); it is asked to
// stop at cleanup. Its output goes to the returned log file.
func (p *prefix) start(exePath string, args ...string) (*exec.Cmd, string) {
	p.t.Helper()
	cmd := exec.Command("wine", append([]string{exePath}, args...)...)
	cmd.Env = p.vars
	cmd.WaitDelay = waitDelay
	logName := filepath.Join(p.t.TempDir(), "app.log")
	logf, err := os.Create(logName)
	if err != nil {
		p.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start app: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	p.t.Cleanup(func() {
		select {
		case <-done:
		default:
			p.kill() // ends every process of the prefix
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
		}
		logf.Close()
		if p.t.Failed() {
			b, _ := os.ReadFile(logName)
			p.t.Logf("app output:\n%s", b)
		}
	})
	return cmd, logName
}

// drive is the Unix path of C:\ followed by elem.
func (p *prefix) drive(elem ...string) string {
	return filepath.Join(append([]string{p.dir, "drive_c"}, elem...)...)
}

// profile is the Unix path of the user's profile folder followed by elem.
func (p *prefix) profile(elem ...string) string {
	return p.drive(append([]string{"users", winUser}, elem...)...)
}

// install copies the cross-built exe to C:\Program Files\CallDocket, as a
// bare install, and returns its Windows path.
func (p *prefix) install() string {
	p.t.Helper()
	dst := p.drive("Program Files", "CallDocket", "calldocket.exe")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := copyFile(exe, dst); err != nil {
		p.t.Fatal(err)
	}
	return `C:\Program Files\CallDocket\calldocket.exe`
}

// regExport returns key and its subkeys as `reg export` writes them,
// decoded from UTF-16 and with the .reg escapes (\\ and \") undone, and
// whether the key exists. Unlike `reg query`, whose output to a pipe is
// in the OEM code page, it keeps non-ASCII letters intact.
func (p *prefix) regExport(key string) (string, bool) {
	p.t.Helper()
	name := fmt.Sprintf("export-%d.reg", time.Now().UnixNano())
	if _, code := p.wine(time.Minute, "reg", "export", key, `C:\`+name, "/y"); code != 0 {
		return "", false
	}
	b, err := os.ReadFile(p.drive(name))
	if err != nil {
		p.t.Fatalf("read the exported %s: %v", key, err)
	}
	os.Remove(p.drive(name))
	b = bytes.TrimPrefix(b, []byte{0xff, 0xfe})
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	text := string(utf16.Decode(u))
	text = strings.NewReplacer(`\\`, `\`, `\"`, `"`).Replace(text)
	return text, true
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func exitCode(t testing.TB, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil, errors.Is(err, exec.ErrWaitDelay): // exited 0; a daemon kept the pipe
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("run: %v", err)
	return -1
}

// filterEnv drops the variables named (or, ending in _, prefixed) by drop.
func filterEnv(vars []string, drop ...string) []string {
	out := vars[:0:0]
outer:
	for _, v := range vars {
		name, _, _ := strings.Cut(v, "=")
		for _, d := range drop {
			if name == d || strings.HasSuffix(d, "_") && strings.HasPrefix(name, d) {
				continue outer
			}
		}
		out = append(out, v)
	}
	return out
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
