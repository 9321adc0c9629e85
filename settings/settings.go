package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Call sources, as the settings offer them.
const (
	SourceSandbox   = "sandbox"   // simulated calls
	SourceSIP       = "sip"       // a SIP account (BLF / dialog-info)
	SourceAMI       = "ami"       // Asterisk Manager Interface
	SourceDeskPhone = "deskphone" // the desk phone's action URLs
	SourceTAPI      = "tapi"      // a Windows TAPI line
)

// Pop timings.
const (
	PopOnRing   = "ring"
	PopOnAnswer = "answer"
)

// DefaultFaxFolder is the fax folder's name unless set otherwise.
const DefaultFaxFolder = "CallDocket Fax"

// Settings is the user's settings, kept as JSON (0600) in the config folder.
type Settings struct {
	// Clio.
	ClioRegion   string `json:"clio_region"` // us, eu, ca, au
	ClioClientID string `json:"clio_client_id,omitempty"`
	// SignedIn: a Clio account is connected (its token is in the keychain).
	// Without it CallDocket runs in Sandbox mode.
	SignedIn     bool `json:"signed_in"`
	RedirectPort int  `json:"redirect_port"`

	// Call sources.
	CallSource string    `json:"call_source"` // Source* keys
	SIP        SIP       `json:"sip"`
	AMI        AMI       `json:"ami"`
	DeskPhone  DeskPhone `json:"desk_phone"`
	TAPILine   string    `json:"tapi_line,omitempty"`

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
	// TimeZone is the IANA zone a time entry's date is taken in (the
	// user's Clio time zone); empty means the computer's.
	TimeZone string `json:"time_zone,omitempty"`

	// Desktop.
	StartAtLogin     bool   `json:"start_at_login"`
	PopTiming        string `json:"pop_timing"` // ring or answer
	Notifications    bool   `json:"notifications"`
	EndOfDayReminder bool   `json:"end_of_day_reminder"`
	ReminderTime     string `json:"reminder_time"` // 17:30
	PausePopups      bool   `json:"pause_popups"`
}

// SIP is the PBX the dialog-event watcher subscribes to.
type SIP struct {
	Server    string `json:"server,omitempty"`
	Transport string `json:"transport,omitempty"`
	AOR       string `json:"aor,omitempty"`
	User      string `json:"user,omitempty"`
	// ExpiresSeconds is the subscription lifetime asked of the PBX
	// (DefaultSIPExpiresSeconds; MinSIPExpiresSeconds to
	// MaxSIPExpiresSeconds). The watcher checks the subscription every few
	// seconds whatever it is; it bounds how long a PBX keeps notifying a
	// watcher that went away without un-subscribing.
	ExpiresSeconds int `json:"expires_seconds"`
}

// Bounds of SIP.ExpiresSeconds.
const (
	DefaultSIPExpiresSeconds = 600
	MinSIPExpiresSeconds     = 60
	MaxSIPExpiresSeconds     = 86400
)

// Expires is the SIP subscription lifetime to ask for.
func (s SIP) Expires() time.Duration { return time.Duration(s.ExpiresSeconds) * time.Second }

// AMI is the Asterisk Manager Interface connection.
type AMI struct {
	Addr      string `json:"addr,omitempty"`
	User      string `json:"user,omitempty"`
	Extension string `json:"extension,omitempty"`
	// Auth is the login method: "" or "auto" (MD5 challenge when the
	// server offers it, else the plain secret), "md5" or "plain".
	Auth string `json:"auth,omitempty"`
	// TLS connects with TLS (Asterisk's tlsenable, usually port 5039).
	TLS bool `json:"tls"`
	// TLSCAFile is a PEM file of the CA to trust for the PBX's certificate
	// instead of the system's roots (or the PBX's self-signed certificate).
	TLSCAFile string `json:"tls_ca_file,omitempty"`
}

// AMI login methods (AMI.Auth); empty means automatic.
const (
	AMIAuthAuto  = ""
	AMIAuthMD5   = "md5"
	AMIAuthPlain = "plain"
)

// DeskPhone turns on the plain-HTTP action-URL listener for desk phones.
type DeskPhone struct {
	Enabled bool   `json:"enabled"`
	Addr    string `json:"addr,omitempty"`
}

// Default returns the settings of a new installation.
func Default() Settings {
	return Settings{
		ClioRegion:           "us",
		RedirectPort:         53682,
		CallSource:           SourceSandbox,
		SIP:                  SIP{ExpiresSeconds: DefaultSIPExpiresSeconds},
		DefaultRegion:        "US",
		MinDigits:            7,
		SyncIntervalMinutes:  5,
		IncrementMinutes:     6,
		LogMissedCalls:       true,
		ConfirmWithinMinutes: 10,
		MatterAssociation:    true,
		SMSLogging:           true,
		FaxFolderName:        DefaultFaxFolder,
		PopTiming:            PopOnRing,
		Notifications:        true,
		ReminderTime:         "17:30",
	}
}

