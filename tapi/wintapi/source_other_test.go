//go:build !windows

package wintapi

import (
	"errors"
	"testing"
)

func TestNewUnsupported(t *testing.T) {
	if _, err := New(Config{}, nil); !errors.Is(err, ErrUnsupported) || err.Error() != "Windows TAPI is only available on Windows" {
		t.Errorf("New() error = %v, want ErrUnsupported", err)
	}
	if _, err := Lines(""); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Lines() error = %v, want ErrUnsupported", err)
	}
}
