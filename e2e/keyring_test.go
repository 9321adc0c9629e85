//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio/fake"
	"github.com/godbus/dbus/v5"
)

// secretService is a private D-Bus session bus with gnome-keyring's Secret
// Service on it, its 'login' keyring created and unlocked. Tests never
// touch the developer's own keyring or the shared test bus.
type secretService struct {
	vars []string // DBUS_SESSION_BUS_ADDRESS, HOME, XDG_RUNTIME_DIR, GNOME_KEYRING_CONTROL
}

func startSecretService(t *testing.T) *secretService {
	t.Helper()
	for _, tool := range []string{"dbus-daemon", "gnome-keyring-daemon", "secret-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (apt-get install dbus gnome-keyring libsecret-tools): %v", tool, err)
		}
	}
	home := t.TempDir()
	runtimeDir, err := os.MkdirTemp("", "cd-xdg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(runtimeDir) })
	if err := os.Chmod(runtimeDir, 0o700); err != nil {
		t.Fatal(err)
	}
	base := append(filterEnv(os.Environ(), "DBUS_SESSION_BUS_ADDRESS", "HOME", "XDG_RUNTIME_DIR", "XDG_DATA_HOME", "GNOME_KEYRING_CONTROL"),
		"HOME="+home, "XDG_RUNTIME_DIR="+runtimeDir)

	// A private session bus.
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	bus.Env = base
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { bus.Process.Kill(); bus.Wait() })
	addrc := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addrc <- strings.TrimSpace(line)
		io.Copy(io.Discard, out)
	}()
	var addr string
	select {
	case addr = <-addrc:
	case <-time.After(10 * time.Second):
		t.Fatal("dbus-daemon printed no address")
	}
	if addr == "" {
		t.Fatal("dbus-daemon printed an empty address")
	}
	env := append(base, "DBUS_SESSION_BUS_ADDRESS="+addr)

	// gnome-keyring: create and unlock the 'login' keyring with a password
	// on stdin. --foreground keeps it our child, so we stop it by its pid.
	kr := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	kr.Env = env
	kr.Stdin = strings.NewReader("e2e-keyring-password")
	var krOut bytes.Buffer
	kr.Stdout, kr.Stderr = &krOut, &krOut
	if err := kr.Start(); err != nil {
		t.Fatalf("start gnome-keyring-daemon: %v", err)
	}
	t.Cleanup(func() {
		kr.Process.Kill()
		kr.Wait()
		if t.Failed() {
			t.Logf("gnome-keyring-daemon output:\n%s", krOut.String())
		}
	})
	waitFor(t, "the Secret Service on the private bus", 15*time.Second, func() bool { return krHasOwner(addr, "org.freedesktop.secrets") })
	// What `gnome-keyring-daemon --unlock` prints without --foreground.
	env = append(env, "GNOME_KEYRING_CONTROL="+filepath.Join(runtimeDir, "keyring"))
	return &secretService{vars: env}
}

// krHasOwner asks the bus at addr whether name is owned.
func krHasOwner(addr, name string) bool {
	conn, err := dbus.Connect(addr)
	if err != nil {
		return false
	}
	defer conn.Close()
	var ok bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&ok)
	return err == nil && ok
}

// lookup runs secret-tool lookup for one CallDocket account; "" when absent.
func (s *secretService) lookup(t *testing.T, account string) string {
	t.Helper()
	cmd := exec.Command("secret-tool", "lookup", "service", "io.calldocket.app", "username", account)
	cmd.Env = s.vars
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok && len(out) == 0 && len(ee.Stderr) == 0 {
			return "" // not found: exit 1, no output
		}
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("secret-tool lookup %s: %v", account, err)
		}
	}
	return strings.TrimSpace(string(out))
}

var krAuthorizeURL = regexp.MustCompile(`https?://\S+/oauth/authorize\?\S+`)

