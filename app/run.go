package app

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/calldocket/calldocket/cli"
)

// Version is set at build time with -ldflags "-X github.com/calldocket/calldocket/app.Version=…".
var Version = "0.1.0-dev"

// Run runs CallDocket with the command-line arguments (without the program
// name) and returns the process exit code: the tray app without a command
// (or with --sandbox), else the command (package cli).
func Run(args []string) int {
	if tray, _ := cli.TrayArgs(args); !tray {
		attachConsole()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := dispatch(ctx, args, os.Stdout, os.Stderr)
	if errors.Is(err, errRestart) {
		err = respawn(ctx)
	}
	return cli.Exit(os.Stderr, err)
}

// dispatch runs the tray app for no arguments or --sandbox alone, and
// hands everything else to package cli, which decides what a bare
// argument (a number, a call URI, a calldocket:// URL) means.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if tray, sandbox := cli.TrayArgs(args); tray {
		return runTray(ctx, sandbox)
	}
	return cli.Run(ctx, args, stdout, stderr, Version)
}
