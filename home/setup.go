package home

import (
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/calldocket/calldocket/settings"
)

// Setup resolves and creates the folders, reads the settings and makes the
// logger (stderr, warnings and up unless CALLDOCKET_LOG says otherwise) for
// a CLI command.
func Setup() (Paths, settings.Settings, *slog.Logger, error) {
	p, err := Resolve()
	if err != nil {
		return p, settings.Settings{}, nil, err
	}
	if err := p.Ensure(); err != nil {
		return p, settings.Settings{}, nil, err
	}
	cfg, _, err := settings.Load(p.ConfigFile())
	if err != nil {
		return p, cfg, nil, err
	}
	return p, cfg, NewLogger(os.Stderr, slog.LevelWarn), nil
}

// NewLogger logs text to w at level def, or at the level CALLDOCKET_LOG
// names (debug, info, warn, error).
func NewLogger(w io.Writer, def slog.Level) *slog.Logger {
	level := def
	switch strings.ToLower(os.Getenv("CALLDOCKET_LOG")) {
	case "debug":
		level = slog.LevelDebug
	case "info":
		level = slog.LevelInfo
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
