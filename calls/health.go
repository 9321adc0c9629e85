package calls

import (
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// OfflineAfter is how long deliveries may fail, with no success between,
// before the app says Offline. Online comes back with the next success.
const OfflineAfter = 10 * time.Second

// Health is what the app truthfully says about its links: to Clio
// (online, offline, sign-in needed) and to each call source. It is safe
// for concurrent use.
type Health struct {
	now func() time.Time

	mu           sync.Mutex
	failingSince time.Time // first failed delivery since the last success
	lastErr      string
	signIn       bool
	phones       map[string]string // source -> why its link is down
}

// NewHealth returns a healthy Health on the given clock.
func NewHealth(now func() time.Time) *Health {
	if now == nil {
		now = time.Now
	}
	return &Health{now: now, phones: map[string]string{}}
}

// Observe takes one delivery attempt's (or one Clio request's) outcome:
// nil is a success.
func (h *Health) Observe(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case err == nil:
		h.failingSince, h.lastErr, h.signIn = time.Time{}, "", false
	case isAuth(err):
		h.signIn, h.lastErr = true, err.Error()
	case isRefusal(err):
		// Clio answered and refused this one item: the link is fine.
	default:
		if h.failingSince.IsZero() {
			h.failingSince = h.now()
		}
		h.lastErr = err.Error()
	}
}

// SignInNeeded marks the sign-in as refused (or fixed) from outside a
// delivery: who_am_i, a paused flusher, a new sign-in.
func (h *Health) SignInNeeded(need bool) {
	h.mu.Lock()
	h.signIn = need
	h.mu.Unlock()
}

// PhoneLink records whether a call source is connected; why says what is wrong.
func (h *Health) PhoneLink(source string, up bool, why string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if up {
		delete(h.phones, source)
		return
	}
	h.phones[source] = why
}

// Status is a snapshot of Health.
type Status struct {
	Online       bool     `json:"online"`
	SignInNeeded bool     `json:"sign_in_needed"`
	LastError    string   `json:"last_error,omitempty"`
	PhoneDown    []string `json:"phone_link_down,omitempty"` // "source: why"
}

// Status says where things stand now.
func (h *Health) Status() Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := Status{Online: true, SignInNeeded: h.signIn, LastError: h.lastErr}
	if !h.failingSince.IsZero() && h.now().Sub(h.failingSince) >= OfflineAfter {
		st.Online = false
	}
	for src, why := range h.phones {
		st.PhoneDown = append(st.PhoneDown, src+": "+why)
	}
	sort.Strings(st.PhoneDown)
	return st
}

func isAuth(err error) bool {
	var ae *clio.AuthError
	return errors.Is(err, queue.ErrAuth) || errors.As(err, &ae)
}

// isRefusal: Clio answered with a definite no for this item (parked).
func isRefusal(err error) bool {
	var pe *queue.PermanentError
	return errors.As(err, &pe)
}
