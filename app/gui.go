package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/calldocket/calldocket/assets"
	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/tapi/sim"
	"github.com/calldocket/calldocket/ui"
)

// appID is the Fyne application id (also in FyneApp.toml).
const appID = "io.calldocket.app"

// gui is the Fyne side: the tray, the one pop window holding every current
// call as a stack, and the review, settings and first-run windows.
type gui struct {
	svc    *service
	sim    *sim.Source
	quit   context.CancelFunc
	log    *slog.Logger
	fa     fyne.App
	ctx    context.Context
	cancel context.CancelFunc

	started     atomic.Bool // the Fyne event loop runs; fyne.Do is safe
	restarting  atomic.Bool // Quit was a restart (see errRestart)
	refreshing  atomic.Bool // a Refresh is gathering changes
	reviewShown atomic.Bool // the review window is open: Refresh lists it

	// Owned by the Fyne goroutine.
	popWin    fyne.Window
	stack     *ui.Stack
	reviewWin fyne.Window
	review    *ui.Review
	settings  fyne.Window
	form      *ui.SettingsForm
	welcome   fyne.Window
	dismissed map[string]bool // missed-call cards the attorney dismissed
	lastTray  string
	lastMode  ui.Mode
	reminded  string // the date of the last end-of-day reminder

	mu       sync.Mutex
	firstRun bool
}

// newGUI creates the Fyne app; it must be called on the main goroutine.
func newGUI(ctx context.Context, svc *service, s *sim.Source, quit context.CancelFunc, firstRun bool, log *slog.Logger) *gui {
	ctx, cancel := context.WithCancel(ctx)
	g := &gui{svc: svc, sim: s, quit: quit, log: log, ctx: ctx, cancel: cancel, firstRun: firstRun, dismissed: map[string]bool{}}
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
		for _, r := range g.svc.repairs { // always: this is not a routine notice
			g.fa.SendNotification(fyne.NewNotification(damagedTitle(r), r.String()))
		}
		// Create the pop's native window now (about 55 ms inside the first
		// Show) so that the first call pops as fast as every later one.
		g.ensurePop()
		if g.stack.Len() == 0 {
			showWithoutFocus(g.popWin, g.log)
			g.popWin.Hide()
		}
		if g.firstRun {
			g.showWelcome()
		}
		go g.svc.replay(g.ctx, g) // calls that rang before the window system was up, or waited when CallDocket stopped
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

// tick refreshes the tray and the calls' timers and sends the end-of-day
// reminder. (Calls not confirmed in time move to Review in the core, which
// tells the pop.)
func (g *gui) tick() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-g.ctx.Done():
			return
		case now := <-t.C:
			g.Refresh()
			g.do(func() {
				if g.stack == nil {
					return
				}
				g.stack.Tick()
				g.layoutPop()
				g.remind(now)
			})
		}
	}
}

// remind notifies once a day, at the configured time, when calls wait.
func (g *gui) remind(now time.Time) {
	day, due := g.svc.config().ReminderDue(now, g.reminded)
	if !due {
		return
	}
	g.reminded = day
	if n := g.svc.status(g.ctx).Deciding; n > 0 {
		g.fa.SendNotification(fyne.NewNotification("CallDocket", ui.ReminderText(n)))
	}
}

