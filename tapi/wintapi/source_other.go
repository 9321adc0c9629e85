//go:build !windows

package wintapi

import (
	"context"
	"log/slog"

	"github.com/calldocket/calldocket/tapi"
)

// Source watches one TAPI line. On this system it cannot be created.
type Source struct{}

// New returns ErrUnsupported: TAPI exists only on Windows.
func New(cfg Config, logger *slog.Logger) (*Source, error) {
	return nil, ErrUnsupported
}

// Lines returns ErrUnsupported: TAPI exists only on Windows.
func Lines(appName string) ([]Line, error) {
	return nil, ErrUnsupported
}

// Run returns ErrUnsupported.
func (s *Source) Run(ctx context.Context, emit func(tapi.Event)) error {
	return ErrUnsupported
}
