//go:build unix

package sip

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/internal/peerproc"
)

// The real SIP peers the end-to-end tests start, and the Debian packages
// that provide them. CALLDOCKET_NO_SIP_PEERS=1 skips the tests instead of
// failing them when a peer is missing.
const noPeersEnv = "CALLDOCKET_NO_SIP_PEERS"

const watcherPassword = "watcherpass" // what testdata/kamailio.cfg.tmpl accepts

// requirePeers fails the test, naming the apt packages, when a peer is not
// installed, and returns the Kamailio module directory.
func requirePeers(t *testing.T) string {
	t.Helper()
	if os.Getenv(noPeersEnv) == "1" {
		t.Skipf("%s=1: not starting kamailio, baresip and sipp", noPeersEnv)
	}
	var missing []string
	for _, p := range []struct{ bin, pkg string }{
		{"kamailio", "kamailio"},
		{"baresip", "baresip-core (or baresip)"},
		{"sipp", "sip-tester"},
	} {
		if _, err := exec.LookPath(p.bin); err != nil {
			missing = append(missing, fmt.Sprintf("%s (apt package %s)", p.bin, p.pkg))
		}
	}
	mpath := ""
	if dirs, _ := filepath.Glob("/usr/lib/*/kamailio/modules/presence_dialoginfo.so"); len(dirs) > 0 {
		mpath = filepath.Dir(dirs[0]) + "/"
	} else if _, err := os.Stat("/usr/lib/kamailio/modules/presence_dialoginfo.so"); err == nil {
		mpath = "/usr/lib/kamailio/modules/"
	} else {
		missing = append(missing, "kamailio presence_dialoginfo module (apt package kamailio-presence-modules)")
	}
	if len(missing) > 0 {
		t.Fatalf("SIP end-to-end peers missing: %s; install them (apt-get install kamailio kamailio-presence-modules baresip-core sip-tester) or set %s=1 to skip",
			strings.Join(missing, ", "), noPeersEnv)
	}
	return mpath
}

// freePort returns a port that is free on 127.0.0.1 for both UDP and TCP.
func freePort(t *testing.T) int {
	t.Helper()
	for range 50 {
		u, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("listen udp: %v", err)
		}
		port := u.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		_ = u.Close()
		if err != nil {
			continue
		}
		_ = l.Close()
		return port
	}
	t.Fatal("no free port on 127.0.0.1")
	return 0
}

