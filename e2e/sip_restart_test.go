//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/e2e/trayctl"
	"github.com/calldocket/calldocket/internal/peerproc"
)

// The Kamailio rig of package tapi/sip, reused by relative path.
const (
	sipTestdata = "../tapi/sip/testdata"
	sipCaller   = "+12125550123" // the number caller_cancel.xml calls from
	sipNoPeers  = "CALLDOCKET_NO_SIP_PEERS"
)

// TestSIPRestartApp runs the whole tray app (Sandbox mode) against a real
// Kamailio with the SIP source at its default Expires (600 s): a call is
// seen; Kamailio stops and within 10 s `status` and the tray's status line
// say "Phone link down"; Kamailio starts again, the link comes back (within
// 10 s of Kamailio answering) and a call placed 20 s after the restart is
// seen.
func TestSIPRestartApp(t *testing.T) {
	mpath := requireSIPPeers(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	pbx := startRigPBX(t, mpath)
	startRigPhone(t, pbx.addr(), "1001")

	w, err := trayctl.StartWatcher(ctx)
	if err != nil {
		t.Fatalf("start StatusNotifierWatcher: %v", err)
	}
	defer w.Close()
	e := newEnv(t)
	for _, kv := range [][2]string{
		{"call_source", "sip"},
		{"sip.server", pbx.addr()},
		{"sip.aor", "sip:1001@127.0.0.1"},
		{"sip.transport", "udp"},
	} { // sip.expires_seconds stays at its default
		e.mustRun("settings", "set", kv[0], kv[1])
	}
	e.start("--sandbox")
	e.waitRunning()
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(e.home, "calldocket.log"))
			t.Logf("calldocket.log (tail):\n%s", tail(string(b), 6000))
			t.Logf("kamailio log (tail):\n%s", pbx.proc.out.tail(3000))
		}
	})
	item, err := w.WaitItem(ctx)
	if err != nil {
		t.Fatalf("tray item never registered: %v", err)
	}

	// Link up: the subscription is active and nothing is reported down.
	waitFor(t, "the SIP subscription", 20*time.Second, func() bool {
		b, _ := os.ReadFile(filepath.Join(e.home, "calldocket.log"))
		return bytes.Contains(b, []byte("sip subscription active")) && len(e.status().PhoneDown) == 0
	})
	waitStatusLine(ctx, t, item, false)
	placeSIPCall(t, pbx)
	waitSIPCalls(t, e, 1)

	// Kamailio stops: status and the tray say the phone link is down.
	pbx.stop()
	stopped := time.Now()
	var down []string
	waitFor(t, "phone_link_down in status", 10*time.Second, func() bool {
		down = e.status().PhoneDown
		return len(down) > 0
	})
	t.Logf("phone link down %v after Kamailio stopped: %q", time.Since(stopped).Round(time.Millisecond), down)
	waitStatusLine(ctx, t, item, true)
	if out := e.mustRun("status"); !strings.Contains(out, "Phone link down: sip: ") {
		t.Errorf("status while Kamailio is down does not say the SIP link is down:\n%s", out)
	}

	// Kamailio starts again (it forgot the subscription): the link comes
	// back and a call 20 s after the restart is seen.
	pbx.start()
	answering := time.Now()
	waitFor(t, "phone_link_down to clear", 15*time.Second, func() bool { return len(e.status().PhoneDown) == 0 })
	back := time.Since(answering)
	t.Logf("phone link up %v after Kamailio answered again", back.Round(time.Millisecond))
	if back > 10*time.Second {
		t.Errorf("phone link up %v after Kamailio answered again, want within 10 s", back)
	}
	waitStatusLine(ctx, t, item, false)
	time.Sleep(time.Until(answering.Add(20 * time.Second)))
	placeSIPCall(t, pbx)
	waitSIPCalls(t, e, 2)
	if st := e.status(); len(st.PhoneDown) != 0 {
		t.Errorf("phone_link_down = %q after the call, want empty", st.PhoneDown)
	}
}

