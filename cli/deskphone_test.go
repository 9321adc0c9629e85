package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/ipc"
)

// TestDeskPhoneToken: the command shows the desk phones' own token (never
// the IPC secret), "new" replaces it, and anything else is a usage error.
func TestDeskPhoneToken(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CALLDOCKET_HOME", dir)
	var out bytes.Buffer
	if err := Settings(t.Context(), []string{"deskphone-token"}, &out); err != nil {
		t.Fatal(err)
	}
	tok, err := ipc.LoadActionToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := ipc.LoadSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "token: "+tok+"\n") || !strings.Contains(out.String(), "http://127.0.0.1:8089/event?") || strings.Contains(out.String(), sec) {
		t.Errorf("deskphone-token printed %q; want the action-URL token %q and URL, never the IPC secret", out.String(), tok)
	}
	out.Reset()
	if err := Settings(t.Context(), []string{"deskphone-token", "new"}, &out); err != nil {
		t.Fatal(err)
	}
	fresh, _ := ipc.LoadActionToken(dir)
	if fresh == tok || !strings.Contains(out.String(), fresh) || !strings.Contains(out.String(), "update every desk phone") {
		t.Errorf("deskphone-token new printed %q; want a new token and the note to update phones", out.String())
	}
	if again, _ := ipc.LoadSecret(dir); again != sec {
		t.Errorf("a new desk-phone token changed the IPC secret")
	}
	if fi, err := os.Stat(filepath.Join(dir, ipc.ActionTokenFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v, %v; want 0600", fi, err)
	}
	var ue *UsageError
	if err := Settings(t.Context(), []string{"deskphone-token", "again"}, &out); !errors.As(err, &ue) {
		t.Errorf("deskphone-token again = %v, want a usage error", err)
	}
}
