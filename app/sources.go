package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/calldocket/calldocket/keychain"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/ami"
	"github.com/calldocket/calldocket/tapi/hook"
	"github.com/calldocket/calldocket/tapi/sip"
	"github.com/calldocket/calldocket/tapi/wintapi"
	"github.com/calldocket/calldocket/ui"
)

type tapiEvent = tapi.Event

// namedSource is a configured call source with the name it logs under.
type namedSource struct {
	name string
	src  tapi.Source
}

// sourceFromSettings builds the call source the settings name. Passwords
// come from the form (a test) or the keychain (a run).
func sourceFromSettings(ctx context.Context, key string, s Config, sec ui.Secrets, link tapi.LinkFunc, log *slog.Logger) (tapi.Source, error) {
	switch key {
	case ui.SourceSIP:
		return sip.New(sip.Config{Server: s.SIP.Server, Transport: s.SIP.Transport, AOR: s.SIP.AOR,
			Username: s.SIP.User, Password: sec.SIPPassword, OnLink: link}, log.With("component", "sip"))
	case ui.SourceAMI:
		return ami.New(ami.Config{Addr: s.AMI.Addr, Username: s.AMI.User, Secret: sec.AMIPassword,
			Extension: s.AMI.Extension, OnLink: link}, log.With("component", "ami"))
	case ui.SourceTAPI:
		return wintapi.New(wintapi.Config{Line: s.TAPILine}, log.With("component", "tapi"))
	case ui.SourceDeskPhone:
		if s.DeskPhone.Addr == "" {
			return nil, errors.New("enter the address desk phones send their action URLs to")
		}
		return nil, errors.New("desk phones report calls when they ring: turn the listener on, save, and ring the phone")
	case ui.SourceSandbox, "":
		return nil, errors.New("the Sandbox has no phone to test; use the tray's Simulate incoming call")
	}
	return nil, fmt.Errorf("unknown call source %q", key)
}

// configuredSources are the call sources the settings turn on, besides the
// always-on local hook and (in Sandbox mode) the simulator. link (may be
// nil) hears when a source's connection comes up or goes down, or that it
// could not start.
func configuredSources(ctx context.Context, cfg Config, kc *keychain.Store, secret string, link func(name string) tapi.LinkFunc, log *slog.Logger) []namedSource {
	if link == nil {
		link = func(string) tapi.LinkFunc { return nil }
	}
	var out []namedSource
	if cfg.DeskPhone.Enabled {
		as, err := hook.NewActionServer(cfg.DeskPhone.Addr, secret, log.With("component", "deskphone"))
		if err != nil {
			log.Error("desk-phone action URLs not started", "err", err)
		} else {
			out = append(out, namedSource{"deskphone", as})
		}
	}
	var sec ui.Secrets
	switch cfg.CallSource {
	case ui.SourceSIP:
		sec.SIPPassword = secretOrEmpty(ctx, kc, keychain.AccountSIP, log)
	case ui.SourceAMI:
		sec.AMIPassword = secretOrEmpty(ctx, kc, keychain.AccountAMI, log)
	case ui.SourceTAPI:
	default:
		return out
	}
	src, err := sourceFromSettings(ctx, cfg.CallSource, cfg, sec, link(cfg.CallSource), log)
	if err != nil {
		log.Error("call source not started", "source", cfg.CallSource, "err", err)
		link(cfg.CallSource).Report(false, "not started: "+err.Error())
		return out
	}
	return append(out, namedSource{cfg.CallSource, src})
}

// describeEvent is one line of Settings → Test connection, with the number
// masked like the log.
func describeEvent(ev tapi.Event, region string) string {
	number := ev.Remote
	if e, err := phone.Normalize(ev.Remote, region); err == nil {
		number = e
	}
	return fmt.Sprintf("%s  %s  %s call %s  (%s)", ev.At.Format(time.TimeOnly), ev.State, ev.Direction,
		phone.Mask(number), ev.Source)
}

// newKeychainIf opens the keychain only when a configured source needs a
// password from it, so a Sandbox run never touches the OS keychain.
func newKeychainIf(cfg Config, log *slog.Logger) *keychain.Store {
	if cfg.CallSource == ui.SourceSIP || cfg.CallSource == ui.SourceAMI {
		return keychain.New(log)
	}
	return nil
}

// secretOrEmpty reads a call source's password; without one the source may
// still work (no digest challenge) or reports the challenge it cannot answer.
func secretOrEmpty(ctx context.Context, kc *keychain.Store, account string, log *slog.Logger) string {
	if kc == nil {
		return ""
	}
	s, err := kc.Get(ctx, account)
	if err != nil && !errors.Is(err, keychain.ErrNotFound) {
		log.Warn("read a call source's password from the keychain", "account", account, "err", err)
	}
	return s
}
