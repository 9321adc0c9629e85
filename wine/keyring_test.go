//go:build wine

package wine

import (
	"bufio"
	"bytes"
	"context"
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
)

var authorizeURL = regexp.MustCompile(`https?://\S+/oauth/authorize\?\S+`)

// credKey is where Wine keeps Windows Credential Manager entries (CredWriteW),
// and the target go-keyring's wincred gives an account of io.calldocket.app.
const credKey = `HKCU\Software\Wine\Credential Manager`

func credTarget(account string) string { return "io.calldocket.app:" + account }

// TestCredentialManager: `login` against the emulator's OAuth (the test
// plays the browser) stores the token through go-keyring's wincred in the
// Windows Credential Manager; a new process reads it; `logout` revokes and
// deletes it; no token is ever in a plain file of the prefix.
func TestCredentialManager(t *testing.T) {
	port := freePort(t)
	const clientID, secret = "wine-firm-app", "wine-firm-secret"
	emu, err := fake.NewServer(fake.SampleFirm(), fake.Options{Clients: map[string]fake.OAuthClient{
		clientID: {Secret: secret, RedirectURIs: []string{fmt.Sprintf("http://127.0.0.1:%d/callback", port)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(emu.Handler())
	t.Cleanup(func() { ts.Close(); emu.Close() })

	p := newPrefix(t, "CALLDOCKET_CLIO_URL="+ts.URL, "CALLDOCKET_CLIO_CLIENT_ID="+clientID,
		"CALLDOCKET_CLIO_CLIENT_SECRET="+secret, `BROWSER=C:\no\such\browser.exe`)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "wine", exe, "login", "--port", strconv.Itoa(port))
	cmd.Env = p.vars
	cmd.WaitDelay = waitDelay
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
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
			if u := authorizeURL.FindString(sc.Text()); u != "" && !sent {
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
	waitFor(t, "the loopback listener", 20*time.Second, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	page := playBrowser(t, authURL)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("calldocket login: %v\nstdout: %s\nstderr: %s", err, stdout.String(), errLog.String())
	}
	t.Logf("login: %s", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(page, "CallDocket is connected to Clio") {
		t.Errorf("browser page = %q, want the success page", page)
	}
	if want := fmt.Sprintf("Connected to Clio (US) as %s\n", fake.SampleFirm().Users[0].Name); stdout.String() != want {
		t.Errorf("calldocket login printed %q, want %q", stdout.String(), want)
	}

	// The Credential Manager holds both entries.
	creds, _ := p.wine(time.Minute, "reg", "query", credKey, "/s")
	for _, acct := range []string{"clio-token", "clio-client-secret"} {
		if !strings.Contains(creds, credTarget(acct)) {
			t.Errorf("Credential Manager has no %s after login:\n%s", credTarget(acct), creds)
		}
	}
	// The issued tokens, as the emulator knows them, are in no plain file:
	// not CallDocket's folders, not the registry hives Wine writes.
	tokens := bearerTokens(emu)
	if len(tokens) == 0 {
		t.Fatal("login made no API call with a bearer token")
	}
	// wineserver writes the registry hives to disk when it exits.
	p.saveRegistry()
	// The scan does read the hives: it finds the entry's (public) name.
	if hits := grepTree(p.dir, credTarget("clio-token")); len(hits) == 0 {
		t.Errorf("the file scan finds %s in no file of the prefix; is the registry saved?", credTarget("clio-token"))
	}
	leaks := grepTree(p.dir, append(tokens, secret)...)
	if len(leaks) > 0 {
		t.Errorf("a secret is in plain files: %v", leaks)
	}

	// A new process (a restart) reads the token: the sync talks to Clio as the user.
	before := len(emu.Requests())
	p.mustRun("sync")
	authed := false
	for _, r := range emu.Requests()[before:] {
		if strings.HasPrefix(r.Path, "/api/v4/") && r.Status == http.StatusOK {
			authed = true
		}
	}
	if !authed {
		t.Errorf("sync after login made no authorized API call")
	}

	out := p.mustRun("logout")
	if !strings.Contains(out, "Revoked CallDocket's access to Clio (US)") {
		t.Errorf("calldocket logout printed %q", out)
	}
	creds, _ = p.wine(time.Minute, "reg", "query", credKey, "/s")
	if strings.Contains(creds, "io.calldocket.app") {
		t.Errorf("after logout the Credential Manager still has:\n%s", creds)
	}
	if out := p.mustRun("logout"); !strings.Contains(out, "Not signed in") {
		t.Errorf("second logout printed %q", out)
	}
}

// playBrowser GETs the authorize URL without following redirects, then
// GETs the Location (CallDocket's loopback callback) and returns its page.
func playBrowser(t *testing.T, authURL string) string {
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
	resp, err = noFollow.Get(loc.String())
	if err != nil {
		t.Fatalf("browser: GET callback: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// bearerTokens are the access tokens the emulator has seen in requests.
func bearerTokens(emu *fake.Server) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range emu.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && tok != "" && !seen[tok] {
			seen[tok] = true
			out = append(out, tok)
		}
	}
	return out
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// grepTree lists the regular files under root containing any of needles,
// as UTF-8 or as UTF-16LE (the registry hives' REG_SZ text).
func grepTree(root string, needles ...string) []string {
	var pats [][]byte
	for _, n := range needles {
		if n == "" {
			continue
		}
		pats = append(pats, []byte(n), utf16le(n), []byte(hexBytes(n)))
	}
	var hits []string
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > 64<<20 {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		for _, pat := range pats {
			if bytes.Contains(b, pat) {
				hits = append(hits, path)
				break
			}
		}
		return nil
	})
	return hits
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// hexBytes is s as a .reg file writes REG_BINARY: "61,62,63".
func hexBytes(s string) string {
	parts := make([]string, len(s))
	for i := range len(s) {
		parts[i] = fmt.Sprintf("%02x", s[i])
	}
	return strings.Join(parts, ",")
}
