package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Config is the user's settings, kept as JSON in the config folder.
type Config struct {
	// DefaultRegion is the ISO country used to read numbers written without
	// a country code, e.g. "US".
	DefaultRegion string `json:"default_region"`
	// FirmNumbers are the firm's own numbers; they never match a contact.
	FirmNumbers []string `json:"firm_numbers,omitempty"`
	// MinDigits: numbers shorter than this are internal extensions.
	MinDigits int `json:"min_digits"`
	// DefaultBillable preselects Billable in the wrap-up card's Enter key.
	DefaultBillable bool `json:"default_billable"`
	// PausePopups keeps calls tracked and queued without showing windows.
	PausePopups bool `json:"pause_popups"`
}

func defaultConfig() Config {
	return Config{DefaultRegion: "US", MinDigits: 7}
}

// loadConfig reads the settings, or returns the defaults if none are saved.
func loadConfig(path string) (Config, error) {
	cfg := defaultConfig()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, fmt.Errorf("read settings: %w", err)
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return defaultConfig(), fmt.Errorf("read settings %s: %w", path, err)
	}
	if cfg.DefaultRegion == "" {
		cfg.DefaultRegion = "US"
	}
	if cfg.MinDigits <= 0 {
		cfg.MinDigits = 7
	}
	return cfg, nil
}

func saveConfig(path string, cfg Config) error {
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	return writePrivate(path, append(b, '\n'))
}