func (g *gui) trayState() ui.TrayState {
	st := g.svc.status(g.ctx)
	ts := ui.TrayState{UserName: st.User, Deciding: st.Deciding, Delivering: st.Delivering, PhoneDown: len(st.PhoneDown) > 0,
		Paused: st.Paused, Syncing: st.Syncing, Progress: st.Progress}
	switch {
	case st.Mode == string(home.ModeSandbox):
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

// updateTray rebuilds the tray menu and icon now (at start); later
// changes come through Refresh, which reads the state off the Fyne goroutine.
func (g *gui) updateTray() { g.applyTray(g.trayState()) }

// applyTray rebuilds the tray menu and icon from one state value, on the
// Fyne goroutine, when what it shows changed.
func (g *gui) applyTray(ts ui.TrayState) {
	desk, ok := g.fa.(desktop.App)
	if !ok {
		return
	}
	badSettings := g.svc.badSettings.Load() != nil
	key := fmt.Sprintf("%s|%d|%d|%v|%v|%v|%v", ui.StatusLine(ts), ts.Deciding, ts.Delivering, ts.PhoneDown, ts.Mode, ts.Paused,
		badSettings)
	if key == g.lastTray {
		return
	}
	if ts.Mode == ui.ModeSignInNeeded && g.lastMode != ui.ModeSignInNeeded {
		// Logging has stopped reaching Clio: say so once, loudly.
		g.fa.SendNotification(fyne.NewNotification("CallDocket: sign-in needed",
			"Clio no longer accepts CallDocket's sign-in. Calls keep queueing on this computer; open Settings → Connect to Clio."))
	}
	g.lastTray, g.lastMode = key, ts.Mode
	menu := ui.TrayMenu(ts, ui.TrayActions{
		SimulateCall: func() { go simulateCall(g.ctx, g.svc, g.sim) },
		ReviewCalls:  g.showReview,
		Settings:     g.showSettings,
		TogglePause:  g.togglePause,
		SignIn:       g.showSettings,
		Quit:         g.fa.Quit,
	})
	menu.Items = withDamaged(menu.Items, g.svc.repairs, badSettings)
	desk.SetSystemTrayMenu(menu)
	desk.SetSystemTrayIcon(ui.TrayIcon(ts))
}

// Refresh implements view. Refreshes are coalesced (a burst of changes
// costs one), and the database reads run off the Fyne goroutine, so the
// pop's paint never waits for the tray's counts.
func (g *gui) Refresh() {
	if !g.refreshing.CompareAndSwap(false, true) {
		return
	}
	time.AfterFunc(refreshEvery, func() {
		g.refreshing.Store(false)
		if g.ctx.Err() != nil {
			return
		}
		ts := g.trayState()
		var rows []ui.ReviewItem
		review := g.reviewShown.Load()
		if review {
			var err error
			if rows, err = g.svc.reviewItems(g.ctx); err != nil {
				g.log.Warn("list review items", "err", err)
				review = false
			}
		}
		g.do(func() {
			g.applyTray(ts)
			if review && g.review != nil {
				g.review.SetItems(rows)
			}
		})
	})
}

// refreshEvery is how long Refresh gathers changes before it reads them.
const refreshEvery = 50 * time.Millisecond

// Update implements view: the pop follows the ledger. A call it should
// show is added or updated; one it should not show any more leaves it,
// after a moment when it was just decided (so the attorney sees it taken).
func (g *gui) Update(u calls.Update) {
	cfg := g.svc.config()
	cv := callView(u, g.svc.be.Mode == home.ModeSandbox, cfg.DefaultRegion)
	g.do(func() {
		g.ensurePop()
		if u.Pop && !g.dismissed[cv.CallID] {
			g.stack.Show(cv)
			g.layoutPop()
			return
		}
		if g.stack.Card(cv.CallID) == nil {
			return
		}
		if u.Record.Kind.Unanswered() && !u.Record.Decided && u.Record.State != calls.StateDiscarded {
			g.stack.Show(cv) // a missed card stays until dismissed; it now says what was logged
			return
		}
		if u.Record.State == calls.StateQueued || u.Record.State == calls.StateDelivered {
			id := cv.CallID
			time.AfterFunc(1500*time.Millisecond, func() {
				g.do(func() {
					g.stack.Remove(id)
					g.layoutPop()
				})
			})
			return
		}
		g.stack.Remove(cv.CallID)
		g.layoutPop()
	})
}

// Notify implements view.
func (g *gui) Notify(title, body string) {
	if !g.svc.config().Notifications {
		return
	}
	g.do(func() { g.fa.SendNotification(fyne.NewNotification(title, body)) })
}

func (g *gui) ensurePop() {
	if g.popWin != nil {
		return
	}
	g.stack = ui.NewStack(g.decide,
		ui.WithDefaults(stackDefaults(g.svc.config())),
		ui.WithSearcher(contactSearcher{g.svc}),
		ui.WithMatterSearcher(matterSearcher{g.svc}),
		ui.OnCreateContact(func(callID, name, number string) { go g.svc.createContact(g.ctx, callID, name, number) }),
		ui.OnNotAClient(func(callID string) { go g.svc.notAClient(g.ctx, callID) }),
		ui.OnPickContact(func(callID string, c ui.Caller) { go g.svc.pickContact(g.ctx, callID, c) }),
		ui.OnAddNote(func(callID, text string) {
			g.act(func(ctx context.Context) error { return g.svc.addNote(ctx, callID, text) })
		}),
		ui.OnCallBack(g.callBack),
		ui.OnDismiss(func(callID string) {
			g.dismissed[callID] = true
			g.stack.Remove(callID)
			g.layoutPop()
		}),
	)
	// Settings are live: the next decision uses what was just saved.
	g.svc.store.OnChange(func(s Config) { g.do(func() { g.stack.SetDefaults(stackDefaults(s)) }) })

	g.popWin = g.fa.NewWindow("CallDocket")
	g.popWin.SetContent(g.stack.Content())
	g.popWin.SetCloseIntercept(func() { g.popWin.Hide() })
	g.popWin.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		g.stack.TypedKey(ev)
		g.popWin.SetTitle(g.stack.Title())
	})
	g.popWin.Resize(fyne.NewSize(480, 600))
}

