package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/deliver"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/ui"
)

// view is what the service needs from the desktop UI. The gui implements it;
// every method may be called from any goroutine.
type view interface {
	ShowCall(v ui.CallView)
	Refresh()
	Notify(title, body string)
}

// service is the call path without the windowing: events in, calls tracked,
// callers looked up, confirmed calls enqueued and delivered.
type service struct {
	log     *slog.Logger
	paths   Paths
	cfg     Config
	be      *backend
	outbox  *queue.Outbox
	dir     *directory.Directory
	tracker *tapi.Tracker
	flusher *queue.Flusher
	syncer  *directory.Syncer // nil until signed in
	source  *directory.ClioSource

	mu         sync.Mutex
	view       view
	calls      map[string]*trackedCall
	user       *clio.User
	syncing    bool
	synced     bool   // a directory sync has completed since start
	progress   string // "Syncing contacts 4,200 / ~12,000"
	nextReview int64
	online     bool
	authErr    bool
}

// trackedCall is a call the UI may still decide about.
type trackedCall struct {
	call      tapi.Call
	result    directory.Result
	decided   bool
	inReview  bool  // not confirmed in time: waiting in the review list
	reviewID  int64 // its id in the review list (negative)
	notClient bool  // the attorney said "Not a client"
}

func newService(ctx context.Context, p Paths, cfg Config, be *backend, log *slog.Logger) (*service, error) {
	ob, err := queue.Open(ctx, p.outbox(be.Mode), log.With("component", "outbox"))
	if err != nil {
		return nil, fmt.Errorf("open outbox: %w", err)
	}
	dir, err := openDirectory(ctx, p, cfg, be.Mode, log.With("component", "directory"))
	if err != nil {
		ob.Close()
		return nil, fmt.Errorf("open directory: %w", err)
	}
	s := &service{
		log: log, paths: p, cfg: cfg, be: be, outbox: ob, dir: dir,
		calls: map[string]*trackedCall{}, online: true,
	}
	s.tracker = tapi.NewTracker(tapi.TrackerOptions{
		Normalize: func(raw string) string {
			e, err := phone.Normalize(raw, cfg.DefaultRegion)
			if err != nil {
				return raw
			}
			return e
		},
		Logger:    log.With("component", "tracker"),
		MinDigits: cfg.MinDigits,
	})
	host, _ := os.Hostname()
	var d queue.Deliverer = deliver.New(be.Client, s.config)
	if err := be.ready(); err != nil {
		d = signInNeeded{err}
		s.authErr = true
	}
	if be.Client != nil {
		c := be.Client
		s.source = directory.NewClioSource(c, clioSourceOptions(c))
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
	s.flusher = queue.NewFlusher(ob, d, queue.FlusherOptions{
		Owner:    fmt.Sprintf("%s-%d", host, os.Getpid()),
		Logger:   log.With("component", "flusher"),
		OnChange: s.refresh,
	})
	return s, nil
}

func (s *service) close() {
	if s.source != nil {
		s.source.Close()
	}
	s.dir.Close()
	s.outbox.Close()
}

func (s *service) setView(v view) {
	s.mu.Lock()
	s.view = v
	s.mu.Unlock()
}

func (s *service) refresh() {
	s.mu.Lock()
	v := s.view
	s.mu.Unlock()
	if v != nil {
		v.Refresh()
	}
}

// run starts the background work: the first directory sync and the flusher.
// It blocks until ctx is cancelled.
func (s *service) run(ctx context.Context) {
	go s.expireRinging(ctx)
	go s.watchFaxes(ctx)
	go func() {
		if err := s.whoAmI(ctx); err != nil {
			s.log.Warn("ask Clio who is signed in", "err", err)
		}
		if s.syncer != nil {
			// An incremental sync now and every 5 minutes; a reconcile daily.
			_ = s.syncer.Run(ctx)
		}
	}()
	if err := s.flusher.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Error("flusher stopped", "err", err)
	}
}

