package home

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/ipc"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/hook"
)

// TestDeskPhoneOwnToken: on an install from before the split (the IPC
// secret was the phones' token), the configured desk-phone listener
// refuses the old secret and the current IPC secret, and accepts only the
// new action-URL token. It listens on 127.0.0.1 for an address without a
// host.
func TestDeskPhoneOwnToken(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CALLDOCKET_HOME", dir)
	p, err := Resolve()
	if err != nil {
		t.Fatal(err)
	}
	const old = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	if err := os.WriteFile(filepath.Join(p.Data, "secret"), []byte(old+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	cfg := settings.Default()
	cfg.DeskPhone = settings.DeskPhone{Enabled: true, Addr: ":" + port}
	var logs bytes.Buffer
	srcs := ConfiguredSources(t.Context(), cfg, nil, p, nil, slog.New(slog.NewTextHandler(&logs, nil)))
	if len(srcs) != 1 || srcs[0].Name != "deskphone" {
		t.Fatalf("ConfiguredSources() = %v, want the desk phone; log: %s", srcs, logs.String())
	}
	as := srcs[0].Source.(*hook.ActionServer)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	events := make(chan tapi.Event, 4)
	go func() { done <- as.Run(ctx, func(ev tapi.Event) { events <- ev }) }()
	defer func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run() = %v", err)
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for as.Addr() == nil {
		if time.Now().After(deadline) {
			t.Fatal("desk-phone listener did not start")
		}
		time.Sleep(time.Millisecond)
	}
	if tcp := as.Addr().(*net.TCPAddr); !tcp.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("desk phones heard on %v, want 127.0.0.1 for %q", as.Addr(), cfg.DeskPhone.Addr)
	}
	sec, err := ipc.LoadSecret(p.Data)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ipc.LoadActionToken(p.Data)
	if err != nil {
		t.Fatal(err)
	}
	url := "http://127.0.0.1:" + port + hook.ActionPath + "?state=ringing&number=2125550123&id=c1&token="
	for name, try := range map[string]string{"the old secret": old, "the IPC secret": sec} {
		if code := status(t, url+try); code != http.StatusForbidden {
			t.Errorf("action URL with %s = %d, want 403", name, code)
		}
	}
	if code := status(t, url+tok); code != http.StatusOK {
		t.Errorf("action URL with the action-URL token = %d, want 200", code)
	}
	if strings.Contains(logs.String(), tok) || strings.Contains(logs.String(), sec) {
		t.Errorf("log shows a secret")
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// TestDeskPhoneListenAgrees: Settings (which tells the admin where phones
// are heard) and the listener read an address the same way.
func TestDeskPhoneListenAgrees(t *testing.T) {
	for _, addr := range []string{"", " ", ":18089", "127.0.0.1:8089", "localhost:8089", "[::1]:8089",
		"192.168.1.20:8089", "0.0.0.0:8089", "[::]:8089", "phone.example.com:8089", "127.0.0.1", "1.2.3.4:99999", "1.2.3.4:x"} {
		want, wantReach, ok := settings.DeskPhone{Addr: addr}.Listen()
		got, lan, err := hook.ActionListenAddr(addr)
		if ok != (err == nil) || got != want || lan != (wantReach != settings.ReachThisComputer) {
			t.Errorf("%q: settings say %q, %v, %v; the listener %q, lan %v, %v", addr, want, wantReach, ok, got, lan, err)
		}
	}
}