// waitStatusLine waits up to 10 s for the tray's status line ("Sandbox —
// sample firm…") to show, or no longer show, "Phone link down".
func waitStatusLine(ctx context.Context, t *testing.T, item *trayctl.Item, down bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	m, err := item.WaitLabel(ctx, func(l string) bool {
		return strings.HasPrefix(l, "Sandbox") && strings.Contains(l, "Phone link down") == down
	})
	if err != nil {
		t.Fatalf("tray status line with phone link down=%v: %v", down, err)
	}
	t.Logf("tray status line: %q", m.Label)
}

// waitSIPCalls waits until the ledger holds n calls from sipCaller.
func waitSIPCalls(t *testing.T, e *env, n int) {
	t.Helper()
	got := 0
	waitFor(t, fmt.Sprintf("%d calls from the SIP caller in calls --json", n), 10*time.Second, func() bool {
		got = 0
		for _, c := range e.calls() {
			if c.E164 == sipCaller {
				got++
			}
		}
		return got >= n
	})
	if got != n {
		t.Fatalf("calls --json holds %d calls from the SIP caller, want %d", got, n)
	}
}

// requireSIPPeers fails the test, naming the apt packages, when kamailio,
// baresip or sipp is missing (CALLDOCKET_NO_SIP_PEERS=1 skips it), and
// returns Kamailio's module directory.
func requireSIPPeers(t *testing.T) string {
	t.Helper()
	if os.Getenv(sipNoPeers) == "1" {
		t.Skipf("%s=1: not starting kamailio, baresip and sipp", sipNoPeers)
	}
	var missing []string
	for _, bin := range []string{"kamailio", "baresip", "sipp"} {
		if _, err := exec.LookPath(bin); err != nil {
			missing = append(missing, bin)
		}
	}
	mods, _ := filepath.Glob("/usr/lib/*/kamailio/modules/presence_dialoginfo.so")
	mods2, _ := filepath.Glob("/usr/lib/kamailio/modules/presence_dialoginfo.so")
	mods = append(mods, mods2...)
	if len(mods) == 0 {
		missing = append(missing, "kamailio presence_dialoginfo module")
	}
	if len(missing) > 0 {
		t.Fatalf("SIP peers missing: %s; install them (apt-get install kamailio kamailio-presence-modules baresip-core sip-tester) or set %s=1 to skip",
			strings.Join(missing, ", "), sipNoPeers)
	}
	return filepath.Dir(mods[0]) + "/"
}

// sipFreePort returns a port free on 127.0.0.1 for both UDP and TCP.
func sipFreePort(t *testing.T) int {
	t.Helper()
	for range 50 {
		u, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("listen udp: %v", err)
		}
		port := u.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		u.Close()
		if err == nil {
			l.Close()
			return port
		}
	}
	t.Fatal("no free port on 127.0.0.1")
	return 0
}

// peerOut collects a peer's output.
type peerOut struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *peerOut) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *peerOut) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return tail(b.buf.String(), n)
}

// sipPeer is a started kamailio, baresip or sipp, in its own process group
// (package peerproc), stopped as a whole at the test's end.
type sipPeer struct {
	*peerproc.Proc
	out *peerOut
}

func startSIPPeer(t *testing.T, dir, bin string, args ...string) *sipPeer {
	t.Helper()
	out := &peerOut{}
	pp, err := peerproc.Start(dir, out, bin, args...)
	if err != nil {
		t.Fatal(err)
	}
	p := &sipPeer{Proc: pp, out: out}
	t.Cleanup(p.Stop)
	return p
}

// rigPBX is Kamailio with tapi/sip's test config: registrar (locations kept
// in db_text across restarts) and dialog-info presence.
type rigPBX struct {
	t        *testing.T
	dir, cfg string
	port     int
	proc     *sipPeer
}

