package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/deliver"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/internal/sqlitefile"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
)

// Config is the user's settings; settings.Settings is its one shape.
type Config = settings.Settings

// view is what the service needs from the desktop UI. The gui implements
// it; every method may be called from any goroutine.
type view interface {
	Update(u calls.Update)
	Refresh()
	Notify(title, body string)
}

// service wires the call's life (package calls) to Clio, the directory,
// the outbox and the settings, without the windowing.
type service struct {
	log     *slog.Logger
	paths   home.Paths
	store   *settings.Store
	be      *home.Backend
	outbox  *queue.Outbox
	dir     *directory.Directory
	ledger  *calls.Ledger
	core    *calls.Core
	flusher *queue.Flusher
	syncer  *directory.Syncer // nil until signed in
	source  *directory.ClioSource

	repairs []sqlitefile.Repair // damaged files set aside at start

	// badSettings is what config.json held that was refused at start;
	// cleared once the settings are saved (the Store writes a sound file).
	badSettings atomic.Pointer[settings.FileError]

	mu       sync.Mutex
	view     view
	user     *clio.User
	syncing  bool
	synced   bool   // a directory sync has completed since start
	progress string // "Syncing contacts 4,200 / ~12,000"
}

func newService(ctx context.Context, p home.Paths, cfg Config, be *home.Backend, log *slog.Logger) (*service, error) {
	s := &service{log: log, paths: p, be: be, store: settings.NewStore(p.ConfigFile(), cfg)}
	grace, err := restartGrace(os.Getenv("CALLDOCKET_RESTART_GRACE"))
	if err != nil {
		log.Warn("CALLDOCKET_RESTART_GRACE ignored", "err", err)
	}
	// The tray app owns the files: a damaged one is set aside, kept, and
	// started anew with what could be recovered; status and the tray say so.
	st, err := home.OpenCoreRepair(ctx, p, s.store, be.Mode, log, calls.Options{
		Kick:         func() { s.kick() },
		UserID:       s.userID,
		OnChange:     s.onUpdate,
		RestartGrace: grace,
	})
	if err != nil {
		return nil, err
	}
	s.core, s.ledger, s.outbox, s.dir, s.repairs = st.Core, st.Ledger, st.Outbox, st.Directory, st.Repairs
	dir := st.Directory
	host, _ := os.Hostname()
	var d queue.Deliverer = deliver.New(be.Client, s.store.Get)
	if err := be.Ready(); err != nil {
		d = signInNeeded{err}
		s.core.Health.SignInNeeded(true)
	}
	if be.Client != nil {
		c := be.Client
		s.source = directory.NewClioSource(c, home.ClioSourceOptions(c))
		s.syncer = &directory.Syncer{ // incremental every few minutes, reconcile daily
			Dir: dir, Source: s.source, Logger: log.With("component", "sync"),
			Interval: time.Duration(cfg.SyncIntervalMinutes) * time.Minute,
			Progress: func(p directory.Progress) {
				s.mu.Lock()
				s.syncing, s.progress = true, p.String()
				s.mu.Unlock()
				s.refresh()
			},
			OnDone: func(st directory.SyncStats, err error) {
				s.mu.Lock()
				s.syncing, s.progress = false, ""
				s.synced = s.synced || err == nil
				s.mu.Unlock()
				if err == nil {
					s.log.Info("directory synced", "contacts", st.Contacts, "matters", st.Matters,
						"relationships", st.Relationships, "deleted", st.Deleted, "took", st.Duration.Round(time.Millisecond))
				}
				s.refresh()
			},
		}
	}
	outcomeCtx := context.WithoutCancel(ctx)
	s.flusher = queue.NewFlusher(st.Outbox, d, queue.FlusherOptions{
		Owner:     fmt.Sprintf("%s-%d", host, os.Getpid()),
		Logger:    log.With("component", "flusher"),
		OnChange:  s.refresh,
		OnOutcome: func(it queue.Item, err error) { s.core.Outcome(outcomeCtx, it, err) },
	})
	return s, nil
}

