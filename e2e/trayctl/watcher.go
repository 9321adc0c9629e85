package trayctl

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// D-Bus names of the StatusNotifierWatcher we impersonate.
const (
	WatcherName  = "org.kde.StatusNotifierWatcher"
	WatcherPath  = dbus.ObjectPath("/StatusNotifierWatcher")
	watcherIface = "org.kde.StatusNotifierWatcher"
	// DefaultItemPath is the item path assumed when an item registers by bus name.
	DefaultItemPath = dbus.ObjectPath("/StatusNotifierItem")
)

// closeTimeout bounds the ReleaseName call in Close.
const closeTimeout = 5 * time.Second

// Watcher owns org.kde.StatusNotifierWatcher on the session bus and records the
// StatusNotifierItems that register with it. Items whose connection leaves
// the bus are dropped again.
type Watcher struct {
	conn *dbus.Conn
	sigs chan *dbus.Signal
	done chan struct{} // closed when the signal loop exits

	mu      sync.Mutex
	items   []*Item
	changed chan struct{} // closed and replaced on every change of items
	closed  bool
}

// StartWatcher connects to the session bus named by DBUS_SESSION_BUS_ADDRESS,
// exports /StatusNotifierWatcher and requests org.kde.StatusNotifierWatcher.
// It fails with ErrNoSessionBus when the variable is unset and with
// ErrWatcherTaken when another process owns the name. ctx bounds the setup
// calls only; the watcher lives until Close.
func StartWatcher(ctx context.Context) (*Watcher, error) {
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		return nil, ErrNoSessionBus
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("start watcher: %w", err)
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		return nil, fmt.Errorf("connect session bus: %w", err)
	}
	w := &Watcher{
		conn:    conn,
		sigs:    make(chan *dbus.Signal, 16),
		done:    make(chan struct{}),
		changed: make(chan struct{}),
	}
	if err := w.setup(ctx); err != nil {
		if cerr := conn.Close(); cerr != nil {
			err = fmt.Errorf("%w (close: %v)", err, cerr)
		}
		return nil, err
	}
	return w, nil
}

func (w *Watcher) setup(ctx context.Context) error {
	// Follow name owners first, so an item that leaves right after
	// registering is not missed.
	if err := w.conn.AddMatchSignalContext(ctx,
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchObjectPath("/org/freedesktop/DBus"),
		dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
	); err != nil {
		return fmt.Errorf("watch name owners: %w", err)
	}
	w.conn.Signal(w.sigs)
	go w.signalLoop()

	if err := exportWatcherObject(w); err != nil {
		return err
	}

	var reply uint32
	if err := w.conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.RequestName", 0,
		WatcherName, uint32(dbus.NameFlagDoNotQueue)).Store(&reply); err != nil {
		return fmt.Errorf("request %s: %w", WatcherName, err)
	}
	if dbus.RequestNameReply(reply) != dbus.RequestNameReplyPrimaryOwner {
		return fmt.Errorf("request %s: %w", WatcherName, ErrWatcherTaken)
	}
	return nil
}

// WaitItem returns the first registered item that is still on the bus,
// waiting for one to register if there is none yet.
func (w *Watcher) WaitItem(ctx context.Context) (*Item, error) {
	for {
		w.mu.Lock()
		closed, changed := w.closed, w.changed
		var first *Item
		if len(w.items) > 0 {
			first = w.items[0]
		}
		w.mu.Unlock()
		switch {
		case closed:
			return nil, fmt.Errorf("wait for tray item: %w", ErrClosed)
		case first != nil:
			return first, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for tray item: %w", ctx.Err())
		}
	}
}

// Items returns the registered items that are still on the bus, in
// registration order.
func (w *Watcher) Items() []*Item {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]*Item(nil), w.items...)
}

// Close releases the watcher name and disconnects. Items obtained from the
// watcher stop working. Close is safe to call more than once.
func (w *Watcher) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.changed)
	w.mu.Unlock()

	// Release the name explicitly: the bus then hands it on before this call
	// returns, so a new watcher started right after Close does not race the
	// bus noticing the disconnect.
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	var reply uint32
	relErr := w.conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ReleaseName", 0, WatcherName).Store(&reply)
	err := w.conn.Close()
	<-w.done
	if relErr != nil {
		return fmt.Errorf("release %s: %w", WatcherName, relErr)
	}
	if err != nil {
		return fmt.Errorf("close session bus: %w", err)
	}
	return nil
}

// register records an item; it is called from the exported D-Bus method.
func (w *Watcher) register(sender, service string) *dbus.Error {
	busName, path := sender, dbus.ObjectPath(service)
	if service != "" && !strings.HasPrefix(service, "/") {
		busName, path = service, DefaultItemPath
	} else if service == "" {
		path = DefaultItemPath
	}
	if !path.IsValid() || busName == "" {
		return dbus.MakeFailedError(fmt.Errorf("invalid status notifier item %q", service))
	}
	it := &Item{Service: busName, Path: path, owner: sender, conn: w.conn}
	id := it.String()

	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return dbus.MakeFailedError(ErrClosed)
	}
	for _, old := range w.items {
		if old.String() == id {
			w.mu.Unlock()
			// Re-registration of a known item: nothing changes.
			return nil
		}
	}
	w.items = append(w.items, it)
	ids := w.idsLocked()
	w.notifyLocked()
	w.mu.Unlock()

	// Signals are best effort: the item is recorded either way, and failing
	// the call would make the application believe it has no tray.
	_ = w.emitItems(ids)
	_ = w.conn.Emit(WatcherPath, watcherIface+".StatusNotifierItemRegistered", id)
	return nil
}

// drop forgets the items served by name, which just left the bus.
func (w *Watcher) drop(name string) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	var gone []string
	kept := w.items[:0]
	for _, it := range w.items {
		if it.Service == name || it.owner == name {
			gone = append(gone, it.String())
			continue
		}
		kept = append(kept, it)
	}
	clear(w.items[len(kept):])
	w.items = kept
	if len(gone) == 0 {
		w.mu.Unlock()
		return
	}
	ids := w.idsLocked()
	w.notifyLocked()
	w.mu.Unlock()

	// Best effort: the connection may be closing under us.
	_ = w.emitItems(ids)
	for _, id := range gone {
		_ = w.conn.Emit(WatcherPath, watcherIface+".StatusNotifierItemUnregistered", id)
	}
}

// ids returns the RegisteredStatusNotifierItems value.
func (w *Watcher) ids() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.idsLocked()
}

func (w *Watcher) idsLocked() []string {
	ids := make([]string, len(w.items))
	for i, it := range w.items {
		ids[i] = it.String()
	}
	return ids
}

func (w *Watcher) notifyLocked() {
	close(w.changed)
	w.changed = make(chan struct{})
}

func (w *Watcher) signalLoop() {
	defer close(w.done)
	for sig := range w.sigs {
		if sig == nil || sig.Name != "org.freedesktop.DBus.NameOwnerChanged" || len(sig.Body) != 3 {
			continue
		}
		name, _ := sig.Body[0].(string)
		newOwner, _ := sig.Body[2].(string)
		if name != "" && newOwner == "" {
			w.drop(name)
		}
	}
}