// whoAmI asks Clio who is signed in; the answer also says whether Clio is
// reachable and whether the sign-in still holds.
func (s *service) whoAmI(ctx context.Context) error {
	if err := s.be.ready(); err != nil {
		return err
	}
	u, _, err := s.be.Client.Users.WhoAmI(ctx)
	s.mu.Lock()
	s.online = err == nil
	var ae *clio.AuthError
	s.authErr = errors.As(err, &ae)
	if err == nil {
		s.user = u
	}
	s.mu.Unlock()
	s.refresh()
	if err != nil {
		return fmt.Errorf("who am I: %w", err)
	}
	s.prefillFirmNumbers(ctx)
	return nil
}

// prefillFirmNumbers fills the firm's own numbers (never matched to a
// contact) once from the phone numbers of the firm's Clio users. They take
// effect at the next start; Settings can change them.
func (s *service) prefillFirmNumbers(ctx context.Context) {
	cfg := s.config()
	// Never from the Sandbox: the sample firm's numbers are nobody's.
	if s.be.Mode != ModeConnected || cfg.FirmNumbersFromClio || len(cfg.FirmNumbers) > 0 {
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
	call, changed := s.tracker.Apply(ev)
	if !changed {
		return
	}
	s.onCall(ctx, call)
}

// expireRinging ends calls whose source never reported an end (a lost
// hang-up), so no call stays stuck ringing.
func (s *service) expireRinging(ctx context.Context) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for _, c := range s.tracker.Expire(now) {
				s.onCall(ctx, c)
			}
		}
	}
}

// onMessage queues a text message reported by a source (a Communication
// only, never a time entry), when SMS logging is on.
func (s *service) onMessage(ctx context.Context, m tapi.Message) {
	cfg := s.config()
	if !cfg.SMSLogging {
		s.log.Info("text message not logged: SMS logging is off", "source", m.Source)
		return
	}
	number := m.RemoteE164
	if number == "" {
		if e, err := phone.Normalize(m.Remote, cfg.DefaultRegion); err == nil {
			number = e
		} else {
			number = m.Remote
		}
	}
	it := queue.Item{Kind: queue.KindSMS, Number: number, Name: m.RemoteName, Direction: string(m.Direction),
		StartedAt: m.At, Text: m.Text, Source: m.Source}
	if m.ID != "" {
		it.EventID = "sms-" + m.Source + "-" + m.ID
	}
	s.mu.Lock()
	if s.user != nil {
		it.UserID = s.user.ID
	}
	s.mu.Unlock()
	if res, err := s.dir.Lookup(ctx, number); err == nil {
		if m, ok := confidentMatch(res); ok {
			it.ContactID, it.Name = m.ContactID, m.Name
		}
	}
	if _, err := queueSMS(ctx, s.outbox, cfg, it); err != nil {
		s.log.Error("queue text message", "source", m.Source, "err", err)
		return
	}
	s.log.Info("text message queued", "source", m.Source, "number", phone.Mask(number))
	s.flusher.Kick()
	s.refresh()
}

// onCall updates what the attorney sees for one call.
func (s *service) onCall(ctx context.Context, call tapi.Call) {
	s.mu.Lock()
	tc, ok := s.calls[call.ID]
	if !ok {
		tc = &trackedCall{}
		s.calls[call.ID] = tc
	}
	tc.call = call
	needLookup := !ok
	s.mu.Unlock()
	if needLookup {
		number := call.RemoteE164
		if number == "" {
			number = call.Remote
		}
		res, err := s.dir.LookupWith(ctx, number, directory.LookupOptions{UserID: s.userID()})
		if err != nil {
			s.log.Warn("look up caller", "call_id", call.ID, "err", err)
			res = directory.Result{Number: number, Display: phone.Format(number, s.cfg.DefaultRegion)}
		}
		s.mu.Lock()
		tc.result = res
		s.mu.Unlock()
	}
	s.log.Info("call", "call_id", call.ID, "phase", call.Phase, "source", call.Source, "number", phone.Mask(call.Remote))
	s.mu.Lock()
	v, cfg := s.view, s.cfg
	cv := s.callView(tc)
	s.mu.Unlock()
	if call.Phase == tapi.PhaseEnded && call.Missed() && cfg.LogMissedCalls {
		s.logMissed(ctx, tc)
	}
	// Pop on ring (the default) or only once answered; outbound calls and
	// the wrap-up always show.
	wait := cfg.PopTiming == ui.PopOnAnswer && call.Phase == tapi.PhaseRinging && call.Direction == tapi.DirectionIn
	if v != nil && !cfg.PausePopups && !wait {
		v.ShowCall(cv)
	}
	s.refresh()
}