// restartGrace reads CALLDOCKET_RESTART_GRACE: how long a call that was in
// progress when CallDocket stopped waits for news from its source (a Go
// duration such as 5s, or whole seconds). Empty means the default
// (calls.DefaultRestartGrace); so does a bad value, with an error saying why.
func restartGrace(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		n, nerr := strconv.Atoi(v)
		if nerr != nil {
			return 0, fmt.Errorf("restart grace %q: want a duration such as 5s or 90s", v)
		}
		d = time.Duration(n) * time.Second
	}
	if d <= 0 || d > 24*time.Hour {
		return 0, fmt.Errorf("restart grace %q: want more than 0 and at most 24h", v)
	}
	return d, nil
}

func (s *service) kick() {
	if s.flusher != nil {
		s.flusher.Kick()
	}
}

func (s *service) close() {
	if s.source != nil {
		s.source.Close()
	}
	s.ledger.Close()
	s.dir.Close()
	s.outbox.Close()
}

func (s *service) setView(v view) {
	s.mu.Lock()
	s.view = v
	s.mu.Unlock()
}

func (s *service) currentView() view {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.view
}

func (s *service) refresh() {
	if v := s.currentView(); v != nil {
		v.Refresh()
	}
}

// onUpdate hands a ledger change to the view.
func (s *service) onUpdate(u calls.Update) {
	if v := s.currentView(); v != nil {
		v.Update(u)
		v.Refresh()
	}
}

// run starts the background work: who is signed in, the directory sync,
// the clock of the calls (confirm delay, lost calls), the fax folder and
// the flusher. It blocks until ctx is cancelled.
func (s *service) run(ctx context.Context) {
	go s.tick(ctx)
	go s.watchFaxes(ctx)
	go func() {
		if err := s.whoAmI(ctx); err != nil {
			s.log.Warn("ask Clio who is signed in", "err", err)
		}
		if s.syncer != nil {
			// An incremental sync now and every few minutes; a reconcile daily.
			_ = s.syncer.Run(ctx)
		}
	}()
	if err := s.flusher.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Error("flusher stopped", "err", err)
	}
}

// tick lets time act on the calls: ringing without news, lost at a
// restart, not confirmed in time.
func (s *service) tick(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	n := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.core.Tick(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("call clock", "err", err)
			}
			// While Offline, ask Clio every 15 s whether it answers again,
			// so the tray turns Online without waiting for a delivery.
			if n++; n%3 == 0 && !s.core.Health.Status().Online {
				_ = s.whoAmI(ctx)
			}
		}
	}
}

// whoAmI asks Clio who is signed in; the answer also says whether Clio is
// reachable and whether the sign-in still holds.
func (s *service) whoAmI(ctx context.Context) error {
	if err := s.be.Ready(); err != nil {
		return err
	}
	u, _, err := s.be.Client.Users.WhoAmI(ctx)
	s.core.Health.Observe(err)
	if err == nil {
		s.mu.Lock()
		s.user = u
		s.mu.Unlock()
	}
	s.refresh()
	if err != nil {
		return fmt.Errorf("who am I: %w", err)
	}
	s.prefillFirmNumbers(ctx)
	return nil
}

// prefillFirmNumbers fills the firm's own numbers (never matched to a
// contact) once from the phone numbers of the firm's Clio users. Settings
// can change them.
func (s *service) prefillFirmNumbers(ctx context.Context) {
	cfg := s.config()
	// Never from the Sandbox: the sample firm's numbers are nobody's.
	if s.be.Mode != home.ModeConnected || cfg.FirmNumbersFromClio || len(cfg.FirmNumbers) > 0 {
		return
	}
	var nums []string
	seen := map[string]bool{}
	err := s.be.Client.Users.ListAll(clio.WithLowPriority(ctx), func(us []clio.User) error {
		for _, u := range us {
			if u.PhoneNumber == "" {
				continue
			}
			n := u.PhoneNumber
			if e, err := phone.Normalize(n, cfg.DefaultRegion); err == nil {
				n = e
			}
			if !seen[n] {
				seen[n] = true
				nums = append(nums, n)
			}
		}
		return nil
	})
	if err != nil {
		s.log.Warn("read the firm's users for its own numbers", "err", err)
		return
	}
	s.update(func(c *Config) {
		if len(c.FirmNumbers) == 0 {
			c.FirmNumbers = nums
		}
		c.FirmNumbersFromClio = true
	})
	s.log.Info("firm numbers prefilled from Clio users", "count", len(nums))
}

