package auth

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// browserGrace: an opener still running after this is taken to have
// started the browser in the foreground.
const browserGrace = 3 * time.Second

// OpenBrowser opens an http(s) URL in the user's browser: $BROWSER when
// set, else xdg-open, rundll32's FileProtocolHandler or open. It runs the
// program directly, never through a shell.
func OpenBrowser(ctx context.Context, rawURL string) error {
	if err := CheckOpenURL(rawURL); err != nil {
		return err
	}
	name, args := browserCommand(runtime.GOOS, os.Getenv("BROWSER"), rawURL)
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(browserGrace)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	case <-timer.C: // a browser running in the foreground
		return nil
	case <-ctx.Done():
		return nil
	}
}

// browserCommand picks the program that opens rawURL. $BROWSER may list
// several commands separated by ':' (not on Windows, where ':' belongs to
// drive letters); the first is used, split on spaces.
func browserCommand(goos, browserEnv, rawURL string) (string, []string) {
	first := browserEnv
	if goos != "windows" {
		first, _, _ = strings.Cut(browserEnv, ":")
	}
	if strings.TrimSpace(first) != "" {
		f := strings.Fields(first)
		return f[0], append(f[1:], rawURL)
	}
	switch goos {
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", rawURL}
	case "darwin":
		return "open", []string{rawURL}
	}
	return "xdg-open", []string{rawURL}
}
