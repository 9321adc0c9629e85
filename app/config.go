package app

import (
	"time"

	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/ui"
)

// Config is the user's settings; settings.Settings is its one shape.
type Config = settings.Settings

func defaultConfig() Config { return settings.Default() }

// loadConfig reads the settings, or returns the defaults if none are saved.
// first says no settings file existed (the first run).
func loadConfig(path string) (Config, bool, error) { return settings.Load(path) }

func saveConfig(path string, cfg Config) error { return settings.Save(path, cfg) }

// settingsValues is what the settings form shows (secrets are filled in by
// the caller from the keychain).
func settingsValues(c Config) ui.SettingsValues {
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
		Increment:       c.Increment(),
		MinDuration:     time.Duration(c.MinDurationS) * time.Second,
		LogMissedCalls:  c.LogMissedCalls,
		ConfirmWithin:   c.ConfirmWithin(),

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
func applySettings(c *Config, v ui.SettingsValues) {
	c.ClioRegion = lower(v.ClioRegion)
	c.ClioClientID = v.ClioClientID
	c.CallSource = v.CallSource
	c.SIP = settings.SIP{Server: v.SIPServer, Transport: v.SIPTransport, AOR: v.SIPAOR, User: v.SIPUser}
	c.AMI = settings.AMI{Addr: v.AMIHost, User: v.AMIUser, Extension: v.AMIExtension}
	c.DeskPhone = settings.DeskPhone{Enabled: v.DeskPhoneEnabled, Addr: v.DeskPhoneAddress}
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
	c.Normalize()
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
