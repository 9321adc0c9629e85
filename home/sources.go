package home

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/calldocket/calldocket/ipc"
	"github.com/calldocket/calldocket/keychain"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/ami"
	"github.com/calldocket/calldocket/tapi/hook"
	"github.com/calldocket/calldocket/tapi/sip"
	"github.com/calldocket/calldocket/tapi/wintapi"
)

// NamedSource is a configured call source with the name it logs under.
type NamedSource struct {
	Name   string
	Source tapi.Source
}

// Passwords are the call sources' secrets: from the settings form (a test)
// or the keychain (a run).
type Passwords struct {
	SIP string
	AMI string
}

// SourceFromSettings builds the call source the settings name (a
// settings.Source* key).
func SourceFromSettings(ctx context.Context, key string, s settings.Settings, sec Passwords, link tapi.LinkFunc, log *slog.Logger) (tapi.Source, error) {
	switch key {
	case settings.SourceSIP:
		return sip.New(sip.Config{Server: s.SIP.Server, Transport: s.SIP.Transport, AOR: s.SIP.AOR,
			Username: s.SIP.User, Password: sec.SIP, Expires: s.SIP.Expires(), OnLink: link}, log.With("component", "sip"))
	case settings.SourceAMI:
		return ami.New(ami.Config{Addr: s.AMI.Addr, Username: s.AMI.User, Secret: sec.AMI,
			Extension: s.AMI.Extension, Auth: s.AMI.Auth, TLS: s.AMI.TLS, CAFile: s.AMI.TLSCAFile,
			OnLink: link}, log.With("component", "ami"))
	case settings.SourceTAPI:
		return wintapi.New(wintapi.Config{Line: s.TAPILine, OnLink: link}, log.With("component", "tapi"))
	case settings.SourceDeskPhone:
		if s.DeskPhone.Addr == "" {
			return nil, errors.New("enter the address desk phones send their action URLs to")
		}
		return nil, errors.New("desk phones report calls when they ring: turn the listener on, save, and ring the phone")
	case settings.SourceSandbox, "":
		return nil, errors.New("the Sandbox has no phone to test; use the tray's Simulate incoming call")
	}
	return nil, fmt.Errorf("unknown call source %q", key)
}

// ConfiguredSources are the call sources the settings turn on, besides the
// always-on local hook and (in Sandbox mode) the simulator. link (may be
// nil) hears when a source's connection comes up or goes down, or that it
// could not start. The desk phones' action URLs take their own token from
// p's data folder (ipc.LoadActionToken), never the IPC secret.
func ConfiguredSources(ctx context.Context, cfg settings.Settings, kc *keychain.Store, p Paths, link func(name string) tapi.LinkFunc, log *slog.Logger) []NamedSource {
	if link == nil {
		link = func(string) tapi.LinkFunc { return nil }
	}
	var out []NamedSource
	if cfg.DeskPhone.Enabled {
		if as, err := deskPhoneSource(cfg.DeskPhone, p, log.With("component", "deskphone")); err != nil {
			log.Error("desk-phone action URLs not started", "err", err)
		} else {
			out = append(out, NamedSource{"deskphone", as})
		}
	}
	var sec Passwords
	switch cfg.CallSource {
	case settings.SourceSIP:
		sec.SIP = secretOrEmpty(ctx, kc, keychain.AccountSIP, log)
	case settings.SourceAMI:
		sec.AMI = secretOrEmpty(ctx, kc, keychain.AccountAMI, log)
	case settings.SourceTAPI:
	default:
		return out
	}
	src, err := SourceFromSettings(ctx, cfg.CallSource, cfg, sec, link(cfg.CallSource), log)
	if err != nil {
		log.Error("call source not started", "source", cfg.CallSource, "err", err)
		link(cfg.CallSource).Report(false, "not started: "+err.Error())
		return out
	}
	return append(out, NamedSource{cfg.CallSource, src})
}

// deskPhoneSource is the action-URL listener for d, with the desk phones'
// own token.
func deskPhoneSource(d settings.DeskPhone, p Paths, log *slog.Logger) (*hook.ActionServer, error) {
	if err := p.Ensure(); err != nil {
		return nil, err
	}
	tok, err := ipc.LoadActionToken(p.Data)
	if err != nil {
		return nil, err
	}
	as, err := hook.NewActionServer(d.Addr, tok, log)
	if err != nil {
		return nil, err
	}
	if addr, reach, _ := d.Listen(); reach != settings.ReachThisComputer {
		log.Warn("desk-phone action URLs reachable from the network; phones send their token in clear text", "addr", addr)
	}
	return as, nil
}

// KeychainFor opens the keychain only when the configured source needs a
// password from it (else nil), so a Sandbox run never touches the OS
// keychain.
func KeychainFor(cfg settings.Settings, log *slog.Logger) *keychain.Store {
	if cfg.CallSource == settings.SourceSIP || cfg.CallSource == settings.SourceAMI {
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