// layoutPop shows the pop window while it holds calls and hides it after.
func (g *gui) layoutPop() {
	if g.popWin == nil {
		return
	}
	if g.stack.Len() == 0 {
		g.popWin.Hide()
		return
	}
	g.popWin.SetTitle(g.stack.Title())
	showWithoutFocus(g.popWin, g.log) // on top, never taking the keyboard from what the attorney types
}

// decide runs when the attorney answers on the pop: billable, not, or
// later. The durable write happens off the Fyne goroutine; the ledger's
// update removes the card.
func (g *gui) decide(w ui.WrapUp) {
	go func() {
		if err := g.svc.confirm(g.ctx, w); err != nil {
			g.log.Error("confirm call", "call_id", w.CallID, "err", err)
			g.Notify("CallDocket could not save the call", err.Error()+" — it stays on the pop and in Review.")
		}
	}()
}

// callBack dials a missed caller through the system's tel: handler (the
// softphone registered for it).
func (g *gui) callBack(callID string) {
	go func() {
		r, err := g.svc.recordOf(g.ctx, callID)
		if err != nil || r.RemoteNumber() == "" {
			return
		}
		u, err := url.Parse("tel:" + r.RemoteNumber())
		if err != nil {
			return
		}
		g.do(func() {
			if err := g.fa.OpenURL(u); err != nil {
				g.Notify("CallDocket could not call back", err.Error())
			}
		})
	}()
}

func stackDefaults(c Config) ui.Defaults {
	return ui.Defaults{Increment: c.Increment(), MinDuration: c.MinDuration(), DefaultBillable: c.DefaultBillable}
}

func (g *gui) togglePause() {
	g.svc.update(func(c *Config) { c.PausePopups = !c.PausePopups })
}

func (g *gui) sandboxSuffix() string {
	if g.svc.be.Mode == home.ModeSandbox {
		return " (Sandbox)"
	}
	return ""
}

func (g *gui) showReview() {
	if g.reviewWin == nil {
		g.reviewWin = g.fa.NewWindow("Review calls — CallDocket" + g.sandboxSuffix())
		g.review = ui.NewReviewList(ui.ReviewActions{
			Confirm: func(id int64, e ui.ReviewEdit) {
				g.act(func(ctx context.Context) error { return g.svc.reviewConfirm(ctx, id, e) })
			},
			Retry:           func(id int64) { g.act(func(ctx context.Context) error { return g.svc.retry(ctx, id) }) },
			Discard:         func(id int64) { g.act(func(ctx context.Context) error { return g.svc.discard(ctx, id) }) },
			Undo:            func(id int64) { g.act(func(ctx context.Context) error { return g.svc.undo(ctx, id) }) },
			MarkNonBillable: func(ids []int64) { g.act(func(ctx context.Context) error { return g.svc.markNonBillable(ctx, ids) }) },
			Contacts:        contactSearcher{g.svc},
			Matters:         matterSearcher{g.svc},
		})
		g.reviewWin.SetContent(g.review.Content())
		// A fax PDF dragged onto the review list is logged like one from the watched folder.
		g.reviewWin.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
			for _, u := range uris {
				if u.Scheme() != "file" {
					continue
				}
				path := u.Path()
				g.act(func(ctx context.Context) error {
					_, err := g.svc.enqueueFax(ctx, path, "dropped on the review list")
					return err
				})
			}
		})
		g.reviewWin.Resize(fyne.NewSize(720, 480))
		g.reviewWin.SetCloseIntercept(func() {
			g.reviewShown.Store(false)
			g.reviewWin.Hide()
		})
	}
	g.reviewShown.Store(true)
	g.refreshReview()
	g.reviewWin.Show()
	g.reviewWin.RequestFocus()
}

// act runs a review action off the Fyne goroutine and reports failures.
func (g *gui) act(f func(ctx context.Context) error) {
	go func() {
		if err := f(g.ctx); err != nil {
			g.log.Warn("review action", "err", err)
			g.Notify("CallDocket", err.Error())
		}
		g.Refresh()
	}()
}

func (g *gui) refreshReview() {
	if g.review == nil {
		return
	}
	rows, err := g.svc.reviewItems(g.ctx)
	if err != nil {
		g.log.Warn("list review items", "err", err)
		return
	}
	g.review.SetItems(rows)
}

