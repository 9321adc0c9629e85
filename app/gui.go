package app

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/calldocket/calldocket/assets"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/tapi/sim"
	"github.com/calldocket/calldocket/ui"
)

// appID is the Fyne application id (also in FyneApp.toml).
const appID = "io.calldocket.app"

// gui is the Fyne side: tray, the pop window (one window holding every
// current call as a stack of cards), review and settings windows.
type gui struct {
	svc    *service
	sim    *sim.Source
	quit   context.CancelFunc
	log    *slog.Logger
	fa     fyne.App
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	popWin    fyne.Window
	cards     map[string]*ui.Card
	views     map[string]ui.CallView
	order     []string // call ids, newest first
	review    *ui.Review
	reviewWin fyne.Window
	settings  fyne.Window
	lastTray  string
	started   atomic.Bool // the Fyne event loop runs; fyne.Do is safe
}

// newGUI creates the Fyne app; it must be called on the main goroutine.
func newGUI(ctx context.Context, svc *service, s *sim.Source, quit context.CancelFunc, log *slog.Logger) *gui {
	ctx, cancel := context.WithCancel(ctx)
	g := &gui{
		svc: svc, sim: s, quit: quit, log: log, ctx: ctx, cancel: cancel,
		cards: map[string]*ui.Card{}, views: map[string]ui.CallView{},
	}
	g.fa = fyneapp.NewWithID(appID)
	g.fa.SetIcon(assets.AppIcon())
	return g
}

// run blocks in the Fyne event loop until the user quits.
func (g *gui) run() {
	defer g.cancel()
	g.fa.Lifecycle().SetOnStarted(func() {
		g.started.Store(true)
		g.updateTray()
		g.svc.replay(g) // calls that rang before the window system was up
	})
	g.updateTray()
	go g.tick()
	g.fa.Run()
	g.started.Store(false)
	g.quit()
}

// do runs f on the Fyne goroutine once the event loop runs; before that,
// the state is picked up at start.
func (g *gui) do(f func()) {
	if g.started.Load() {
		fyne.Do(f)
	}
}

// tick refreshes the tray and the running calls' timers.
func (g *gui) tick() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-g.ctx.Done():
			return
		case <-t.C:
			g.do(func() {
				g.updateTray()
				g.mu.Lock()
				for id, c := range g.cards {
					if g.views[id].EndedAt.IsZero() {
						c.Tick()
					}
				}
				g.mu.Unlock()
			})
		}
	}
}

func (g *gui) trayState() ui.TrayState {
	st := g.svc.status(g.ctx)
	ts := ui.TrayState{UserName: st.User, Pending: st.Waiting, Paused: st.Paused}
	switch {
	case st.Mode == ModeSandbox:
		ts.Mode = ui.ModeSandbox
	case st.SignInNeed:
		ts.Mode = ui.ModeSignInNeeded
	case !st.Online:
		ts.Mode = ui.ModeOffline
	default:
		ts.Mode = ui.ModeConnected
	}
	return ts
}

// updateTray rebuilds the tray menu and icon from one state value. It must
// run on the Fyne goroutine.
func (g *gui) updateTray() {
	desk, ok := g.fa.(desktop.App)
	if !ok {
		return
	}
	ts := g.trayState()
	key := ui.StatusLine(ts) + "|" + ui.PendingLabel(ts.Pending)
	g.mu.Lock()
	same := key == g.lastTray
	g.lastTray = key
	g.mu.Unlock()
	if same {
		return
	}
	desk.SetSystemTrayMenu(ui.TrayMenu(ts, ui.TrayActions{
		SimulateCall: func() { go simulateCall(g.ctx, g.svc, g.sim) },
		ReviewCalls:  g.showReview,
		Settings:     g.showSettings,
		TogglePause:  g.togglePause,
		Quit:         g.fa.Quit,
	}))
	desk.SetSystemTrayIcon(ui.TrayIcon(ts))
}

// Refresh implements view.
func (g *gui) Refresh() {
	g.do(func() {
		g.updateTray()
		g.refreshReview()
	})
}

// ShowCall implements view: it adds or updates the call's card in the pop window.
func (g *gui) ShowCall(v ui.CallView) {
	g.do(func() { g.showCall(v) })
}

func (g *gui) showCall(v ui.CallView) {
	g.mu.Lock()
	g.views[v.CallID] = v
	card, ok := g.cards[v.CallID]
	if ok {
		g.mu.Unlock()
		card.Update(v)
		g.layoutPop()
		return
	}
	card = ui.NewCard(v, func(w ui.WrapUp) { g.decide(w) })
	g.cards[v.CallID] = card
	g.order = append([]string{v.CallID}, g.order...)
	g.mu.Unlock()
	g.layoutPop()
}

