package cli

import (
	"context"
	"os"
	"os/exec"

	"github.com/calldocket/calldocket/home"
)

// startApp is startTray; tests replace it.
var startApp = startTray

// startTray starts the tray app in the background, detached from this
// command (a softphone hook or a URL handler must return at once).
func startTray(ctx context.Context) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if err := home.CheckDisplay(); err != nil {
		return err
	}
	cmd := exec.CommandContext(context.WithoutCancel(ctx), exe)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
