package app

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

// What CallDocket keeps in the OS keychain (Secret Service, macOS Keychain,
// Windows Credential Manager), under one namespaced service.
const (
	keychainService        = "io.calldocket.app"
	keychainTokenAccount   = "clio-token"         // auth.Token as JSON
	keychainSecretAccount  = "clio-client-secret" // the developer application's secret
	defaultKeychainTimeout = 5 * time.Second
)

var (
	// errKeychainNotFound: no such secret is stored.
	errKeychainNotFound = errors.New("not found in the OS keychain")
	// errNoKeychain: there is no OS keychain to talk to. CallDocket never
	// falls back to a file.
	errNoKeychain = errors.New("no OS keychain (Secret Service) is available: CallDocket will not store tokens in a file; calls keep queueing offline")
	// errKeychainLocked: the keychain exists but stays locked.
	errKeychainLocked = errors.New("the OS keychain is locked: unlock it (sign in to the desktop session) and try again")
	// errKeychainTimeout: the keychain did not answer in time; it can hang
	// waiting for an unlock prompt nobody sees.
	errKeychainTimeout = errors.New("the OS keychain did not answer in time (is it waiting for an unlock prompt?)")
)

// noKeychainError is errNoKeychain with the provider's error kept for
// errors.As and debug logs; its message stays the plain one.
type noKeychainError struct{ cause error }

func (e *noKeychainError) Error() string        { return errNoKeychain.Error() }
func (e *noKeychainError) Is(target error) bool { return target == errNoKeychain }
func (e *noKeychainError) Unwrap() error        { return e.cause }

// keychain wraps go-keyring with a timeout on every call. The provider
// functions are fields so tests can simulate a hanging keychain.
type keychain struct {
	timeout time.Duration
	log     *slog.Logger
	set     func(service, user, secret string) error
	get     func(service, user string) (string, error)
	del     func(service, user string) error
}

func newKeychain(log *slog.Logger) *keychain {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &keychain{timeout: defaultKeychainTimeout, log: log, set: keyring.Set, get: keyring.Get, del: keyring.Delete}
}

// call runs fn in a goroutine and gives up after k.timeout or when ctx
// ends. A call that hangs is left behind; its result is dropped.
func (k *keychain) call(ctx context.Context, op, account string, fn func() (string, error)) (string, error) {
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
			return "", fmt.Errorf("%s %s in the OS keychain: %w", op, account, errKeychainTimeout)
		}
		return "", fmt.Errorf("%s %s in the OS keychain: %w", op, account, ctx.Err())
	}
}

// classify maps go-keyring's and D-Bus's errors onto ours.
func (k *keychain) classify(op, account string, err error) error {
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("%s %s: %w", op, account, errKeychainNotFound)
	case isNoKeychain(err):
		k.log.Debug("no OS keychain", "op", op, "err", err)
		return &noKeychainError{cause: err}
	case strings.Contains(err.Error(), "failed to unlock"):
		k.log.Debug("OS keychain locked", "op", op, "err", err)
		return fmt.Errorf("%s %s: %w", op, account, errKeychainLocked)
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

func (k *keychain) getSecret(ctx context.Context, account string) (string, error) {
	return k.call(ctx, "read", account, func() (string, error) { return k.get(keychainService, account) })
}

func (k *keychain) setSecret(ctx context.Context, account, secret string) error {
	_, err := k.call(ctx, "save", account, func() (string, error) { return "", k.set(keychainService, account, secret) })
	return err
}

// deleteSecret removes a secret; one that is not there is not an error.
func (k *keychain) deleteSecret(ctx context.Context, account string) error {
	_, err := k.call(ctx, "delete", account, func() (string, error) { return "", k.del(keychainService, account) })
	if errors.Is(err, errKeychainNotFound) {
		return nil
	}
	return err
}

// tokenStore keeps the Clio token in the keychain; it implements
// auth.TokenStore.
type tokenStore struct{ kc *keychain }

var _ auth.TokenStore = tokenStore{}

// Load returns the stored token, or an error wrapping auth.ErrNoToken.
func (s tokenStore) Load(ctx context.Context) (*auth.Token, error) {
	v, err := s.kc.getSecret(ctx, keychainTokenAccount)
	if errors.Is(err, errKeychainNotFound) {
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
func (s tokenStore) Save(ctx context.Context, t *auth.Token) error {
	b, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encode the clio token: %w", err)
	}
	return s.kc.setSecret(ctx, keychainTokenAccount, string(b))
}

// Delete removes the token; a missing one is not an error.
func (s tokenStore) Delete(ctx context.Context) error {
	return s.kc.deleteSecret(ctx, keychainTokenAccount)
}
