package keychain

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio/auth"
	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

func TestKeychainTokenStore(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	store := New(nil).Tokens()

	if _, err := store.Load(ctx); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("Load() on an empty keychain error = %v, want auth.ErrNoToken", err)
	}
	want := &auth.Token{AccessToken: "acc", RefreshToken: "ref", Expiry: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Region: "EU", ClientID: "app"}
	if err := store.Save(ctx, want); err != nil {
		t.Fatalf("Save() error = %v", err)
	}
	raw, err := keyring.Get("io.calldocket.app", "clio-token")
	if err != nil {
		t.Fatalf("keyring.Get(io.calldocket.app, clio-token) error = %v", err)
	}
	var stored map[string]any
	if err := json.Unmarshal([]byte(raw), &stored); err != nil || stored["access_token"] != "acc" || stored["region"] != "EU" {
		t.Errorf("stored secret = %s, want the token as one JSON object", raw)
	}
	got, err := store.Load(ctx)
	if err != nil || *got != *want {
		t.Fatalf("Load() = %+v, %v; want %+v", got, err, want)
	}
	if err := store.Delete(ctx); err != nil {
		t.Fatalf("Delete() error = %v", err)
	}
	if err := store.Delete(ctx); err != nil {
		t.Errorf("Delete() of a missing token error = %v, want nil", err)
	}
	if _, err := store.Load(ctx); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("Load() after Delete error = %v, want auth.ErrNoToken", err)
	}
}

func TestKeychainUnreadableToken(t *testing.T) {
	keyring.MockInit()
	const garbage = "not-json-secret-value"
	if err := keyring.Set(Service, AccountToken, garbage); err != nil {
		t.Fatal(err)
	}
	_, err := New(nil).Tokens().Load(context.Background())
	if !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("Load() error = %v, want auth.ErrNoToken", err)
	}
	if strings.Contains(err.Error(), garbage) {
		t.Errorf("Load() error %q echoes the secret", err)
	}
}

func TestKeychainSecret(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	kc := New(nil)
	if _, err := kc.Get(ctx, AccountClientSecret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get() error = %v, want ErrNotFound", err)
	}
	if err := kc.Set(ctx, AccountClientSecret, "s3cret"); err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Get("io.calldocket.app", "clio-client-secret"); err != nil || v != "s3cret" {
		t.Errorf("keyring.Get(clio-client-secret) = %q, %v; want s3cret", v, err)
	}
	if v, err := kc.Get(ctx, AccountClientSecret); err != nil || v != "s3cret" {
		t.Errorf("Get() = %q, %v; want s3cret", v, err)
	}
	if err := kc.Delete(ctx, AccountClientSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(ctx, AccountClientSecret); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get() after delete error = %v, want ErrNotFound", err)
	}
}

// TestKeychainErrors: go-keyring's and D-Bus's failures map onto ours; no
// keychain gives the plain message and never a file fallback.
func TestKeychainErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"unsupported platform", keyring.ErrUnsupportedPlatform, ErrNoKeychain},
		{"no secret service", dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}, ErrNoKeychain},
		{"no session bus", errors.New(`exec: "dbus-launch": executable file not found in $PATH`), ErrNoKeychain},
		{"bus socket gone", &net.OpError{Op: "dial", Net: "unix", Err: errors.New("connect: connection refused")}, ErrNoKeychain},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), ErrLocked},
		{"too big", keyring.ErrSetDataTooBig, keyring.ErrSetDataTooBig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyring.MockInitWithError(tt.err)
			t.Cleanup(keyring.MockInit)
			ctx := context.Background()
			store := New(nil).Tokens()
			_, loadErr := store.Load(ctx)
			saveErr := store.Save(ctx, &auth.Token{AccessToken: "a"})
			for op, err := range map[string]error{"Load": loadErr, "Save": saveErr} {
				if !errors.Is(err, tt.want) {
					t.Errorf("%s() error = %v, want %v", op, err, tt.want)
				}
				if errors.Is(err, auth.ErrNoToken) {
					t.Errorf("%s() error = %v: a broken keychain must not look like 'not signed in'", op, err)
				}
			}
			if tt.want == ErrNoKeychain && loadErr.Error() != "no OS keychain (Secret Service) is available: CallDocket will not store tokens in a file; calls keep queueing offline" {
				t.Errorf("Load() error message = %q, want the plain no-keychain message", loadErr)
			}
		})
	}
}

// TestKeychainTimeout: a hanging keychain gives up after the timeout.
func TestKeychainTimeout(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	kc := New(nil)
	kc.timeout = 50 * time.Millisecond
	kc.get = func(string, string) (string, error) { <-block; return "", nil }
	kc.set = func(string, string, string) error { <-block; return nil }
	kc.del = func(string, string) error { <-block; return nil }
	store := kc.Tokens()
	ctx := context.Background()
	start := time.Now()
	calls := map[string]func() error{
		"Load":   func() error { _, err := store.Load(ctx); return err },
		"Save":   func() error { return store.Save(ctx, &auth.Token{AccessToken: "a"}) },
		"Delete": func() error { return store.Delete(ctx) },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrTimeout) {
			t.Errorf("%s() error = %v, want ErrTimeout", name, err)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("three timed-out calls took %s, want about 150ms", d)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := store.Load(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Load(cancelled ctx) error = %v, want context.Canceled", err)
	}
}
