//go:build windows

package home

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/wintapi"
)

// TestTAPISourceTestWithoutProvider is Settings → Test connection with the
// TAPI source on a machine that has no TAPI provider (Wine's tapi32 is
// such a machine; make test-windows runs this test there): the real
// tapi32.dll is loaded and called, and the attorney reads one clear line,
// with no crash and no endless "Listening…".
func TestTAPISourceTestWithoutProvider(t *testing.T) {
	if lines, err := wintapi.Lines(""); err == nil && len(lines) > 0 {
		t.Skipf("this computer has %d TAPI lines", len(lines))
	}
	var got []string
	emit := func(line string) { got = append(got, line) }
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	test := NewSourceTest(emit)
	src, err := SourceFromSettings(ctx, settings.SourceTAPI, settings.Settings{}, Passwords{}, test.Link, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("SourceFromSettings(tapi) = %v; want a source (tapi32.dll loads)", err)
	}
	err = src.Run(ctx, func(tapi.Event) {})
	if !errors.Is(err, wintapi.ErrLineNotFound) {
		t.Fatalf("Run = %v, want %v", err, wintapi.ErrLineNotFound)
	}
	test.Stopped(err)
	if len(got) != 1 || !strings.Contains(got[0], "This computer has no TAPI line") {
		t.Errorf("Test connection said %q, want the one no-TAPI-line explanation", got)
	}
	t.Logf("Test connection: %q", got)
}
