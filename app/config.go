package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/calldocket/calldocket/ui"
)

// Config is the user's settings, kept as JSON (0600) in the config folder.
// Secrets (the Clio client secret, SIP and AMI passwords, tokens) are never
// here: they live in the OS keychain.
type Config struct {
	// Clio.
	ClioRegion   string `json:"clio_region"` // us, eu, ca, au
	ClioClientID string `json:"clio_client_id,omitempty"`
	// SignedIn: a Clio account is connected (its token is in the keychain).
	// Without it CallDocket runs in Sandbox mode.
	SignedIn     bool `json:"signed_in"`
	RedirectPort int  `json:"redirect_port"`

	// Call sources.
	CallSource string       `json:"call_source"` // ui.Source* keys
	SIP        SIPConfig    `json:"sip"`
	AMI        AMIConfig    `json:"ami"`
	DeskPhone  DeskPhoneCfg `json:"desk_phone"`
	TAPILine   string       `json:"tapi_line,omitempty"`

	// Matching.
	DefaultRegion string   `json:"default_region"` // ISO country for numbers without a country code
	FirmNumbers   []string `json:"firm_numbers,omitempty"`
	MinDigits     int      `json:"min_digits"` // shorter numbers are internal extensions
	// FirmNumbersFromClio: FirmNumbers were prefilled once from the firm's
	// Clio users; the attorney may edit them afterwards.
	FirmNumbersFromClio bool `json:"firm_numbers_from_clio,omitempty"`
	// SyncIntervalMinutes: how often the directory picks up Clio changes.
	SyncIntervalMinutes int `json:"sync_interval_minutes"`

	// Billing.
	DefaultBillable      bool `json:"default_billable"`
	IncrementMinutes     int  `json:"increment_minutes"`
	MinDurationS         int  `json:"min_duration_s"`
	LogMissedCalls       bool `json:"log_missed_calls"`
	ConfirmWithinMinutes int  `json:"confirm_within_minutes"`

	// The seeds' options.
	ExclusiveContactAssociation bool   `json:"exclusive_contact_association"`
	ContactCreation             bool   `json:"contact_creation"`
	MatterAssociation           bool   `json:"matter_association"`
	SMSLogging                  bool   `json:"sms_logging"`
	SMSDailyDigest              bool   `json:"sms_daily_digest"`
	FaxFolderName               string `json:"fax_folder_name"`
	WatchedFolder               string `json:"watched_folder,omitempty"`

	// Desktop.
	StartAtLogin     bool   `json:"start_at_login"`
	PopTiming        string `json:"pop_timing"` // ring or answer
	Notifications    bool   `json:"notifications"`
	EndOfDayReminder bool   `json:"end_of_day_reminder"`
	ReminderTime     string `json:"reminder_time"` // 17:30
	PausePopups      bool   `json:"pause_popups"`
}

// SIPConfig is the PBX the dialog-event watcher subscribes to.
type SIPConfig struct {
	Server    string `json:"server,omitempty"`
	Transport string `json:"transport,omitempty"`
	AOR       string `json:"aor,omitempty"`
	User      string `json:"user,omitempty"`
}

// AMIConfig is the Asterisk Manager Interface connection.
type AMIConfig struct {
	Addr      string `json:"addr,omitempty"`
	User      string `json:"user,omitempty"`
	Extension string `json:"extension,omitempty"`
}

// DeskPhoneCfg turns on the plain-HTTP action-URL listener for desk phones.
type DeskPhoneCfg struct {
	Enabled bool   `json:"enabled"`
	Addr    string `json:"addr,omitempty"`
}

func defaultConfig() Config {
	return Config{
		ClioRegion:           "us",
		RedirectPort:         53682,
		CallSource:           ui.SourceSandbox,
		DefaultRegion:        "US",
		MinDigits:            7,
		SyncIntervalMinutes:  5,
		IncrementMinutes:     6,
		LogMissedCalls:       true,
		ConfirmWithinMinutes: 10,
		MatterAssociation:    true,
		SMSLogging:           true,
		FaxFolderName:        "CallDocket Fax",
		PopTiming:            ui.PopOnRing,
		Notifications:        true,
		ReminderTime:         "17:30",
	}
}

// normalize fills what an older or hand-edited file left out.
func (c *Config) normalize() {
	d := defaultConfig()
	if c.DefaultRegion == "" {
		c.DefaultRegion = d.DefaultRegion
	}
	if c.MinDigits <= 0 {
		c.MinDigits = d.MinDigits
	}
	if c.SyncIntervalMinutes <= 0 {
		c.SyncIntervalMinutes = d.SyncIntervalMinutes
	}
	if c.IncrementMinutes <= 0 {
		c.IncrementMinutes = d.IncrementMinutes
	}
	if c.MinDurationS < 0 {
		c.MinDurationS = 0
	}
	if c.ConfirmWithinMinutes <= 0 {
		c.ConfirmWithinMinutes = d.ConfirmWithinMinutes
	}
	if c.RedirectPort <= 0 || c.RedirectPort > 65535 {
		c.RedirectPort = d.RedirectPort
	}
	if c.FaxFolderName == "" {
		c.FaxFolderName = d.FaxFolderName
	}
	if c.PopTiming != ui.PopOnAnswer {
		c.PopTiming = ui.PopOnRing
	}
	if c.ReminderTime == "" {
		c.ReminderTime = d.ReminderTime
	}
	if c.ClioRegion == "" {
		c.ClioRegion = d.ClioRegion
	}
	if c.CallSource == "" {
		c.CallSource = d.CallSource
	}
}