// logMissed queues a missed call (a Communication only) without asking.
func (s *service) logMissed(ctx context.Context, tc *trackedCall) {
	s.mu.Lock()
	if tc.decided {
		s.mu.Unlock()
		return
	}
	tc.decided = true
	c, res := tc.call, tc.result
	var user int64
	if s.user != nil {
		user = s.user.ID
	}
	s.mu.Unlock()
	it := queue.Item{
		EventID: "missed-" + c.ID + "-" + c.RingAt.UTC().Format("20060102T150405"),
		Kind:    queue.KindMissed, Number: c.RemoteE164, Name: c.RemoteName, UserID: user,
		Direction: string(c.Direction), StartedAt: c.RingAt, Source: c.Source,
	}
	if it.Number == "" {
		it.Number = c.Remote
	}
	if m, ok := confidentMatch(res); ok {
		it.ContactID, it.Name = m.ContactID, m.Name
	}
	if _, err := s.outbox.Enqueue(ctx, it); err != nil {
		s.log.Error("queue missed call", "call_id", c.ID, "err", err)
		return
	}
	s.flusher.Kick()
}

// replay shows every call not yet decided, e.g. calls that rang before the
// window system was up.
func (s *service) replay(v view) {
	s.mu.Lock()
	var views []ui.CallView
	if !s.cfg.PausePopups {
		for _, tc := range s.calls {
			if !tc.decided {
				views = append(views, s.callView(tc))
			}
		}
	}
	s.mu.Unlock()
	for _, cv := range views {
		v.ShowCall(cv)
	}
}

// callView turns a tracked call into what the card shows. Callers hold s.mu.
func (s *service) callView(tc *trackedCall) ui.CallView {
	c := tc.call
	cv := ui.CallView{
		CallID:     c.ID,
		Direction:  string(c.Direction),
		Number:     tc.result.Display,
		RingAt:     c.RingAt,
		AnsweredAt: c.AnsweredAt,
		EndedAt:    c.EndedAt,
		Sandbox:    s.be.Mode == ModeSandbox,

		CallerIDName: c.RemoteName,
	}
	if cv.Number == "" {
		cv.Number = c.Remote
	}
	for _, m := range tc.result.Matches {
		cv.Callers = append(cv.Callers, matchToCaller(m))
	}
	if len(cv.Callers) > 0 && len(cv.Callers[0].Matters) > 0 {
		cv.SuggestedMatterID = cv.Callers[0].Matters[0].ID
	}
	return cv
}