// layoutPop puts every open card in the one pop window, newest first.
func (g *gui) layoutPop() {
	g.mu.Lock()
	if g.popWin == nil {
		g.popWin = g.fa.NewWindow("CallDocket")
		g.popWin.SetCloseIntercept(func() { g.popWin.Hide() })
		g.popWin.Canvas().SetOnTypedKey(g.typedKey)
	}
	w := g.popWin
	var objs []fyne.CanvasObject
	title := ""
	for _, id := range g.order {
		if title == "" {
			title = ui.Title(g.views[id])
		}
		objs = append(objs, g.cards[id].Content())
	}
	g.mu.Unlock()
	if len(objs) == 0 {
		w.Hide()
		return
	}
	w.SetTitle(title)
	// Each card fills its share of the one window; its matter list scrolls.
	if len(objs) == 1 {
		w.SetContent(objs[0])
	} else {
		w.SetContent(container.NewGridWithRows(len(objs), objs...))
	}
	w.Resize(fyne.NewSize(480, float32(min(3, len(objs)))*520))
	w.Show()
}

// typedKey sends B / N / Esc / Enter to the newest card waiting for a decision.
func (g *gui) typedKey(ev *fyne.KeyEvent) {
	g.mu.Lock()
	var target *ui.Card
	for _, id := range g.order {
		c := g.cards[id]
		if !g.views[id].EndedAt.IsZero() && !c.Decided() {
			target = c
			break
		}
	}
	g.mu.Unlock()
	if target != nil {
		target.TypedKey(ev)
	}
}

// decide runs when the attorney confirms or skips a call.
func (g *gui) decide(w ui.WrapUp) {
	if err := g.svc.confirm(g.ctx, w); err != nil {
		g.log.Error("confirm call", "call_id", w.CallID, "err", err)
		g.fa.SendNotification(fyne.NewNotification("CallDocket could not save the call", err.Error()))
		return
	}
	callID := w.CallID
	go func() {
		select {
		case <-g.ctx.Done():
		case <-time.After(1500 * time.Millisecond):
			fyne.Do(func() { g.dropCard(callID) })
		}
	}()
}

func (g *gui) dropCard(id string) {
	g.mu.Lock()
	delete(g.cards, id)
	delete(g.views, id)
	for i, o := range g.order {
		if o == id {
			g.order = append(g.order[:i], g.order[i+1:]...)
			break
		}
	}
	g.mu.Unlock()
	g.layoutPop()
}

func (g *gui) togglePause() {
	g.svc.mu.Lock()
	g.svc.cfg.PausePopups = !g.svc.cfg.PausePopups
	cfg := g.svc.cfg
	g.svc.mu.Unlock()
	if err := saveConfig(g.svc.paths.config(), cfg); err != nil {
		g.log.Warn("save settings", "err", err)
	}
	g.updateTray()
}

func (g *gui) sandboxSuffix() string {
	if g.svc.be.Mode == ModeSandbox {
		return " (Sandbox)"
	}
	return ""
}

func (g *gui) showReview() {
	if g.reviewWin == nil {
		g.reviewWin = g.fa.NewWindow("Review calls — CallDocket" + g.sandboxSuffix())
		g.review = ui.NewReview(func(id int64) {
			if err := g.svc.outbox.Requeue(g.ctx, id); err != nil {
				g.log.Warn("retry item", "id", id, "err", err)
			}
			g.svc.flusher.Kick()
			g.refreshReview()
		})
		g.reviewWin.SetContent(g.review.Content())
		g.reviewWin.Resize(fyne.NewSize(640, 400))
		g.reviewWin.SetCloseIntercept(func() { g.reviewWin.Hide() })
	}
	g.refreshReview()
	g.reviewWin.Show()
	g.reviewWin.RequestFocus()
}

func (g *gui) refreshReview() {
	if g.review == nil {
		return
	}
	items, err := g.svc.outbox.List(g.ctx, queue.ListOptions{Limit: 200})
	if err != nil {
		g.log.Warn("list outbox", "err", err)
		return
	}
	var rows []ui.ReviewItem
	for _, it := range items {
		who := it.Name
		if who == "" {
			who = "Unknown caller"
		}
		rows = append(rows, ui.ReviewItem{
			ID: it.ID, Kind: string(it.Kind), State: string(it.State), Who: who, Number: it.Number,
			When: it.StartedAt, Duration: time.Duration(it.DurationS) * time.Second,
			Billable: it.Billable, Error: it.LastError,
		})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].When.After(rows[j].When) })
	g.review.SetItems(rows)
}

func (g *gui) showSettings() {
	if g.settings == nil {
		g.settings = g.fa.NewWindow("Settings — CallDocket" + g.sandboxSuffix())
		g.settings.SetCloseIntercept(func() { g.settings.Hide() })
	}
	ts := g.trayState()
	s := ui.NewSettings(ui.SettingsInfo{
		Mode: ts.Mode, UserName: ts.UserName, DataDir: g.svc.paths.Data,
		ClioURL: g.svc.be.BaseURL, Paused: ts.Paused,
	})
	g.settings.SetContent(s.Content())
	g.settings.Resize(fyne.NewSize(480, 320))
	g.settings.Show()
}

// activate is called when the user starts CallDocket a second time.
func (g *gui) activate() {
	g.do(func() {
		g.mu.Lock()
		hasCalls := len(g.order) > 0
		g.mu.Unlock()
		if hasCalls {
			g.layoutPop()
			return
		}
		g.showReview()
	})
}
