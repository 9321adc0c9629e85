package app

import (
	"context"

	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/ipc"
)

// status is what the tray and `calldocket status` show.
func (s *service) status(ctx context.Context) ipc.Status {
	st := ipc.NewStatus()
	st.Mode = string(s.be.Mode)
	counts, err := s.ledger.Counts(ctx)
	if err != nil {
		s.log.Warn("count calls", "err", err)
	}
	for k, v := range counts {
		st.Calls[string(k)] = v
	}
	st.Deciding, st.Delivering = home.WaitingCounts(counts)
	st.Waiting = st.Deciding + st.Delivering
	oc, err := s.outbox.Counts(ctx)
	if err != nil {
		s.log.Warn("count outbox", "err", err)
	}
	for k, v := range oc {
		st.Queue[string(k)] = v
	}
	h := s.core.Health.Status()
	st.Online, st.LastError = h.Online, h.LastError
	// Sign-in is needed when Clio refused who_am_i or a delivery (the
	// flusher pauses on queue.ErrAuth until the next sign-in).
	st.SignInNeed = h.SignInNeeded || s.flusher.Paused()
	st.PhoneDown = append(st.PhoneDown, h.PhoneDown...)
	st.Paused = s.config().PausePopups
	s.mu.Lock()
	if s.user != nil {
		st.User = s.user.Name
	}
	st.Syncing, st.Progress, st.Directory = s.syncing, s.progress, s.synced
	s.mu.Unlock()
	if bad := s.badSettings.Load(); bad != nil {
		st.SettingsProblem = bad.Error()
	}
	for _, r := range s.repairs {
		st.Damaged = append(st.Damaged, r.String())
	}
	for _, c := range s.core.Active() {
		st.ActiveCalls = append(st.ActiveCalls, ipc.ActiveCall{
			ID: c.ID, Number: c.RemoteE164, Phase: string(c.Phase), Direction: string(c.Direction),
		})
	}
	return st
}