// confirm turns the attorney's wrap-up decision into an outbox item.
func (s *service) confirm(ctx context.Context, w ui.WrapUp) error {
	s.mu.Lock()
	tc, ok := s.calls[w.CallID]
	if ok && tc.decided {
		s.mu.Unlock()
		return nil
	}
	if ok {
		tc.decided = true
	}
	var user int64
	if s.user != nil {
		user = s.user.ID
	}
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("confirm call %s: no such call", w.CallID)
	}
	defer s.refresh()
	if w.Decision == ui.DecisionSkip {
		s.log.Info("call skipped", "call_id", w.CallID)
		return nil
	}
	c := tc.call
	it := queue.Item{
		EventID:   "call-" + c.ID + "-" + c.RingAt.UTC().Format("20060102T150405"),
		Kind:      queue.KindCall,
		Number:    c.RemoteE164,
		Name:      c.RemoteName,
		ContactID: w.ContactID,
		MatterID:  w.MatterID,
		UserID:    user,
		Direction: string(c.Direction),
		StartedAt: c.RingAt,
		DurationS: int64(c.Duration().Round(time.Second) / time.Second),
		Billable:  w.Decision == ui.DecisionBillable,
		Note:      w.Note,
		Source:    c.Source,
	}
	if it.Number == "" {
		it.Number = c.Remote
	}
	if !c.AnsweredAt.IsZero() {
		it.StartedAt = c.AnsweredAt
	}
	for _, m := range tc.result.Matches {
		if m.ContactID == w.ContactID {
			it.Name = m.Name
		}
	}
	if w.NotAClient || tc.notClient {
		it.ContactID = 0
	}
	if _, err := s.outbox.Enqueue(ctx, it); err != nil {
		s.mu.Lock()
		tc.decided = false
		s.mu.Unlock()
		return fmt.Errorf("queue the call: %w", err)
	}
	s.log.Info("call queued", "call_id", c.ID, "billable", it.Billable, "duration_s", it.DurationS)
	s.flusher.Kick()
	if it.ContactID != 0 {
		// The next call from this number suggests this contact and matter first.
		if err := s.dir.RecordLogged(ctx, it.Number, it.ContactID, it.MatterID, it.StartedAt); err != nil {
			s.log.Warn("remember the logged contact", "call_id", c.ID, "err", err)
		}
	}
	return nil
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

// openDirectory opens the local mirror for mode (the Sandbox has its own).
func openDirectory(ctx context.Context, p Paths, cfg Config, mode Mode, log *slog.Logger) (*directory.Directory, error) {
	return directory.Open(ctx, p.directory(mode), directory.Options{
		DefaultRegion: cfg.DefaultRegion, FirmNumbers: cfg.FirmNumbers, MinDigits: cfg.MinDigits,
	}, log)
}

// confidentMatch is the contact an item is filed under without asking: the
// best match, unless only the last digits agreed (a weak match is shown,
// never filed on its own).
func confidentMatch(res directory.Result) (directory.Match, bool) {
	if len(res.Matches) == 0 || res.Matches[0].Strength == directory.StrengthWeak {
		return directory.Match{}, false
	}
	return res.Matches[0], true
}

// directoryMatch is one matched contact, as the directory returns it.
type directoryMatch = directory.Match

// callerToMatch turns a contact picked in the UI back into a match.
func callerToMatch(c ui.Caller) directoryMatch {
	m := directoryMatch{ContactID: c.ContactID, Name: c.Name, Company: c.Company, Strength: c.Strength,
		Reason: "chosen by you", ClientStatus: c.ClientStatus}
	if m.Strength == "" {
		m.Strength = "exact"
	}
	for _, mt := range c.Matters {
		m.Matters = append(m.Matters, directory.Matter{ID: mt.ID, DisplayNumber: mt.DisplayNumber,
			Description: mt.Description, Status: mt.Status, ResponsibleAttorney: mt.ResponsibleAttorney,
			PracticeArea: mt.PracticeArea, Reason: mt.Reason})
	}
	return m
}

func matchToCaller(m directoryMatch) ui.Caller {
	c := ui.Caller{ContactID: m.ContactID, Name: m.Name, Company: m.Company,
		ClientStatus: m.ClientStatus, Strength: m.Strength, Reason: m.Reason}
	for _, mt := range m.Matters {
		c.Matters = append(c.Matters, ui.Matter{ID: mt.ID, DisplayNumber: mt.DisplayNumber,
			Description: mt.Description, Status: mt.Status, ResponsibleAttorney: mt.ResponsibleAttorney,
			PracticeArea: mt.PracticeArea, Reason: mt.Reason})
	}
	return c
}

// searchContacts answers "Find in Clio…" from the local directory.
func (s *service) searchContacts(ctx context.Context, q string, limit int) ([]ui.Caller, error) {
	ms, err := s.dir.Search(ctx, q, limit)
	if err != nil {
		return nil, err
	}
	out := make([]ui.Caller, 0, len(ms))
	for _, m := range ms {
		out = append(out, matchToCaller(m))
	}
	return out, nil
}

