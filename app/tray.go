package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/ipc"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/hook"
	"github.com/calldocket/calldocket/tapi/sim"
)

// runTray runs the desktop app: it hands over to an already running one, or
// starts the call sources, the flusher, the IPC listener and the UI.
func runTray(ctx context.Context, forceSandbox bool) error {
	p, err := home.Resolve()
	if err != nil {
		return err
	}
	if err := p.Ensure(); err != nil {
		return err
	}
	if err := home.CheckDisplay(); err != nil {
		return err
	}
	if e, err := ipc.FindRunning(ctx, p.Endpoint()); err == nil {
		if err := ipc.Call(ctx, e, http.MethodPost, ipc.PathActivate, nil, nil); err != nil {
			return fmt.Errorf("hand over to the running CallDocket: %w", err)
		}
		fmt.Println("CallDocket is already running; showing it.")
		return nil
	}
	cfg, firstRun, err := settings.Load(p.ConfigFile())
	// Bad values in config.json: start anyway with their defaults (the
	// file is left as it is), and say so in the log and a notification.
	var badCfg *settings.FileError
	if errors.As(err, &badCfg) {
		err = nil
	}
	if err != nil {
		return err
	}
	if dir, err := os.UserCacheDir(); err == nil {
		_ = os.MkdirAll(dir, 0o700) // Fyne keeps its per-app cache there
	}
	logf, err := home.OpenLog(p.LogFile()) // 0600, rotated by size
	if err != nil {
		return err
	}
	defer logf.Close()
	log := home.NewLogger(io.MultiWriter(os.Stderr, logf), slog.LevelInfo)
	if badCfg != nil {
		log.Warn("settings file has bad values; using their defaults", "problem", badCfg.Error())
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	be, err := home.OpenBackend(ctx, p, cfg, forceSandbox, log)
	if err != nil {
		return err
	}
	defer be.Close(context.WithoutCancel(ctx))
	svc, err := newService(ctx, p, cfg, be, log)
	if err != nil {
		return err
	}
	defer svc.close()

	secret, err := ipc.LoadSecret(p.Data)
	if err != nil {
		return err
	}
	hk := hook.NewServer(secret, log.With("component", "hook"))
	simSrc := sim.New(sim.Options{AnswerAfter: 2 * time.Second, Logger: log.With("component", "sim")})

	g := newGUI(ctx, svc, simSrc, cancel, firstRun, log)
	svc.setView(g)

	mux := http.NewServeMux()
	mux.Handle(hook.Path, hk.Handler())
	mux.HandleFunc("GET "+ipc.PathPing, func(w http.ResponseWriter, r *http.Request) {
		ipc.WriteJSON(w, http.StatusOK, map[string]any{"app": "calldocket", "pid": os.Getpid()})
	})
	mux.HandleFunc("POST "+ipc.PathActivate, func(w http.ResponseWriter, r *http.Request) {
		g.activate()
		ipc.WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("POST "+ipc.PathFlush, func(w http.ResponseWriter, r *http.Request) {
		svc.flusher.Kick()
		ipc.WriteJSON(w, http.StatusAccepted, map[string]bool{"ok": true})
	})
	mux.HandleFunc("POST "+ipc.PathCallsChanged, func(w http.ResponseWriter, r *http.Request) {
		var in ipc.CallsChanged
		if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&in); err != nil || in.ID <= 0 {
			ipc.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "want {\"id\": N}"})
			return
		}
		svc.changed(r.Context(), in.ID)
		ipc.WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("POST "+ipc.PathSettings, func(w http.ResponseWriter, r *http.Request) {
		var in ipc.SettingChange
		if err := json.NewDecoder(io.LimitReader(r.Body, 16<<10)).Decode(&in); err != nil {
			ipc.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "want {\"key\": K, \"value\": V}"})
			return
		}
		err := svc.store.Change(func(s *settings.Settings) error { return settings.Set(s, in.Key, in.Value) })
		if errors.Is(err, settings.ErrInvalid) {
			ipc.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		if err != nil {
			ipc.WriteJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		svc.refresh()
		ipc.WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("GET "+ipc.PathStatus, func(w http.ResponseWriter, r *http.Request) {
		ipc.WriteJSON(w, http.StatusOK, svc.status(r.Context()))
	})
	srv, err := ipc.Listen(p.Endpoint(), secret, mux)
	if err != nil {
		return err
	}
	defer srv.Close(context.WithoutCancel(ctx))
	// A command that found no app between the ledger's reload above and
	// this listener recorded its call in the ledger itself: take such calls
	// in now. From here on commands reach this app.
	if err := svc.core.Start(ctx); err != nil {
		log.Warn("reload the call ledger", "err", err)
	}

	var wg sync.WaitGroup
	start := func(name string, f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
			log.Debug("stopped", "component", name)
		}()
	}
	if badCfg != nil {
		svc.badSettings.Store(badCfg)
		svc.store.OnChange(func(Config) {
			svc.badSettings.Store(nil)
			svc.refresh()
		})
		start("settings notice", func() { notifyBadSettings(ctx, g, badCfg) })
	}
	start("ipc", func() {
		if err := srv.Serve(); err != nil {
			log.Error("IPC listener stopped", "err", err)
		}
	})
	emit := func(ev tapi.Event) { svc.onEvent(ctx, ev) }
	sources := []home.NamedSource{{Name: "hook", Source: hk}}
	if be.Mode == home.ModeSandbox {
		sources = append(sources, home.NamedSource{Name: "sim", Source: simSrc})
	}
	sources = append(sources, home.ConfiguredSources(ctx, cfg, home.KeychainFor(cfg, log), p, svc.phoneLink, log)...)
	for _, src := range sources {
		start(src.Name, func() {
			if err := src.Source.Run(ctx, emit); err != nil && !errors.Is(err, context.Canceled) {
				log.Error("call source stopped", "source", src.Name, "err", err)
				svc.phoneLink(src.Name).Report(false, "stopped: "+err.Error())
			}
		})
	}
	start("sms", func() {
		if err := hk.RunMessages(ctx, func(m tapi.Message) { svc.onMessage(ctx, m) }); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("text messages stopped", "err", err)
		}
	})
	start("service", func() { svc.run(ctx) })
	if firstRun {
		// Let softphones and browsers open calldocket://call?… links.
		if exe, err := os.Executable(); err == nil {
			if err := hook.Register(exe); err != nil {
				log.Warn("register the calldocket:// URL scheme", "err", err)
			}
		}
	}
	log.Info("CallDocket started", "mode", be.Mode, "version", Version, "data", p.Data)

	g.run() // blocks until Quit
	cancel()
	srv.Close(context.WithoutCancel(ctx))
	wg.Wait()
	if g.restarting.Load() {
		return errRestart
	}
	return nil
}

// simulateCall rings a simulated call from a known contact or an unknown
// number, at random (CALLDOCKET_SIMULATE=known|unknown fixes the choice).
func simulateCall(ctx context.Context, svc *service, s *sim.Source) {
	known := rand.IntN(3) > 0
	switch os.Getenv("CALLDOCKET_SIMULATE") {
	case "known":
		known = true
	case "unknown":
		known = false
	}
	if known {
		// Prefer an active client with open matters: that is the call worth showing.
		nums, err := svc.dir.Numbers(ctx, 500)
		if err == nil && len(nums) > 0 {
			pick := nums[rand.IntN(len(nums))]
			for _, i := range rand.Perm(len(nums)) {
				res, err := svc.dir.Lookup(ctx, nums[i])
				if err == nil && len(res.Matches) > 0 && res.Matches[0].ClientStatus == "Active" {
					pick = nums[i]
					break
				}
			}
			s.Ring(pick, "")
			return
		}
	}
	areas := []int{212, 312, 415, 617, 718}
	s.Ring(fmt.Sprintf("+1 %d 555 01%02d", areas[rand.IntN(len(areas))], rand.IntN(100)), "")
}

// notifyBadSettings tells the attorney, once the tray is up, that some
// settings in the file were refused and their defaults are in use.
func notifyBadSettings(ctx context.Context, g *gui, bad *settings.FileError) {
	for i := 0; i < 300 && !g.started.Load(); i++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	g.Notify("CallDocket: some settings were refused", bad.Error()+" (their defaults are in use meanwhile)")
}
