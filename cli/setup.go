package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/settings"
)

// warnings is where a lenient command warns about bad values in the
// settings file; a variable so tests can catch it.
var warnings io.Writer = os.Stderr

// setupLenient is home.Setup for the commands that record calls (a
// softphone's hook must never lose a call to a typo in config.json) or fix
// settings: bad values in the settings file get their defaults, with a
// warning on stderr naming them, as in the tray app. Every other command
// stops on them (exit 2). bad is the refused file, if any.
func setupLenient() (p home.Paths, cfg settings.Settings, log *slog.Logger, bad *settings.FileError, err error) {
	p, cfg, log, err = home.Setup()
	if errors.As(err, &bad) {
		fmt.Fprintf(warnings, "calldocket: warning: %v (using their defaults)\n", bad)
		return p, cfg, home.NewLogger(os.Stderr, slog.LevelWarn), bad, nil
	}
	return p, cfg, log, nil, err
}
