package deliver

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// classify maps Clio's typed errors onto the outbox's retry semantics.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var (
		perm *queue.PermanentError
		rl   *clio.RateLimitError
		ae   *clio.AuthError
	)
	if errors.As(err, &perm) {
		return err
	}
	if errors.As(err, &rl) {
		return &queue.RetryError{After: rl.RetryAfter, Err: err}
	}
	if errors.As(err, &ae) && ae.StatusCode == 401 {
		return fmt.Errorf("%w: %w", queue.ErrAuth, err)
	}
	if clio.IsPermanent(err) {
		return &queue.PermanentError{Err: PlainError(err)}
	}
	return err
}

// PlainError says in plain words, in one line for people, why Clio refused
// err, keeping Clio's own message (e.g. "This matter requires UTBMS
// codes") rather than our wrapping. Other errors are returned unchanged.
func PlainError(err error) error {
	var (
		api *clio.APIError
		ae  *clio.AuthError
	)
	switch {
	case errors.As(err, &ae):
		return errors.New("Clio refused: your Clio user lacks the permission for this (ask your Clio administrator)")
	case errors.As(err, &api):
		msg := strings.TrimSpace(api.Message)
		low := strings.ToLower(msg)
		switch {
		case strings.Contains(low, "utbms"):
			return errors.New("This matter requires UTBMS codes")
		case api.StatusCode == 404:
			return errors.New("Clio no longer has the contact, matter or folder this was filed under")
		case msg != "":
			return errors.New(sentence(msg))
		}
		return fmt.Errorf("Clio refused it (error %d)", api.StatusCode)
	}
	return err
}

// sentence capitalizes the first letter of s.
func sentence(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}