// deliveryOptions are the settings that shape what reaches Clio.
func (c Config) deliveryOptions() DeliveryOptions {
	o := defaultDeliveryOptions()
	o.ExclusiveContactAssociation = c.ExclusiveContactAssociation
	o.ContactCreation = c.ContactCreation
	o.MatterAssociation = c.MatterAssociation
	o.MinDurationS = int64(c.MinDurationS)
	o.DefaultBillable = c.DefaultBillable
	o.LogMissedCalls = c.LogMissedCalls
	o.FaxFolder = c.FaxFolderName
	return o
}

func (c Config) increment() time.Duration { return time.Duration(c.IncrementMinutes) * time.Minute }
func (c Config) confirmWithin() time.Duration {
	return time.Duration(c.ConfirmWithinMinutes) * time.Minute
}

// loadConfig reads the settings, or returns the defaults if none are saved.
// first says no settings file existed (the first run).
func loadConfig(path string) (cfg Config, first bool, err error) {
	cfg = defaultConfig()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, true, nil
	}
	if err != nil {
		return cfg, false, fmt.Errorf("read settings: %w", err)
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return defaultConfig(), false, fmt.Errorf("read settings %s: %w", path, err)
	}
	cfg.normalize()
	return cfg, false, nil
}

func saveConfig(path string, cfg Config) error {
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	return writePrivate(path, append(b, '\n'))
}

// settingsValues is what the settings form shows (secrets are filled in by
// the caller from the keychain).
func (c Config) settingsValues() ui.SettingsValues {
	return ui.SettingsValues{
		ClioRegion:   upper(c.ClioRegion),
		ClioClientID: c.ClioClientID,

		CallSource:       c.CallSource,
		SIPServer:        c.SIP.Server,
		SIPTransport:     c.SIP.Transport,
		SIPAOR:           c.SIP.AOR,
		SIPUser:          c.SIP.User,
		AMIHost:          c.AMI.Addr,
		AMIUser:          c.AMI.User,
		AMIExtension:     c.AMI.Extension,
		DeskPhoneEnabled: c.DeskPhone.Enabled,
		DeskPhoneAddress: c.DeskPhone.Addr,
		TAPILine:         c.TAPILine,

		DefaultRegion:   c.DefaultRegion,
		FirmNumbers:     c.FirmNumbers,
		ExtensionLength: c.MinDigits - 1,

		DefaultBillable: c.DefaultBillable,
		Increment:       c.increment(),
		MinDuration:     time.Duration(c.MinDurationS) * time.Second,
		LogMissedCalls:  c.LogMissedCalls,
		ConfirmWithin:   c.confirmWithin(),

		ExclusiveContactAssociation: c.ExclusiveContactAssociation,
		ContactCreation:             c.ContactCreation,
		MatterAssociation:           c.MatterAssociation,
		SMSLogging:                  c.SMSLogging,
		SMSDailyDigest:              c.SMSDailyDigest,
		FaxFolderName:               c.FaxFolderName,
		WatchedFolder:               c.WatchedFolder,

		StartAtLogin:     c.StartAtLogin,
		PopTiming:        c.PopTiming,
		Notifications:    c.Notifications,
		EndOfDayReminder: c.EndOfDayReminder,
		ReminderTime:     c.ReminderTime,
	}
}

// applySettings copies validated form values into the config (not secrets).
func (c *Config) applySettings(v ui.SettingsValues) {
	c.ClioRegion = lower(v.ClioRegion)
	c.ClioClientID = v.ClioClientID
	c.CallSource = v.CallSource
	c.SIP = SIPConfig{Server: v.SIPServer, Transport: v.SIPTransport, AOR: v.SIPAOR, User: v.SIPUser}
	c.AMI = AMIConfig{Addr: v.AMIHost, User: v.AMIUser, Extension: v.AMIExtension}
	c.DeskPhone = DeskPhoneCfg{Enabled: v.DeskPhoneEnabled, Addr: v.DeskPhoneAddress}
	c.TAPILine = v.TAPILine
	c.DefaultRegion = v.DefaultRegion
	c.FirmNumbers = v.FirmNumbers
	c.MinDigits = v.ExtensionLength + 1
	c.DefaultBillable = v.DefaultBillable
	c.IncrementMinutes = int(v.Increment / time.Minute)
	c.MinDurationS = int(v.MinDuration / time.Second)
	c.LogMissedCalls = v.LogMissedCalls
	c.ConfirmWithinMinutes = int(v.ConfirmWithin / time.Minute)
	c.ExclusiveContactAssociation = v.ExclusiveContactAssociation
	c.ContactCreation = v.ContactCreation
	c.MatterAssociation = v.MatterAssociation
	c.SMSLogging = v.SMSLogging
	c.SMSDailyDigest = v.SMSDailyDigest
	c.FaxFolderName = v.FaxFolderName
	c.WatchedFolder = v.WatchedFolder
	c.StartAtLogin = v.StartAtLogin
	c.PopTiming = v.PopTiming
	c.Notifications = v.Notifications
	c.EndOfDayReminder = v.EndOfDayReminder
	c.ReminderTime = v.ReminderTime
	c.normalize()
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
