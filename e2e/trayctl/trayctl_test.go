package trayctl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// requireBus fails the test without a session bus: these tests must run as
//
//	dbus-run-session -- go test ./e2e/trayctl/
//
// CALLDOCKET_NO_DBUS=1 turns the failure into a skip, for machines without dbus.
func requireBus(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return
	}
	if os.Getenv("CALLDOCKET_NO_DBUS") == "1" {
		t.Skip("no session bus and CALLDOCKET_NO_DBUS=1")
	}
	t.Fatal("DBUS_SESSION_BUS_ADDRESS is unset: run under `dbus-run-session -- go test ./e2e/trayctl/` " +
		"(or set CALLDOCKET_NO_DBUS=1 to skip the D-Bus tests)")
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func startWatcher(ctx context.Context, t *testing.T) *Watcher {
	t.Helper()
	w, err := StartWatcher(ctx)
	if err != nil {
		t.Fatalf("StartWatcher() = %v, want nil (is another tray watcher running on this bus?)", err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close() = %v, want nil", err)
		}
	})
	return w
}

func setPollInterval(t *testing.T, d time.Duration) {
	t.Helper()
	old := pollInterval
	pollInterval = d
	t.Cleanup(func() { pollInterval = old })
}

var fakeName = fmt.Sprintf("org.kde.StatusNotifierItem-%d-7", os.Getpid())

// wantMenu is sampleMenu as Item.Menu reports it.
var wantMenu = []MenuItem{
	{ID: 1, Label: "Connected as Alex", Enabled: false, Visible: true, Type: TypeStandard},
	{ID: 2, Label: "Simulate call", Enabled: true, Visible: true, Type: TypeStandard},
	{ID: 3, Label: "Review calls", Enabled: true, Visible: true, Type: TypeStandard},
	{ID: 4, Label: "", Enabled: true, Visible: true, Type: TypeSeparator},
	{ID: 5, Label: "Pause", Enabled: true, Visible: true, Type: TypeStandard, ToggleType: "checkmark", ToggleState: 1},
	{ID: 6, Label: "More", Enabled: true, Visible: true, Type: TypeStandard, Submenu: true},
	{ID: 7, Label: "Settings_local", Enabled: true, Visible: true, Type: TypeStandard, Depth: 1},
	{ID: 8, Label: "Secret", Enabled: true, Visible: false, Type: TypeStandard, Depth: 1},
	{ID: 9, Label: "Quit", Enabled: true, Visible: true, Type: TypeStandard},
}

func TestEndToEnd(t *testing.T) {
	requireBus(t)
	tests := []struct {
		name     string
		ownName  string // well-known name the fake requests, "" for none
		register string // argument to RegisterStatusNotifierItem; "" means the unique name
		service  string // wanted Item.Service; "" means the fake's unique name
	}{
		{name: "object path (fyne.io/systray)", register: "/StatusNotifierItem"},
		{name: "well-known bus name", ownName: fakeName, register: fakeName, service: fakeName},
		{name: "unique bus name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t)
			w := startWatcher(ctx, t)
			f := newFakeTray(t, tc.ownName)
			unique := f.conn.Names()[0]
			reg := tc.register
			if reg == "" {
				reg = unique
			}
			f.register(ctx, t, reg)

			it, err := w.WaitItem(ctx)
			if err != nil {
				t.Fatalf("WaitItem() = %v, want nil", err)
			}
			wantService := tc.service
			if wantService == "" {
				wantService = unique
			}
			if it.Service != wantService || it.Path != fakeItemPath {
				t.Fatalf("WaitItem() = %s %s, want %s %s", it.Service, it.Path, wantService, fakeItemPath)
			}

			props, err := it.Properties(ctx)
			if err != nil {
				t.Fatalf("Properties() = %v, want nil", err)
			}
			for k, want := range map[string]any{"Id": "io.calldocket.test", "Status": "Active", "Menu": fakeMenuPath} {
				if got := props[k].Value(); got != want {
					t.Errorf("Properties()[%q] = %v, want %v", k, got, want)
				}
			}
			if title, err := it.Title(ctx); err != nil || title != "CallDocket" {
				t.Errorf("Title() = %q, %v, want %q, nil", title, err, "CallDocket")
			}

			menu, err := it.Menu(ctx)
			if err != nil {
				t.Fatalf("Menu() = %v, want nil", err)
			}
			if !reflect.DeepEqual(menu, wantMenu) {
				t.Errorf("Menu() =\n%+v\nwant\n%+v", menu, wantMenu)
			}

			for _, click := range []struct {
				label string
				id    int32
			}{{"Simulate call", 2}, {"_Simulate call", 2}, {"Settings_local", 7}, {"Quit", 9}} {
				if err := it.Click(ctx, click.label); err != nil {
					t.Fatalf("Click(%q) = %v, want nil", click.label, err)
				}
				select {
				case ev := <-f.events:
					want := fakeEvent{ID: click.id, Name: "clicked", Data: dbus.MakeVariant(int32(0))}
					if !reflect.DeepEqual(ev, want) {
						t.Errorf("Click(%q) sent %+v, want %+v", click.label, ev, want)
					}
				case <-ctx.Done():
					t.Fatalf("Click(%q): no event reached the menu", click.label)
				}
			}
		})
	}
}

