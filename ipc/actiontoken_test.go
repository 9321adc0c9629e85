package ipc

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func mustLoad(t *testing.T, f func(string) (string, error), dir string) string {
	t.Helper()
	s, err := f(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func checkPrivate(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %v, want 0600", filepath.Base(path), fi.Mode().Perm())
	}
}

// TestActionTokenSeparate: a new install has two secrets, each stable,
// whichever is loaded first.
func TestActionTokenSeparate(t *testing.T) {
	for _, first := range []string{"secret", "token"} {
		t.Run(first+" first", func(t *testing.T) {
			dir := t.TempDir()
			var sec, tok string
			if first == "secret" {
				sec, tok = mustLoad(t, LoadSecret, dir), mustLoad(t, LoadActionToken, dir)
			} else {
				tok, sec = mustLoad(t, LoadActionToken, dir), mustLoad(t, LoadSecret, dir)
			}
			if len(tok) < 32 || tok == sec || strings.Contains(sec, tok) || strings.Contains(tok, sec) {
				t.Fatalf("action token %q and IPC secret %q: want two different secrets", tok, sec)
			}
			if again := mustLoad(t, LoadSecret, dir); again != sec {
				t.Errorf("LoadSecret() again changed the secret")
			}
			if again := mustLoad(t, LoadActionToken, dir); again != tok {
				t.Errorf("LoadActionToken() again changed the token")
			}
			checkPrivate(t, filepath.Join(dir, "secret"))
			checkPrivate(t, filepath.Join(dir, ActionTokenFile))
		})
	}
}

// TestActionTokenMigration: an install from before the split, whose IPC
// secret was the phones' token, gets a new action-URL token and a new IPC
// secret (the old one travelled in clear text); neither is the old value.
func TestActionTokenMigration(t *testing.T) {
	const old = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	for _, first := range []string{"secret", "token"} {
		t.Run(first+" first", func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "secret"), []byte(old+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			var sec, tok string
			if first == "secret" {
				sec, tok = mustLoad(t, LoadSecret, dir), mustLoad(t, LoadActionToken, dir)
			} else {
				tok, sec = mustLoad(t, LoadActionToken, dir), mustLoad(t, LoadSecret, dir)
			}
			if tok == old || sec == old || tok == sec {
				t.Fatalf("after migration: token old %v, secret old %v, same %v; want three different values", tok == old, sec == old, tok == sec)
			}
			if mustLoad(t, LoadSecret, dir) != sec || mustLoad(t, LoadActionToken, dir) != tok {
				t.Errorf("a second load after migration changed a secret")
			}
		})
	}
}

func TestRegenerateActionToken(t *testing.T) {
	dir := t.TempDir()
	sec := mustLoad(t, LoadSecret, dir)
	tok := mustLoad(t, LoadActionToken, dir)
	fresh, err := RegenerateActionToken(dir)
	if err != nil || fresh == tok || fresh == sec || len(fresh) < 32 {
		t.Fatalf("RegenerateActionToken() = %q, %v; want a new token", fresh, err)
	}
	if got := mustLoad(t, LoadActionToken, dir); got != fresh {
		t.Errorf("LoadActionToken() after regenerating = %q, want %q", got, fresh)
	}
	if got := mustLoad(t, LoadSecret, dir); got != sec {
		t.Errorf("regenerating the action token changed the IPC secret")
	}
	checkPrivate(t, filepath.Join(dir, ActionTokenFile))
}

// TestActionTokenNeverTheSecret: a token file that holds the IPC secret
// (copied by hand) is replaced.
func TestActionTokenNeverTheSecret(t *testing.T) {
	dir := t.TempDir()
	sec := mustLoad(t, LoadSecret, dir)
	if err := os.WriteFile(filepath.Join(dir, ActionTokenFile), []byte(sec+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if tok := mustLoad(t, LoadActionToken, dir); tok == sec {
		t.Errorf("LoadActionToken() returned the IPC secret")
	}
}
