package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio/auth"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/keychain"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/ui"
)

// errRestart asks Run to start CallDocket again once the tray app has shut
// down, e.g. to leave or enter the Sandbox after connecting to Clio.
var errRestart = errors.New("restart requested")

// saveSecrets keeps the passwords typed in Settings in the OS keychain,
// never in the settings file.
func (g *gui) saveSecrets(sec ui.Secrets) {
	go func() {
		kc := keychain.New(g.log)
		for account, secret := range map[string]string{
			keychain.AccountClientSecret: sec.ClioClientSecret,
			keychain.AccountSIP:          sec.SIPPassword,
			keychain.AccountAMI:          sec.AMIPassword,
		} {
			if secret == "" {
				continue
			}
			if err := kc.Set(g.ctx, account, secret); err != nil {
				g.log.Warn("save a password in the keychain", "account", account, "err", err)
				g.Notify("CallDocket could not save a password", err.Error())
				return
			}
		}
	}()
}

// connect runs the Clio sign-in from Settings, then restarts CallDocket
// connected to the firm's account.
func (g *gui) connect(s Config, sec ui.Secrets) {
	kc := keychain.New(g.log)
	res, err := home.ConnectClio(g.ctx, kc, home.LoginRequest{
		Region: s.ClioRegion, ClientID: s.ClioClientID, ClientSecret: sec.ClioClientSecret,
		Port: g.svc.config().RedirectPort,
	}, func(u string) error { return auth.OpenBrowser(g.ctx, u) }, g.log)
	if err != nil {
		g.log.Warn("connect to Clio", "err", err)
		g.Notify("CallDocket could not connect to Clio", err.Error())
		return
	}
	name := ""
	if res.User != nil {
		name = res.User.Name
	}
	g.svc.update(func(c *Config) {
		c.SignedIn = true
		c.ClioRegion = strings.ToLower(res.Region.Code)
	})
	g.Notify("Connected to Clio", "Signed in as "+name+". CallDocket restarts to use your firm's data.")
	g.do(func() {
		if g.form != nil {
			g.form.SetSignedIn(name)
		}
		g.restart()
	})
}

// disconnect revokes the token, forgets it, and restarts in Sandbox mode.
func (g *gui) disconnect() {
	g.svc.update(func(c *Config) { c.SignedIn = false }) // back to the Sandbox next start, whatever happens below
	if _, err := home.SignOut(g.ctx, keychain.New(g.log), g.log); err != nil {
		g.log.Warn("disconnect from Clio", "err", err)
		g.Notify("CallDocket could not disconnect cleanly", err.Error())
	}
	g.do(func() {
		if g.form != nil {
			g.form.SetSignedIn("")
		}
		g.restart()
	})
}

// restart quits the tray app and asks Run to start it again.
func (g *gui) restart() {
	g.restarting.Store(true)
	g.fa.Quit()
}

// respawn starts a new CallDocket with the same arguments, detached.
func respawn(ctx context.Context) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(context.WithoutCancel(ctx), exe, os.Args[1:]...)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

// testConnection backs Settings → "Test connection": it runs the chosen call
// source with the form's values and prints whether it connected (or why
// not: a refusal, no answer, a wrong password), then each event it reports.
func (g *gui) testConnection(source string, s Config, sec ui.Secrets, emit func(line string)) (stop func()) {
	ctx, cancel := context.WithCancel(g.ctx)
	go func() {
		test := home.NewSourceTest(emit)
		src, err := home.SourceFromSettings(ctx, source, s, home.Passwords{SIP: sec.SIPPassword, AMI: sec.AMIPassword}, test.Link, g.log)
		if err != nil {
			emit("Cannot test: " + err.Error())
			return
		}
		if !home.ReportsLink(source) {
			emit("Listening for calls… ring your phone.")
		}
		err = src.Run(ctx, func(ev tapi.Event) { emit(describeEvent(ev, g.svc.config().DefaultRegion)) })
		if ctx.Err() != nil {
			err = nil
		}
		test.Stopped(err)
	}()
	return cancel
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