// tcpFree reports whether port is free for TCP on 127.0.0.1.
func tcpFree(port int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

// logBuffer collects a process's output for readiness checks and failure
// reports.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tail is the last n bytes, for failure messages.
func (b *logBuffer) tail(n int) string {
	s := b.String()
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}

// process is a started peer (package peerproc) with its output kept for
// readiness checks and failure reports.
type process struct {
	*peerproc.Proc
	name string
	out  *logBuffer
}

func startProcess(t *testing.T, name string, dir string, bin string, args ...string) *process {
	t.Helper()
	out := &logBuffer{}
	pp, err := peerproc.Start(dir, out, bin, args...)
	if err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	return &process{Proc: pp, name: name, out: out}
}

func (p *process) exited() bool { return p.Exited() }

// stop ends the process group gracefully and waits until all of it is gone.
func (p *process) stop() { p.Stop() }

// pbx is a Kamailio registrar + dialog-info presence server.
type pbx struct {
	t        *testing.T
	dir      string
	cfg      string
	port     int
	gwPort   int
	deskPort int // extension 1003, a sipp UAS
	auth     bool
	defines  []string // extra -A defines, e.g. WITH_END_EVENT
	proc     *process
}

func startPBX(t *testing.T, mpath string, auth bool, defines ...string) *pbx {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	if err := os.Mkdir(db, 0o700); err != nil {
		t.Fatal(err)
	}
	// db_text tables: presence needs a db_url; locations persist across a restart.
	for _, table := range []string{"version", "location", "location_attrs", "presentity", "active_watchers", "watchers", "pua", "xcap"} {
		b, err := os.ReadFile(filepath.Join("/usr/share/kamailio/dbtext/kamailio", table))
		if err != nil {
			t.Fatalf("kamailio db_text template (apt package kamailio): %v", err)
		}
		if err := os.WriteFile(filepath.Join(db, table), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tmpl, err := os.ReadFile("testdata/kamailio.cfg.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	p := &pbx{t: t, dir: dir, port: freePort(t), gwPort: freePort(t), deskPort: freePort(t), auth: auth, defines: defines}
	cfg := strings.NewReplacer(
		"@@PORT@@", strconv.Itoa(p.port),
		"@@GWPORT@@", strconv.Itoa(p.gwPort),
		"@@DESKPORT@@", strconv.Itoa(p.deskPort),
		"@@DBDIR@@", db,
		"@@MPATH@@", mpath,
	).Replace(string(tmpl))
	p.cfg = filepath.Join(dir, "kamailio.cfg")
	if err := os.WriteFile(p.cfg, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *pbx) addr() string { return "127.0.0.1:" + strconv.Itoa(p.port) }

func (p *pbx) start() {
	p.t.Helper()
	args := []string{"-f", p.cfg, "-DD", "-E", "-Y", p.dir}
	if p.auth {
		args = append(args, "-A", "WITH_AUTH")
	}
	for _, d := range p.defines {
		args = append(args, "-A", d)
	}
	start := time.Now()
	p.proc = startProcess(p.t, "kamailio", p.dir, "kamailio", args...)
	// Ready when it answers a request on its UDP port.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if p.proc.exited() {
			p.t.Fatalf("kamailio exited during start:\n%s", p.proc.out.tail(3000))
		}
		if sipPing(p.addr()) {
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("kamailio not ready after 10 s:\n%s", p.proc.out.tail(3000))
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Logf("kamailio ready on %s in %v (auth=%v)", p.addr(), time.Since(start).Round(time.Millisecond), p.auth)
}

func (p *pbx) stop() {
	if p.proc != nil {
		p.proc.stop()
	}
}

// restart stops Kamailio (SIGTERM) and starts it again on the same ports:
// subscriptions are lost, registrations survive in db_text.
func (p *pbx) restart() {
	p.t.Helper()
	p.proc.stop()
	p.start()
}

// sipPing sends one OPTIONS over UDP and reports whether any response came.
func sipPing(addr string) bool {
	c, err := net.Dial("udp", addr)
	if err != nil {
		return false
	}
	defer c.Close()
	la := c.LocalAddr().String()
	msg := "OPTIONS sip:" + addr + " SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP " + la + ";branch=z9hG4bK" + randomHex(8) + "\r\n" +
		"From: <sip:ping@127.0.0.1>;tag=" + randomHex(4) + "\r\n" +
		"To: <sip:" + addr + ">\r\n" +
		"Call-ID: " + randomHex(8) + "@ping\r\n" +
		"CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
	if _, err := c.Write([]byte(msg)); err != nil {
		return false
	}
	_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	return err == nil && bytes.HasPrefix(buf[:n], []byte("SIP/2.0 "))
}

// softphone is a baresip user agent registered as an extension, driven through
// its ctrl_tcp socket (one connection carries commands and events).
type softphone struct {
	t    *testing.T
	proc *process
	conn net.Conn
	mu   sync.Mutex
	seq  int
}

func startPhone(t *testing.T, pbxAddr, ext, name string) *softphone {
	t.Helper()
	dir := t.TempDir()
	// baresip also binds SIP/TLS on sip_listen's port + 1: that port must be
	// free too, and must not be handed to ctrl_tcp or another peer.
	sipPort := freePort(t)
	for !tcpFree(sipPort + 1) {
		sipPort = freePort(t)
	}
	ctrlPort := freePort(t)
	for ctrlPort == sipPort+1 {
		ctrlPort = freePort(t)
	}
	config := fmt.Sprintf(`poll_method		epoll
sip_listen		127.0.0.1:%d
call_local_timeout	120
call_max_calls		4
audio_player		aubridge,null
audio_source		aubridge,null
audio_alert		aubridge,null
module_path		/usr/lib/baresip/modules
module			g711.so
module			aubridge.so
module_tmp		uuid.so
module_tmp		account.so
module_app		ctrl_tcp.so
module_app		menu.so
ctrl_tcp_listen		127.0.0.1:%d
net_interface		127.0.0.1
`, sipPort, ctrlPort)
	accounts := fmt.Sprintf("%q <sip:%s@%s;transport=udp>;regint=300;answermode=manual;pubint=0;mwi=no\n", name, ext, pbxAddr)
	for file, body := range map[string]string{"config": config, "accounts": accounts} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	ph := &softphone{t: t, proc: startProcess(t, "baresip", dir, "baresip", "-f", dir)}
	t.Cleanup(ph.stop)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(ph.proc.out.String(), "200 OK") {
		if ph.proc.exited() || time.Now().After(deadline) {
			t.Fatalf("baresip %s did not register:\n%s", ext, ph.proc.out.tail(3000))
		}
		time.Sleep(50 * time.Millisecond)
	}
	var err error
	for {
		ph.conn, err = net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(ctrlPort))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("baresip ctrl_tcp: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	go func() { _, _ = io.Copy(io.Discard, bufio.NewReader(ph.conn)) }() // events are not needed
	t.Logf("baresip %s registered in %v", ext, time.Since(start).Round(time.Millisecond))
	return ph
}

// command sends one ctrl_tcp command ("accept", "hangup", "dial", …).
func (ph *softphone) command(cmd, params string) {
	ph.t.Helper()
	ph.mu.Lock()
	defer ph.mu.Unlock()
	ph.seq++
	b, err := json.Marshal(map[string]string{"command": cmd, "params": params, "token": "t" + strconv.Itoa(ph.seq)})
	if err != nil {
		ph.t.Fatal(err)
	}
	if _, err := fmt.Fprintf(ph.conn, "%d:%s,", len(b), b); err != nil {
		ph.t.Fatalf("baresip command %s: %v", cmd, err)
	}
}

func (ph *softphone) stop() {
	if ph.conn != nil {
		_ = ph.conn.Close()
	}
	ph.proc.stop()
}

// sipp runs one sipp scenario from testdata/sipp for a single call.
type sipp struct {
	proc *process
}

func startSipp(t *testing.T, scenario string, args ...string) *sipp {
	t.Helper()
	sf, err := filepath.Abs(filepath.Join("testdata", "sipp", scenario))
	if err != nil {
		t.Fatal(err)
	}
	all := append([]string{"-sf", sf, "-i", "127.0.0.1", "-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error"}, args...)
	s := &sipp{proc: startProcess(t, "sipp "+scenario, t.TempDir(), "sipp", all...)}
	t.Cleanup(s.proc.stop)
	return s
}

// wait waits for sipp to finish its call and fails the test unless it
// succeeded.
func (s *sipp) wait(t *testing.T, ctx context.Context) {
	t.Helper()
	select {
	case <-s.proc.Done():
	case <-ctx.Done():
		t.Fatalf("%s still running:\n%s", s.proc.name, s.proc.out.tail(2000))
	}
	if code := s.proc.Cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("%s exit code %d:\n%s", s.proc.name, code, s.proc.out.tail(2000))
	}
}