// TestKeyringLoginLogout: `calldocket login` against an emulator the test
// hosts, with the test playing the browser, stores the token in the real
// Secret Service (gnome-keyring); `calldocket logout` revokes it at Clio
// and removes it. Without a Secret Service, login says so plainly.
func TestKeyringLoginLogout(t *testing.T) {
	ss := startSecretService(t)

	port := krFreePort(t)
	const clientID, secret = "e2e-firm-app", "e2e-firm-secret"
	emu, err := fake.NewServer(fake.SampleFirm(), fake.Options{Clients: map[string]fake.OAuthClient{
		clientID: {Secret: secret, RedirectURIs: []string{fmt.Sprintf("http://127.0.0.1:%d/callback", port)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(emu.Handler())
	t.Cleanup(func() { ts.Close(); emu.Close() })

	e := newEnv(t)
	e.vars = append(filterEnv(e.vars, "CALLDOCKET_CLIO_CLIENT_ID", "CALLDOCKET_CLIO_CLIENT_SECRET", "BROWSER"), ss.vars...)
	e.vars = append(e.vars, "CALLDOCKET_CLIO_URL="+ts.URL, "CALLDOCKET_CLIO_CLIENT_ID="+clientID,
		"CALLDOCKET_CLIO_CLIENT_SECRET="+secret, "BROWSER=/nonexistent/browser")

	// login: read the URL it prints when no browser opens, then be the browser.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "login", "--port", strconv.Itoa(port))
	cmd.Env = e.vars
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start calldocket login: %v", err)
	}
	var errLog bytes.Buffer
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			errLog.WriteString(sc.Text() + "\n")
			if u := krAuthorizeURL.FindString(sc.Text()); u != "" && !sent {
				found <- u
				sent = true
			}
		}
		close(found)
	}()
	authURL, ok := <-found
	if !ok {
		cmd.Wait()
		t.Fatalf("calldocket login printed no authorize URL; stderr:\n%s", errLog.String())
	}
	waitFor(t, "the loopback listener", 10*time.Second, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	page := krPlayBrowser(t, authURL)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("calldocket login: %v\nstdout: %s\nstderr: %s", err, stdout.String(), errLog.String())
	}
	if !strings.Contains(page, "CallDocket is connected to Clio") {
		t.Errorf("browser page = %q, want the success page", page)
	}
	want := fmt.Sprintf("Connected to Clio (US) as %s\n", fake.SampleFirm().Users[0].Name)
	if stdout.String() != want {
		t.Errorf("calldocket login printed %q, want %q", stdout.String(), want)
	}

	// The real Secret Service holds the token JSON and the client secret.
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		Region       string `json:"region"`
		ClientID     string `json:"client_id"`
	}
	raw := ss.lookup(t, "clio-token")
	if err := json.Unmarshal([]byte(raw), &tok); err != nil || tok.AccessToken == "" || tok.RefreshToken == "" ||
		tok.Region != "US" || tok.ClientID != clientID {
		t.Fatalf("secret-tool lookup clio-token: %v (parse error %v), want the token JSON", len(raw), err)
	}
	if got := ss.lookup(t, "clio-client-secret"); got != secret {
		t.Errorf("secret-tool lookup clio-client-secret = %q, want the client secret", got)
	}
	// Nothing secret landed in a file.
	filepath.WalkDir(e.home, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte(tok.AccessToken)) || bytes.Contains(b, []byte(tok.RefreshToken)) || bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s contains a secret", path)
		}
		return nil
	})

	out := e.mustRun("status")
	t.Logf("calldocket status:\n%s", out)

	// logout: revoked at Clio, gone from the keychain.
	out = e.mustRun("logout")
	if !strings.Contains(out, "Revoked CallDocket's access to Clio (US)") {
		t.Errorf("calldocket logout printed %q", out)
	}
	revoked := false
	for _, r := range emu.Requests() {
		if r.Path == "/oauth/deauthorize" && r.Status == http.StatusOK {
			revoked = true
		}
	}
	if !revoked {
		t.Errorf("the emulator saw no successful /oauth/deauthorize")
	}
	if got := ss.lookup(t, "clio-token"); got != "" {
		t.Errorf("after logout secret-tool still finds clio-token (%d bytes)", len(got))
	}
	if got := ss.lookup(t, "clio-client-secret"); got != "" {
		t.Errorf("after logout secret-tool still finds clio-client-secret")
	}
	if out := e.mustRun("logout"); !strings.Contains(out, "Not signed in") {
		t.Errorf("second logout printed %q", out)
	}

	// No Secret Service at all: a plain message, no browser, no file.
	noKC := newEnv(t, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"),
		"CALLDOCKET_CLIO_URL="+ts.URL, "CALLDOCKET_CLIO_CLIENT_ID="+clientID,
		"CALLDOCKET_CLIO_CLIENT_SECRET="+secret, "BROWSER=/nonexistent/browser")
	_, errs, code := noKC.run("login", "--port", strconv.Itoa(port))
	if code != 1 || !strings.Contains(errs, "no OS keychain (Secret Service) is available") || strings.Contains(errs, "/oauth/authorize") {
		t.Errorf("login without a keychain: exit %d, stderr %q; want exit 1 and the plain no-keychain message", code, errs)
	}
}

// krPlayBrowser GETs the authorize URL without following redirects, then
// GETs the Location (CallDocket's loopback callback) and returns its page.
func krPlayBrowser(t *testing.T, authURL string) string {
	t.Helper()
	noFollow := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatalf("browser: GET authorize: %v", err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if resp.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("browser: authorize answered %s (%v), want a 302 to the callback", resp.Status, err)
	}
	if !strings.HasPrefix(loc.String(), "http://127.0.0.1:") {
		t.Fatalf("browser: redirected to %s, want the loopback callback", loc)
	}
	resp, err = noFollow.Get(loc.String())
	if err != nil {
		t.Fatalf("browser: GET callback: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func krFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