// Normalize fills what an older or hand-edited file left out, and clamps
// values no form would produce.
func (s *Settings) Normalize() {
	d := Default()
	if s.DefaultRegion == "" {
		s.DefaultRegion = d.DefaultRegion
	}
	if s.MinDigits <= 0 {
		s.MinDigits = d.MinDigits
	}
	if s.SyncIntervalMinutes <= 0 {
		s.SyncIntervalMinutes = d.SyncIntervalMinutes
	}
	if s.IncrementMinutes <= 0 {
		s.IncrementMinutes = d.IncrementMinutes
	}
	if s.MinDurationS < 0 {
		s.MinDurationS = 0
	}
	if s.ConfirmWithinMinutes <= 0 {
		s.ConfirmWithinMinutes = d.ConfirmWithinMinutes
	}
	if s.RedirectPort <= 0 || s.RedirectPort > 65535 {
		s.RedirectPort = d.RedirectPort
	}
	if s.FaxFolderName == "" {
		s.FaxFolderName = d.FaxFolderName
	}
	if s.PopTiming != PopOnAnswer {
		s.PopTiming = PopOnRing
	}
	if s.ReminderTime == "" {
		s.ReminderTime = d.ReminderTime
	}
	if s.ClioRegion == "" {
		s.ClioRegion = d.ClioRegion
	}
	if s.CallSource == "" {
		s.CallSource = d.CallSource
	}
	if s.SIP.ExpiresSeconds == 0 { // a file from before the setting
		s.SIP.ExpiresSeconds = d.SIP.ExpiresSeconds
	}
}

// Increment is the billing increment the wrap-up previews.
func (s Settings) Increment() time.Duration { return time.Duration(s.IncrementMinutes) * time.Minute }

// MinDuration is the shortest call that gets a time entry.
func (s Settings) MinDuration() time.Duration { return time.Duration(s.MinDurationS) * time.Second }

// ConfirmWithin is how long a call may wait on the pop before it moves to Review.
func (s Settings) ConfirmWithin() time.Duration {
	return time.Duration(s.ConfirmWithinMinutes) * time.Minute
}

// Location is the zone a time entry's date is taken in.
func (s Settings) Location() *time.Location {
	if s.TimeZone != "" {
		if loc, err := time.LoadLocation(s.TimeZone); err == nil {
			return loc
		}
	}
	return time.Local
}

// FaxFolder is the fax folder's name, never empty.
func (s Settings) FaxFolder() string {
	if s.FaxFolderName == "" {
		return DefaultFaxFolder
	}
	return s.FaxFolderName
}

// Clone returns a copy that shares no slices with s.
func (s Settings) Clone() Settings {
	s.FirmNumbers = append([]string(nil), s.FirmNumbers...)
	return s
}

// Load reads the settings at path, or returns the defaults if none are
// saved; first says no settings file existed (the first run). Values the
// form would refuse (settings.Validate) are replaced by their defaults and
// reported as a *FileError naming each field, together with the settings
// so repaired: a caller that can go on with them (the tray app) may, one
// that should not (a command) reports the error. The file is never
// rewritten here.
func Load(path string) (s Settings, first bool, err error) {
	s = Default()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, true, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("read settings: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return Default(), false, fmt.Errorf("read settings %s: %w (fix or delete the file)", path, err)
	}
	s.fillBlank()
	problems := s.repair()
	s.Normalize()
	if len(problems) > 0 {
		return s, false, &FileError{Path: path, Problems: problems}
	}
	return s, false, nil
}

// Save writes s to path, readable only by its owner, atomically.
func Save(path string, s Settings) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	return WritePrivate(path, append(b, '\n'))
}

// WritePrivate writes a file readable only by its owner, atomically.
func WritePrivate(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return nil
}

// ReminderDue says whether the end-of-day reminder is due at now, given the
// day (YYYY-MM-DD) it was last given; day is today's, to remember once it is
// given. It is never due with the reminder or notifications off, before the
// reminder time, or twice a day.
func (s Settings) ReminderDue(now time.Time, lastDay string) (day string, due bool) {
	day = now.Format(time.DateOnly)
	if !s.EndOfDayReminder || !s.Notifications || lastDay == day {
		return day, false
	}
	at, err := time.ParseInLocation("15:04", s.ReminderTime, now.Location())
	if err != nil {
		return day, false
	}
	return day, now.Hour()*60+now.Minute() >= at.Hour()*60+at.Minute()
}