func TestClickErrors(t *testing.T) {
	requireBus(t)
	ctx := testContext(t)
	w := startWatcher(ctx, t)
	f := newFakeTray(t, "")
	f.register(ctx, t, "/StatusNotifierItem")
	it, err := w.WaitItem(ctx)
	if err != nil {
		t.Fatalf("WaitItem() = %v, want nil", err)
	}
	tests := []struct {
		label string
		want  error
	}{
		{"Nope", ErrNotFound},
		{"", ErrNotFound},
		{"Connected as Alex", ErrDisabled},
		{"Secret", ErrHidden},
		{"simulate call", ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			err := it.Click(ctx, tc.label)
			var le *LabelError
			if !errors.Is(err, tc.want) || !errors.As(err, &le) {
				t.Fatalf("Click(%q) = %v, want %v as *LabelError", tc.label, err, tc.want)
			}
			if !strings.Contains(err.Error(), `"Review calls"`) {
				t.Errorf("Click(%q) error %q does not list the menu labels", tc.label, err)
			}
		})
	}
	select {
	case ev := <-f.events:
		t.Errorf("failed clicks sent event %+v, want none", ev)
	default:
	}
}

func TestWaitLabel(t *testing.T) {
	requireBus(t)
	tests := []struct {
		name   string
		signal string
		poll   time.Duration
	}{
		// A poll interval longer than the test timeout proves the signal woke WaitLabel.
		{name: "LayoutUpdated", signal: "LayoutUpdated", poll: time.Hour},
		{name: "ItemsPropertiesUpdated", signal: "ItemsPropertiesUpdated", poll: time.Hour},
		{name: "polling", signal: "", poll: 50 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setPollInterval(t, tc.poll)
			ctx := testContext(t)
			w := startWatcher(ctx, t)
			f := newFakeTray(t, "")
			f.register(ctx, t, "/StatusNotifierItem")
			it, err := w.WaitItem(ctx)
			if err != nil {
				t.Fatalf("WaitItem() = %v, want nil", err)
			}

			// Already there: returns at once.
			got, err := it.WaitLabel(ctx, func(l string) bool { return strings.HasPrefix(l, "Connected as") })
			if err != nil || got.ID != 1 {
				t.Fatalf("WaitLabel(Connected as…) = %+v, %v, want item 1", got, err)
			}

			done := make(chan struct{})
			var item MenuItem
			var waitErr error
			go func() {
				defer close(done)
				item, waitErr = it.WaitLabel(ctx, func(l string) bool { return strings.HasPrefix(l, "Offline") })
			}()
			time.Sleep(100 * time.Millisecond) // let WaitLabel subscribe and read the menu once
			f.setLabel(t, 1, "Offline, 2 pending", tc.signal)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("WaitLabel(Offline…) did not return 5 s after the label changed")
			}
			if waitErr != nil || item.ID != 1 || item.Label != "Offline, 2 pending" {
				t.Fatalf("WaitLabel(Offline…) = %+v, %v, want item 1 %q", item, waitErr, "Offline, 2 pending")
			}
		})
	}
}

func TestWaitLabelTimeout(t *testing.T) {
	requireBus(t)
	setPollInterval(t, 20*time.Millisecond)
	ctx := testContext(t)
	w := startWatcher(ctx, t)
	f := newFakeTray(t, "")
	f.register(ctx, t, "/StatusNotifierItem")
	it, err := w.WaitItem(ctx)
	if err != nil {
		t.Fatalf("WaitItem() = %v, want nil", err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	// Hidden entries never match.
	_, err = it.WaitLabel(short, func(l string) bool { return l == "Secret" })
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), `"Quit"`) {
		t.Fatalf("WaitLabel(Secret) = %v, want deadline exceeded naming the menu labels", err)
	}
}

