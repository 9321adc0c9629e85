package auth

import (
	"context"
	"strings"
	"testing"
)

func TestBrowserCommand(t *testing.T) {
	const u = "https://app.clio.com/oauth/authorize?x=1"
	tests := []struct {
		goos, env string
		want      []string
	}{
		{"linux", "", []string{"xdg-open", u}},
		{"freebsd", "", []string{"xdg-open", u}},
		{"windows", "", []string{"rundll32", "url.dll,FileProtocolHandler", u}},
		{"darwin", "", []string{"open", u}},
		{"linux", "firefox --new-window", []string{"firefox", "--new-window", u}},
		{"linux", "chromium:firefox", []string{"chromium", u}},
		{"linux", "  ", []string{"xdg-open", u}},
		{"windows", `C:\Browsers\chrome.exe`, []string{`C:\Browsers\chrome.exe`, u}},
	}
	for _, tt := range tests {
		t.Run(tt.goos+" "+tt.env, func(t *testing.T) {
			name, args := browserCommand(tt.goos, tt.env, u)
			got := append([]string{name}, args...)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("browserCommand(%q, %q) = %q, want %q", tt.goos, tt.env, got, tt.want)
			}
		})
	}
}

func TestOpenBrowser(t *testing.T) {
	t.Setenv("BROWSER", "true")
	ctx := context.Background()
	for _, bad := range []string{"file:///etc/passwd", "calldocket://call?number=1", "--help", ""} {
		if err := OpenBrowser(ctx, bad); err == nil {
			t.Errorf("OpenBrowser(%q) = nil, want a refusal", bad)
		}
	}
	if err := OpenBrowser(ctx, "https://app.clio.com/"); err != nil {
		t.Errorf("OpenBrowser(https) with BROWSER=true error = %v", err)
	}
	t.Setenv("BROWSER", "false")
	if err := OpenBrowser(ctx, "https://app.clio.com/"); err == nil {
		t.Errorf("OpenBrowser() with a failing opener error = nil, want the failure")
	}
	t.Setenv("BROWSER", "/nonexistent/browser")
	if err := OpenBrowser(ctx, "https://app.clio.com/"); err == nil {
		t.Errorf("OpenBrowser() with a missing opener error = nil, want the failure")
	}
}
