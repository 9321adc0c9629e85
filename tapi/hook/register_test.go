package hook

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWindowsCommand(t *testing.T) {
	got := windowsCommand(`C:\Users\Ann Lee\AppData\Local\CallDocket\calldocket.exe`)
	want := `"C:\Users\Ann Lee\AppData\Local\CallDocket\calldocket.exe" "%1"`
	if got != want {
		t.Errorf("windowsCommand() = %s, want %s", got, want)
	}
}

func TestDesktopQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/usr/bin/calldocket", `"/usr/bin/calldocket"`},
		{"/home/ann lee/bin/calldocket", `"/home/ann lee/bin/calldocket"`},
		{`/opt/a"b$c` + "`d", `"/opt/a\\"b\\$c\\` + "`" + `d"`},
		{`/opt/back\slash`, `"/opt/back\\\\slash"`},
		{"/opt/100%/calldocket", `"/opt/100%%/calldocket"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := desktopQuote(tt.in); got != tt.want {
				t.Errorf("desktopQuote(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestRegisterDesktopFile(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("freedesktop registration only")
	}
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("PATH", t.TempDir()) // no xdg-mime: the file alone must do
	if err := Register("calldocket"); err == nil {
		t.Errorf("Register(relative path) = nil, want an error")
	}
	exe := "/opt/Call Docket/calldocket"
	if err := Register(exe); err != nil {
		t.Fatalf("Register(%q) = %v", exe, err)
	}
	path := filepath.Join(data, "applications", DesktopID)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"MimeType=x-scheme-handler/calldocket;\n", `Exec="/opt/Call Docket/calldocket" %u` + "\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s = %q, want it to contain %q", DesktopID, b, want)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode of %s = %v, %v, want 0600", path, fi.Mode().Perm(), err)
	}
	// Again, e.g. after the binary moved: overwritten, not an error.
	if err := Register("/usr/bin/calldocket"); err != nil {
		t.Fatalf("second Register() = %v", err)
	}
	if err := Unregister(); err != nil {
		t.Fatalf("Unregister() = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("after Unregister, stat %s = %v, want not exist", path, err)
	}
	if err := Unregister(); err != nil {
		t.Errorf("second Unregister() = %v, want nil", err)
	}
}
