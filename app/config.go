package app

import (
	"github.com/calldocket/calldocket/settings"
)

// Config is the user's settings; settings.Settings is its one shape.
type Config = settings.Settings

func defaultConfig() Config { return settings.Default() }

// loadConfig reads the settings, or returns the defaults if none are saved.
// first says no settings file existed (the first run).
func loadConfig(path string) (Config, bool, error) { return settings.Load(path) }

func saveConfig(path string, cfg Config) error { return settings.Save(path, cfg) }

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