// syncDirectory runs one directory sync now (full: re-read everything).
func (s *service) syncDirectory(ctx context.Context, full bool) error {
	if err := s.whoAmI(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	s.syncing = true
	s.mu.Unlock()
	s.refresh()
	st, err := s.syncer.SyncNow(ctx, full)
	s.syncer.OnDone(st, err)
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}

// onEvent is the emit function every call source feeds.
func (s *service) onEvent(ctx context.Context, ev tapi.Event) {
	if _, _, err := s.core.HandleEvent(ctx, ev); err != nil {
		s.log.Error("record call event", "source", ev.Source, "err", err)
		s.notify("CallDocket could not record a call", err.Error()+" — the call is in the log; check the disk.")
	}
}

// onMessage records a text message reported by a source.
func (s *service) onMessage(ctx context.Context, m tapi.Message) {
	if _, err := s.core.HandleMessage(ctx, m); err != nil {
		s.log.Error("record text message", "source", m.Source, "err", err)
		s.notify("CallDocket could not record a text message", err.Error())
	}
}

// replay shows every record the pop should show, e.g. calls that rang
// before the window system was up or were waiting when CallDocket stopped.
func (s *service) replay(ctx context.Context, v view) {
	rs, err := s.ledger.List(ctx, calls.ListOptions{States: []calls.State{
		calls.StateRinging, calls.StateAnswered, calls.StateAwaiting}})
	if err != nil {
		s.log.Warn("list calls to show", "err", err)
		return
	}
	for i := len(rs) - 1; i >= 0; i-- { // oldest first: the newest ends on top
		r := rs[i]
		v.Update(calls.Update{Record: r, Result: s.core.Result(ctx, r), Pop: s.core.ShouldPop(r)})
	}
}

// userID is the signed-in Clio user's id, or 0 before who_am_i answered.
func (s *service) userID() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.user == nil {
		return 0
	}
	return s.user.ID
}

// signInNeeded delivers nothing: with no usable Clio credentials every item
// waits (queue.ErrAuth pauses the flusher) until the user signs in.
type signInNeeded struct{ err error }

func (s signInNeeded) Deliver(ctx context.Context, it queue.Item, rec queue.Recorder) error {
	return fmt.Errorf("%w: %v", queue.ErrAuth, s.err)
}

// config returns a copy of the current settings.
func (s *service) config() Config { return s.store.Get() }

// update changes the settings and saves them; the change applies at once.
func (s *service) update(f func(*Config)) {
	if err := s.store.Update(f); err != nil {
		s.log.Warn("save settings", "err", err)
	}
	s.refresh()
}

func (s *service) notify(title, body string) {
	if v := s.currentView(); v != nil {
		v.Notify(title, body)
	}
}

// changed shows a change the command line made to record id.
func (s *service) changed(ctx context.Context, id int64) {
	r, err := s.ledger.Get(ctx, id)
	if err != nil {
		s.log.Warn("show a changed call", "err", err)
		return
	}
	s.onUpdate(calls.Update{Record: r, Result: s.core.Result(ctx, r), Pop: s.core.ShouldPop(r)})
	s.kick()
}

// phoneLink is what a call source reports about its connection: the tray
// and `status` say "Phone link down" while one is down.
func (s *service) phoneLink(name string) tapi.LinkFunc {
	return func(up bool, why string) {
		s.core.Health.PhoneLink(name, up, why)
		s.refresh()
	}
}