func TestWatcherBookkeeping(t *testing.T) {
	requireBus(t)
	ctx := testContext(t)
	w := startWatcher(ctx, t)

	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if it, err := w.WaitItem(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitItem() with no item = %v, %v, want deadline exceeded", it, err)
	}

	if _, err := StartWatcher(ctx); !errors.Is(err, ErrWatcherTaken) {
		t.Errorf("second StartWatcher() = %v, want ErrWatcherTaken", err)
	}

	f := newFakeTray(t, "")
	sigs := make(chan *dbus.Signal, 16)
	f.conn.Signal(sigs)
	if err := f.conn.AddMatchSignalContext(ctx, dbus.WithMatchInterface(watcherIface)); err != nil {
		t.Fatalf("AddMatchSignal() = %v", err)
	}
	f.register(ctx, t, "/StatusNotifierItem")
	f.register(ctx, t, "/StatusNotifierItem") // re-registration is not a second item
	id := f.conn.Names()[0] + "/StatusNotifierItem"

	watcher := f.conn.Object(WatcherName, WatcherPath)
	var props map[string]dbus.Variant
	if err := watcher.CallWithContext(ctx, propsIface+".GetAll", 0, watcherIface).Store(&props); err != nil {
		t.Fatalf("GetAll(watcher) = %v", err)
	}
	want := map[string]dbus.Variant{
		"RegisteredStatusNotifierItems":  dbus.MakeVariant([]string{id}),
		"IsStatusNotifierHostRegistered": dbus.MakeVariant(true),
		"ProtocolVersion":                dbus.MakeVariant(int32(0)),
	}
	if !reflect.DeepEqual(props, want) {
		t.Errorf("GetAll(watcher) = %v, want %v", props, want)
	}
	var v dbus.Variant
	if err := watcher.CallWithContext(ctx, propsIface+".Get", 0, watcherIface, "ProtocolVersion").Store(&v); err != nil || v.Value() != int32(0) {
		t.Errorf("Get(ProtocolVersion) = %v, %v, want 0", v, err)
	}
	if err := watcher.CallWithContext(ctx, propsIface+".Set", 0, watcherIface, "ProtocolVersion", dbus.MakeVariant(int32(1))).Err; err == nil {
		t.Errorf("Set(ProtocolVersion) = nil, want read-only error")
	}
	if err := watcher.CallWithContext(ctx, watcherIface+".RegisterStatusNotifierHost", 0, "org.example.Host").Err; err != nil {
		t.Errorf("RegisterStatusNotifierHost() = %v, want nil", err)
	}
	if err := watcher.CallWithContext(ctx, watcherIface+".RegisterStatusNotifierItem", 0, "/bad//path").Err; err == nil {
		t.Errorf("RegisterStatusNotifierItem(/bad//path) = nil, want error")
	}

	waitSignal := func(sigs <-chan *dbus.Signal, name string) {
		t.Helper()
		for {
			select {
			case sig := <-sigs:
				if sig.Name == watcherIface+"."+name && len(sig.Body) == 1 && sig.Body[0] == id {
					return
				}
			case <-ctx.Done():
				t.Fatalf("no %s(%q) signal", name, id)
			}
		}
	}
	waitSignal(sigs, "StatusNotifierItemRegistered")
	if n := len(w.Items()); n != 1 {
		t.Errorf("Items() has %d items, want 1", n)
	}

	// The application leaves the bus: the item is dropped.
	// (Each connection needs its own channel: Close closes it.)
	other := newFakeTray(t, "")
	otherSigs := make(chan *dbus.Signal, 16)
	other.conn.Signal(otherSigs)
	if err := other.conn.AddMatchSignalContext(ctx, dbus.WithMatchInterface(watcherIface)); err != nil {
		t.Fatalf("AddMatchSignal() = %v", err)
	}
	if err := f.conn.Close(); err != nil {
		t.Fatalf("close fake tray: %v", err)
	}
	waitSignal(otherSigs, "StatusNotifierItemUnregistered")
	if items := w.Items(); len(items) != 0 {
		t.Errorf("Items() after the item left = %v, want none", items)
	}

	// A new application instance is picked up by WaitItem.
	other.register(ctx, t, "/StatusNotifierItem")
	it, err := w.WaitItem(ctx)
	if err != nil || it.Service != other.conn.Names()[0] {
		t.Fatalf("WaitItem() after restart = %v, %v, want %s", it, err, other.conn.Names()[0])
	}

	if err := w.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if _, err := w.WaitItem(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("WaitItem() after Close = %v, want ErrClosed", err)
	}
	// The name is free again right after Close.
	w2 := startWatcher(ctx, t)
	if len(w2.Items()) != 0 {
		t.Errorf("new watcher Items() = %v, want none", w2.Items())
	}
}

func TestStartWatcherNoBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if _, err := StartWatcher(t.Context()); !errors.Is(err, ErrNoSessionBus) {
		t.Fatalf("StartWatcher() without bus = %v, want ErrNoSessionBus", err)
	}
}