// status is what the tray and `calldocket status` show.
type status struct {
	Mode        Mode            `json:"mode"`
	User        string          `json:"user,omitempty"`
	Online      bool            `json:"online"`
	SignInNeed  bool            `json:"sign_in_needed"`
	Syncing     bool            `json:"syncing"`
	Progress    string          `json:"sync_progress,omitempty"`
	Paused      bool            `json:"paused"`
	Waiting     int             `json:"waiting"`
	Queue       map[string]int  `json:"queue"`
	ActiveCalls []activeCallDTO `json:"active_calls"`
	Directory   bool            `json:"directory_ready"`
}

type activeCallDTO struct {
	ID        string `json:"id"`
	Number    string `json:"number"`
	Phase     string `json:"phase"`
	Direction string `json:"direction"`
}

func (s *service) status(ctx context.Context) status {
	counts, err := s.outbox.Counts(ctx)
	if err != nil {
		s.log.Warn("count outbox", "err", err)
	}
	st := status{Mode: s.be.Mode, Queue: map[string]int{}, ActiveCalls: []activeCallDTO{}}
	for k, v := range counts {
		st.Queue[string(k)] = v
	}
	st.Waiting = counts[queue.StatePending] + counts[queue.StateDelivering] + counts[queue.StateFailed]
	s.mu.Lock()
	if s.user != nil {
		st.User = s.user.Name
	}
	// Sign-in is needed when Clio refused who_am_i or a delivery (the
	// flusher pauses on queue.ErrAuth until the next sign-in).
	st.Online, st.SignInNeed, st.Syncing, st.Paused = s.online, s.authErr || s.flusher.Paused(), s.syncing, s.cfg.PausePopups
	st.Progress = s.progress
	for _, tc := range s.calls {
		if !tc.decided && !tc.call.EndedAt.IsZero() {
			st.Waiting++
		}
	}
	s.mu.Unlock()
	for _, c := range s.tracker.Active() {
		st.ActiveCalls = append(st.ActiveCalls, activeCallDTO{
			ID: c.ID, Number: c.RemoteE164, Phase: string(c.Phase), Direction: string(c.Direction),
		})
	}
	s.mu.Lock()
	st.Directory = s.synced
	s.mu.Unlock()
	return st
}

// signInNeeded delivers nothing: with no usable Clio credentials every item
// waits (queue.ErrAuth pauses the flusher) until the user signs in.
type signInNeeded struct{ err error }

func (s signInNeeded) Deliver(ctx context.Context, it queue.Item, rec queue.Recorder) error {
	return fmt.Errorf("%w: %v", queue.ErrAuth, s.err)
}

// config returns a copy of the current settings.
func (s *service) config() Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// update changes the settings and saves them.
func (s *service) update(f func(*Config)) {
	s.mu.Lock()
	f(&s.cfg)
	cfg := s.cfg
	s.mu.Unlock()
	if err := saveConfig(s.paths.config(), cfg); err != nil {
		s.log.Warn("save settings", "err", err)
	}
	s.refresh()
}

// queueSMS queues a text message: on its own, or, with the daily digest on
// and a known contact, appended to that contact's digest for the day, which
// is delivered as one Communication shortly after the day ends.
func queueSMS(ctx context.Context, ob *queue.Outbox, cfg Config, it queue.Item) (queue.Item, error) {
	if !cfg.SMSDailyDigest || it.ContactID == 0 {
		return ob.Enqueue(ctx, it)
	}
	at := it.StartedAt.In(time.Local)
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.Local)
	arrow := "←"
	if it.Direction == "out" {
		arrow = "→"
	}
	it.Text = fmt.Sprintf("%s %s %s", at.Format("15:04"), arrow, it.Text)
	key := fmt.Sprintf("sms-%d-%s", it.ContactID, day.Format(time.DateOnly))
	return ob.AppendDigest(ctx, key, it, day.AddDate(0, 0, 1).Add(5*time.Minute))
}
