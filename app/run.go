package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/calldocket/calldocket/cli"
)

// Version is set at build time with -ldflags "-X github.com/calldocket/calldocket/app.Version=…".
var Version = "0.1.0-dev"

// Run runs CallDocket with the command-line arguments (without the program
// name) and returns the process exit code: the tray app without a command
// (or with --sandbox), else the command (package cli).
func Run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := dispatch(ctx, args, os.Stdout, os.Stderr)
	if errors.Is(err, errRestart) {
		err = respawn(ctx)
	}
	return cli.Exit(os.Stderr, err)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return runTray(ctx, false)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "--sandbox", "-sandbox":
		if len(rest) > 0 {
			return cli.Usagef("--sandbox takes no further arguments")
		}
		return runTray(ctx, true)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, cli.Usage)
		return nil
	case "version", "--version":
		fmt.Fprintf(stdout, "calldocket %s\n", Version)
		return nil
	case "event":
		return cli.Event(ctx, rest, stdout)
	case "lookup":
		return cli.Lookup(ctx, rest, stdout, stderr)
	case "sync":
		return cli.Sync(ctx, rest, stdout)
	case "log":
		return cli.Log(ctx, rest, stdout)
	case "calls":
		return cli.Calls(ctx, rest, stdout)
	case "settings":
		return cli.Settings(ctx, rest, stdout)
	case "queue":
		return cli.Queue(ctx, rest, stdout)
	case "flush":
		return cli.Flush(ctx, rest, stdout)
	case "status":
		return cli.Status(ctx, rest, stdout)
	case "monitor":
		return cli.Monitor(ctx, rest, stdout)
	case "login":
		return cli.Login(ctx, rest, stdout, stderr)
	case "logout":
		return cli.Logout(ctx, rest, stdout)
	}
	if strings.HasPrefix(cmd, "calldocket:") {
		if len(rest) > 0 {
			return cli.Usagef("a calldocket:// URL takes no further arguments")
		}
		return cli.EventURL(ctx, cmd, stdout)
	}
	if cli.LooksLikeNumber(cmd) && len(rest) == 0 {
		return cli.Event(ctx, []string{"ringing", "--number", cmd}, stdout)
	}
	return cli.Usagef("unknown command %q", cmd)
}
