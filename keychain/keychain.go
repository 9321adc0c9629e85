package keychain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio/auth"
	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// Service is the one namespaced service CallDocket keeps its secrets under.
const Service = "io.calldocket.app"

// The accounts CallDocket keeps in the OS keychain (Secret Service, macOS
// Keychain, Windows Credential Manager), under Service.
const (
	AccountToken        = "clio-token"         // auth.Token as JSON
	AccountClientSecret = "clio-client-secret" // the Clio developer application's secret
	AccountSIP          = "sip-password"       // the SIP call source's digest password
	AccountAMI          = "ami-password"       // the Asterisk manager interface's secret
)

// DefaultTimeout bounds every keychain call.
const DefaultTimeout = 5 * time.Second

var (
	// ErrNotFound: no such secret is stored.
	ErrNotFound = errors.New("not found in the OS keychain")
	// ErrNoKeychain: there is no OS keychain to talk to. CallDocket never
	// falls back to a file.
	ErrNoKeychain = errors.New("no OS keychain (Secret Service) is available: CallDocket will not store tokens in a file; calls keep queueing offline")
	// ErrLocked: the keychain exists but stays locked.
	ErrLocked = errors.New("the OS keychain is locked: unlock it (sign in to the desktop session) and try again")
	// ErrTimeout: the keychain did not answer in time; it can hang
	// waiting for an unlock prompt nobody sees.
	ErrTimeout = errors.New("the OS keychain did not answer in time (is it waiting for an unlock prompt?)")
)

// noKeychainError is ErrNoKeychain with the provider's error kept for
// errors.As and debug logs; its message stays the plain one.
type noKeychainError struct{ cause error }

func (e *noKeychainError) Error() string        { return ErrNoKeychain.Error() }
func (e *noKeychainError) Is(target error) bool { return target == ErrNoKeychain }
func (e *noKeychainError) Unwrap() error        { return e.cause }

// Store wraps go-keyring with a timeout on every call. The provider
// functions are fields so tests can simulate a hanging keychain.
type Store struct {
	timeout time.Duration
	log     *slog.Logger
	set     func(service, user, secret string) error
	get     func(service, user string) (string, error)
	del     func(service, user string) error
}

// New returns the OS keychain with DefaultTimeout on every call; log (may
// be nil) hears about timeouts and missing keychains, never secrets.
func New(log *slog.Logger) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{timeout: DefaultTimeout, log: log, set: keyring.Set, get: keyring.Get, del: keyring.Delete}
}

// call runs fn in a goroutine and gives up after k.timeout or when ctx
// ends. A call that hangs is left behind; its result is dropped.
func (k *Store) call(ctx context.Context, op, account string, fn func() (string, error)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, k.timeout)
	defer cancel()
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := fn()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return "", k.classify(op, account, r.err)
		}
		return r.v, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			k.log.Warn("keychain call timed out", "op", op, "account", account, "timeout", k.timeout)
			return "", fmt.Errorf("%s %s in the OS keychain: %w", op, account, ErrTimeout)
		}
		return "", fmt.Errorf("%s %s in the OS keychain: %w", op, account, ctx.Err())
	}
}

// classify maps go-keyring's and D-Bus's errors onto ours.
func (k *Store) classify(op, account string, err error) error {
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("%s %s: %w", op, account, ErrNotFound)
	case isNoKeychain(err):
		k.log.Debug("no OS keychain", "op", op, "err", err)
		return &noKeychainError{cause: err}
	case strings.Contains(err.Error(), "failed to unlock"):
		k.log.Debug("OS keychain locked", "op", op, "err", err)
		return fmt.Errorf("%s %s: %w", op, account, ErrLocked)
	}
	return fmt.Errorf("%s %s in the OS keychain: %w", op, account, err)
}

// isNoKeychain recognises a missing Secret Service: no session bus, no
// service owning org.freedesktop.secrets, or an unsupported platform.
func isNoKeychain(err error) bool {
	if errors.Is(err, keyring.ErrUnsupportedPlatform) || errors.Is(err, os.ErrNotExist) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true // the session bus socket is gone
	}
	var dbusErr dbus.Error
	if errors.As(err, &dbusErr) {
		switch {
		case dbusErr.Name == "org.freedesktop.DBus.Error.ServiceUnknown",
			dbusErr.Name == "org.freedesktop.DBus.Error.NameHasNoOwner",
			strings.HasPrefix(dbusErr.Name, "org.freedesktop.DBus.Error.Spawn"):
			return true
		}
	}
	msg := err.Error()
	for _, s := range []string{"dbus-launch", "DBUS_SESSION_BUS_ADDRESS", "$DISPLAY", "autolaunch", "org.freedesktop.secrets was not provided"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// Get reads the secret of account; one that is not stored is ErrNotFound.
func (k *Store) Get(ctx context.Context, account string) (string, error) {
	return k.call(ctx, "read", account, func() (string, error) { return k.get(Service, account) })
}

// Set stores secret under account.
func (k *Store) Set(ctx context.Context, account, secret string) error {
	_, err := k.call(ctx, "save", account, func() (string, error) { return "", k.set(Service, account, secret) })
	return err
}

// Delete removes a secret; one that is not there is not an error.
func (k *Store) Delete(ctx context.Context, account string) error {
	_, err := k.call(ctx, "delete", account, func() (string, error) { return "", k.del(Service, account) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// TokenStore keeps the Clio token in the keychain, as one JSON secret
// under AccountToken; it implements auth.TokenStore.
type TokenStore struct{ kc *Store }

var _ auth.TokenStore = TokenStore{}

// Tokens returns the token store on k.
func (k *Store) Tokens() TokenStore { return TokenStore{k} }

// Load returns the stored token, or an error wrapping auth.ErrNoToken.
func (s TokenStore) Load(ctx context.Context) (*auth.Token, error) {
	v, err := s.kc.Get(ctx, AccountToken)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w (no token in the OS keychain)", auth.ErrNoToken)
	}
	if err != nil {
		return nil, err
	}
	var t auth.Token
	if err := json.Unmarshal([]byte(v), &t); err != nil || t.AccessToken == "" {
		// Never echo the value: it is a secret.
		return nil, fmt.Errorf("%w (the token in the OS keychain is unreadable; sign in again)", auth.ErrNoToken)
	}
	return &t, nil
}

// Save stores t as one JSON secret.
func (s TokenStore) Save(ctx context.Context, t *auth.Token) error {
	b, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encode the clio token: %w", err)
	}
	return s.kc.Set(ctx, AccountToken, string(b))
}

// Delete removes the token; a missing one is not an error.
func (s TokenStore) Delete(ctx context.Context) error {
	return s.kc.Delete(ctx, AccountToken)
}