func startRigPBX(t *testing.T, mpath string) *rigPBX {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	if err := os.Mkdir(db, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"version", "location", "location_attrs", "presentity", "active_watchers", "watchers", "pua", "xcap"} {
		b, err := os.ReadFile(filepath.Join("/usr/share/kamailio/dbtext/kamailio", table))
		if err != nil {
			t.Fatalf("kamailio db_text template (apt package kamailio): %v", err)
		}
		if err := os.WriteFile(filepath.Join(db, table), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tmpl, err := os.ReadFile(filepath.Join(sipTestdata, "kamailio.cfg.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	p := &rigPBX{t: t, dir: dir, port: sipFreePort(t), cfg: filepath.Join(dir, "kamailio.cfg")}
	cfg := strings.NewReplacer(
		"@@PORT@@", strconv.Itoa(p.port),
		"@@GWPORT@@", strconv.Itoa(sipFreePort(t)),
		"@@DESKPORT@@", strconv.Itoa(sipFreePort(t)),
		"@@DBDIR@@", db,
		"@@MPATH@@", mpath,
	).Replace(string(tmpl))
	if err := os.WriteFile(p.cfg, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	p.start()
	return p
}

func (p *rigPBX) addr() string { return "127.0.0.1:" + strconv.Itoa(p.port) }

// start starts Kamailio and waits until it answers an OPTIONS.
func (p *rigPBX) start() {
	p.t.Helper()
	p.proc = startSIPPeer(p.t, p.dir, "kamailio", "-f", p.cfg, "-DD", "-E", "-Y", p.dir)
	deadline := time.Now().Add(10 * time.Second)
	for !sipOptionsPing(p.addr()) {
		if p.proc.Exited() || time.Now().After(deadline) {
			p.t.Fatalf("kamailio not ready on %s:\n%s", p.addr(), p.proc.out.tail(3000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *rigPBX) stop() { p.proc.Stop() }

// sipOptionsPing sends one OPTIONS over UDP and reports whether anything answered.
func sipOptionsPing(addr string) bool {
	c, err := net.Dial("udp", addr)
	if err != nil {
		return false
	}
	defer c.Close()
	msg := "OPTIONS sip:" + addr + " SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP " + c.LocalAddr().String() + ";branch=z9hG4bK" + sipRandom() + "\r\n" +
		"From: <sip:ping@127.0.0.1>;tag=" + sipRandom() + "\r\n" +
		"To: <sip:" + addr + ">\r\n" +
		"Call-ID: " + sipRandom() + "@ping\r\n" +
		"CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
	if _, err := c.Write([]byte(msg)); err != nil {
		return false
	}
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	return err == nil && bytes.HasPrefix(buf[:n], []byte("SIP/2.0 "))
}

func sipRandom() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// startRigPhone registers a baresip softphone as ext, so calls to it ring.
func startRigPhone(t *testing.T, pbxAddr, ext string) {
	t.Helper()
	dir := t.TempDir()
	port := sipFreePort(t) // baresip also binds SIP/TLS on port+1
	for {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+1))
		if err == nil {
			l.Close()
			break
		}
		port = sipFreePort(t)
	}
	config := fmt.Sprintf(`poll_method		epoll
sip_listen		127.0.0.1:%d
call_local_timeout	120
audio_player		aubridge,null
audio_source		aubridge,null
audio_alert		aubridge,null
module_path		/usr/lib/baresip/modules
module			g711.so
module			aubridge.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
net_interface		127.0.0.1
`, port)
	accounts := fmt.Sprintf("\"Attorney Desk\" <sip:%s@%s;transport=udp>;regint=300;answermode=manual;pubint=0;mwi=no\n", ext, pbxAddr)
	for file, body := range map[string]string{"config": config, "accounts": accounts} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ph := startSIPPeer(t, dir, "baresip", "-f", dir)
	waitFor(t, "baresip to register "+ext, 10*time.Second, func() bool {
		if ph.Exited() {
			t.Fatalf("baresip exited:\n%s", ph.out.tail(3000))
		}
		return strings.Contains(ph.out.tail(1<<20), "200 OK")
	})
}

// placeSIPCall has sipp ring extension 1001 from sipCaller for 1.5 s and
// give up (a missed call), and waits for it to finish.
func placeSIPCall(t *testing.T, pbx *rigPBX) {
	t.Helper()
	sf, err := filepath.Abs(filepath.Join(sipTestdata, "sipp", "caller_cancel.xml"))
	if err != nil {
		t.Fatal(err)
	}
	s := startSIPPeer(t, t.TempDir(), "sipp", "-sf", sf, "-i", "127.0.0.1", "-p", strconv.Itoa(sipFreePort(t)),
		"-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error", "-s", "1001", pbx.addr())
	select {
	case <-s.Done():
	case <-time.After(35 * time.Second):
		t.Fatalf("sipp still running:\n%s", s.out.tail(2000))
	}
	if code := s.Cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("sipp exit code %d:\n%s", code, s.out.tail(2000))
	}
}