func (g *gui) showSettings() {
	if g.settings == nil {
		g.settings = g.fa.NewWindow("Settings — CallDocket" + g.sandboxSuffix())
		g.settings.SetCloseIntercept(func() {
			if g.form != nil {
				g.form.StopTests()
			}
			g.settings.Hide()
		})
	}
	user := ""
	if g.svc.be.Mode == home.ModeConnected {
		user = g.svc.status(g.ctx).User // the Sandbox's sample user is nobody's account
	}
	// The passwords stay in the keychain: an empty field leaves them as they are.
	// The form shows whether CallDocket really starts at login: the
	// installer may have set it (Windows), or the attorney removed it in
	// the OS's own list.
	cfg := g.svc.config()
	if on, err := startsAtLogin(); err == nil {
		cfg.StartAtLogin = on
	}
	g.form = ui.NewSettingsForm(cfg, ui.Secrets{}, user, ui.SettingsActions{
		Save: func(s Config, sec ui.Secrets) {
			g.svc.update(func(c *Config) { *c = ui.ApplyForm(*c, s) })
			g.saveSecrets(sec)
			if g.stack != nil {
				cfg := g.svc.config()
				g.stack.SetDefaults(ui.Defaults{Increment: cfg.Increment(), MinDuration: cfg.MinDuration(),
					DefaultBillable: cfg.DefaultBillable})
			}
			if now, err := startsAtLogin(); err != nil || now != s.StartAtLogin {
				if err := setStartAtLogin(s.StartAtLogin); err != nil {
					g.log.Warn("start at login", "err", err)
					g.Notify("CallDocket could not change start at login", err.Error())
				}
			}
			g.Notify("CallDocket", "Settings saved. Call-source changes apply when CallDocket restarts.")
		},
		Connect: func(s Config, sec ui.Secrets) {
			g.svc.update(func(c *Config) { *c = ui.ApplyForm(*c, s) })
			go g.connect(s, sec)
		},
		Disconnect:     func() { go g.disconnect() },
		TestConnection: g.testConnection,
		CheckFolder:    checkFolder,
	})
	g.settings.SetContent(g.form.Content())
	g.settings.Resize(fyne.NewSize(640, 640))
	g.settings.Show()
	g.settings.RequestFocus()
}

func checkFolder(path string) error {
	if path == "" {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("this folder cannot be read: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("this is a file, not a folder")
	}
	return nil
}

// showWelcome is the first run: Clio or Sandbox, the call source, a test pop.
func (g *gui) showWelcome() {
	g.welcome = g.fa.NewWindow("Welcome to CallDocket" + g.sandboxSuffix())
	fr := ui.NewFirstRun(ui.FirstRunActions{
		ConnectClio: func() { g.showSettings() },
		UseSandbox:  func() {},
		ChooseSource: func(source string) {
			g.svc.update(func(c *Config) { c.CallSource = source })
		},
		SendTestCall: func() { go simulateCall(g.ctx, g.svc, g.sim) },
		Done: func() {
			g.svc.update(func(c *Config) {}) // writes the settings file: no welcome next time
			g.welcome.Close()
		},
	})
	g.welcome.SetContent(fr.Content())
	g.welcome.Resize(fyne.NewSize(560, 420))
	g.welcome.Show()
}

// activate is called when the user starts CallDocket a second time.
func (g *gui) activate() {
	g.do(func() {
		if g.stack != nil && g.stack.Len() > 0 {
			g.layoutPop()
			g.popWin.RequestFocus()
			return
		}
		g.showReview()
	})
}

// contactSearcher answers "Find in Clio…" from the local directory.
type contactSearcher struct{ svc *service }

func (s contactSearcher) Search(ctx context.Context, q string, limit int) ([]ui.Caller, error) {
	return s.svc.searchContacts(ctx, q, limit)
}

// matterSearcher answers the wrap-up's matter type-ahead over every matter
// in the local directory (the caller's own matters come first in the card).
type matterSearcher struct{ svc *service }

func (s matterSearcher) SearchMatters(ctx context.Context, q string, limit int) ([]ui.Matter, error) {
	hits, err := s.svc.dir.SearchMatters(ctx, q, limit)
	if err != nil {
		return nil, err
	}
	out := make([]ui.Matter, 0, len(hits))
	for _, h := range hits {
		out = append(out, ui.Matter{ID: h.ID, DisplayNumber: h.DisplayNumber, Description: h.Description,
			Status: h.Status, ResponsibleAttorney: h.ResponsibleAttorney, PracticeArea: h.PracticeArea,
			ClientID: h.ClientID, ClientName: h.ClientName})
	}
	return out, nil
}
