package app

import (
	"context"

	"github.com/calldocket/calldocket/calls"
)

// status is what the tray and `calldocket status` show.
type status struct {
	Mode        Mode            `json:"mode"`
	User        string          `json:"user,omitempty"`
	Online      bool            `json:"online"`
	SignInNeed  bool            `json:"sign_in_needed"`
	PhoneDown   []string        `json:"phone_link_down"` // "source: why", empty when every source is connected
	LastError   string          `json:"last_error,omitempty"`
	Syncing     bool            `json:"syncing"`
	Progress    string          `json:"sync_progress,omitempty"`
	Paused      bool            `json:"paused"`
	Deciding    int             `json:"waiting_for_decision"` // ended calls nobody decided yet, and refused ones
	Delivering  int             `json:"waiting_for_delivery"` // decided, on their way to Clio
	Waiting     int             `json:"waiting"`              // both together
	Calls       map[string]int  `json:"calls"`                // ledger records by state (not delivered or discarded)
	Queue       map[string]int  `json:"queue"`                // outbox items by state
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
	st := status{Mode: s.be.Mode, Queue: map[string]int{}, Calls: map[string]int{},
		ActiveCalls: []activeCallDTO{}, PhoneDown: []string{}}
	counts, err := s.ledger.Counts(ctx)
	if err != nil {
		s.log.Warn("count calls", "err", err)
	}
	for k, v := range counts {
		st.Calls[string(k)] = v
	}
	st.Deciding, st.Delivering = waitingCounts(counts)
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
	for _, c := range s.core.Active() {
		st.ActiveCalls = append(st.ActiveCalls, activeCallDTO{
			ID: c.ID, Number: c.RemoteE164, Phase: string(c.Phase), Direction: string(c.Direction),
		})
	}
	return st
}

// waitingCounts splits the ledger's counts into calls waiting for the
// attorney's decision (or attention: Clio refused them) and calls waiting
// to reach Clio.
func waitingCounts(c map[calls.State]int) (deciding, delivering int) {
	return c[calls.StateAwaiting] + c[calls.StateLater] + c[calls.StateFailed], c[calls.StateQueued]
}

// offlineStatus is `status` while the tray app is not running: the ledger's
// and the outbox's counts.
func offlineStatus(ctx context.Context, core *calls.Core) (status, error) {
	st := status{Queue: map[string]int{}, Calls: map[string]int{}, ActiveCalls: []activeCallDTO{}, PhoneDown: []string{}}
	counts, err := core.Ledger().Counts(ctx)
	if err != nil {
		return st, err
	}
	for k, v := range counts {
		st.Calls[string(k)] = v
	}
	st.Deciding, st.Delivering = waitingCounts(counts)
	st.Waiting = st.Deciding + st.Delivering
	return st, nil
}
