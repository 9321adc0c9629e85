package trayctl

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	itemIface = "org.kde.StatusNotifierItem"
	menuIface = "com.canonical.dbusmenu"
)

// pollInterval is how often WaitLabel re-reads the menu when no
// LayoutUpdated or ItemsPropertiesUpdated signal arrives. Tests shorten or
// lengthen it.
var pollInterval = 200 * time.Millisecond

// Item is a StatusNotifierItem that registered with the Watcher. Its methods
// use the watcher's bus connection and stop working after Watcher.Close.
type Item struct {
	// Service is the bus name to call: the sender's unique name when the item
	// registered by object path, else the name it registered.
	Service string
	// Path is the object path of the org.kde.StatusNotifierItem object.
	Path dbus.ObjectPath

	owner string // unique name of the registering connection
	conn  *dbus.Conn
}

// String returns the item as listed in RegisteredStatusNotifierItems,
// e.g. ":1.42/StatusNotifierItem".
func (it *Item) String() string { return it.Service + string(it.Path) }

// Properties returns all org.kde.StatusNotifierItem properties (Id, Title,
// Status, Menu, ToolTip, IconName or IconPixmap, …).
func (it *Item) Properties(ctx context.Context) (map[string]dbus.Variant, error) {
	var props map[string]dbus.Variant
	err := it.conn.Object(it.Service, it.Path).
		CallWithContext(ctx, propsIface+".GetAll", 0, itemIface).Store(&props)
	if err != nil {
		return nil, fmt.Errorf("read tray item properties of %s: %w", it, err)
	}
	return props, nil
}

// Title returns the item's Title property.
func (it *Item) Title(ctx context.Context) (string, error) {
	v, err := it.property(ctx, "Title")
	if err != nil {
		return "", err
	}
	s, ok := v.Value().(string)
	if !ok {
		return "", fmt.Errorf("read tray item title of %s: property is %s, want string", it, v.Signature())
	}
	return s, nil
}

func (it *Item) property(ctx context.Context, name string) (dbus.Variant, error) {
	var v dbus.Variant
	err := it.conn.Object(it.Service, it.Path).
		CallWithContext(ctx, propsIface+".Get", 0, itemIface, name).Store(&v)
	if err != nil {
		return dbus.Variant{}, fmt.Errorf("read tray item property %s of %s: %w", name, it, err)
	}
	return v, nil
}

// menuPath returns the object path of the item's dbusmenu.
func (it *Item) menuPath(ctx context.Context) (dbus.ObjectPath, error) {
	v, err := it.property(ctx, "Menu")
	if err != nil {
		return "", err
	}
	p, ok := v.Value().(dbus.ObjectPath)
	if !ok || !p.IsValid() || p == "/" {
		return "", fmt.Errorf("tray item %s: %w (Menu is %v)", it, ErrNoMenu, v)
	}
	return p, nil
}

// Menu returns the whole menu (GetLayout(0, -1, [])) flattened in menu order;
// see MenuItem.Depth for the nesting.
func (it *Item) Menu(ctx context.Context) ([]MenuItem, error) {
	path, err := it.menuPath(ctx)
	if err != nil {
		return nil, err
	}
	return it.layout(ctx, path)
}

func (it *Item) layout(ctx context.Context, path dbus.ObjectPath) ([]MenuItem, error) {
	call := it.conn.Object(it.Service, path).
		CallWithContext(ctx, menuIface+".GetLayout", 0, int32(0), int32(-1), []string{})
	if call.Err != nil {
		return nil, fmt.Errorf("read tray menu of %s: %w", it, call.Err)
	}
	if len(call.Body) != 2 {
		return nil, fmt.Errorf("read tray menu of %s: %w: reply has %d values, want 2", it, ErrBadLayout, len(call.Body))
	}
	items, err := parseLayout(call.Body[1])
	if err != nil {
		return nil, fmt.Errorf("read tray menu of %s: %w", it, err)
	}
	return items, nil
}

// Click sends a "clicked" event to the menu entry whose label is label
// (mnemonics stripped on both sides). It fails with a *LabelError wrapping
// ErrNotFound, ErrDisabled or ErrHidden when no visible, enabled entry has
// that label. With duplicates, the first visible and enabled one wins.
func (it *Item) Click(ctx context.Context, label string) error {
	path, err := it.menuPath(ctx)
	if err != nil {
		return fmt.Errorf("click %q: %w", label, err)
	}
	items, err := it.layout(ctx, path)
	if err != nil {
		return fmt.Errorf("click %q: %w", label, err)
	}
	target, err := findLabel(items, label)
	if err != nil {
		return err
	}
	ts := uint32(time.Now().Unix())
	call := it.conn.Object(it.Service, path).CallWithContext(ctx, menuIface+".Event", 0,
		target.ID, "clicked", dbus.MakeVariant(int32(0)), ts)
	if call.Err != nil {
		return fmt.Errorf("click %q (item %d) on %s: %w", label, target.ID, it, call.Err)
	}
	return nil
}

// findLabel picks the entry to click for label.
func findLabel(items []MenuItem, label string) (MenuItem, error) {
	want := StripMnemonic(label)
	var cause error = ErrNotFound
	for _, m := range items {
		if m.Type == TypeSeparator || (m.Label != label && m.Label != want) {
			continue
		}
		switch {
		case !m.Visible:
			if cause == ErrNotFound {
				cause = ErrHidden
			}
		case !m.Enabled:
			cause = ErrDisabled
		default:
			return m, nil
		}
	}
	return MenuItem{}, &LabelError{Label: label, Labels: labels(items), Err: cause}
}

func labels(items []MenuItem) []string {
	out := make([]string, 0, len(items))
	for _, m := range items {
		if m.Type != TypeSeparator {
			out = append(out, m.Label)
		}
	}
	return out
}

// WaitLabel returns the first visible menu entry whose label satisfies pred,
// re-reading the menu on every LayoutUpdated or ItemsPropertiesUpdated signal
// and at least every 200 ms. Read errors (the application may still be
// starting) are retried until ctx ends; the error then wraps ctx.Err() and
// names the last menu seen.
func (it *Item) WaitLabel(ctx context.Context, pred func(label string) bool) (MenuItem, error) {
	wake, stop := it.watchMenu(ctx)
	defer stop()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	var last []MenuItem
	var lastErr error
	for {
		items, err := it.Menu(ctx)
		if err == nil {
			last, lastErr = items, nil
			for _, m := range items {
				if m.Visible && m.Type != TypeSeparator && pred(m.Label) {
					return m, nil
				}
			}
		} else if ctx.Err() == nil {
			// Keep the last real failure, not the cancellation it ends in.
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return MenuItem{}, fmt.Errorf("wait for tray menu label on %s: %w (last error: %v)", it, ctx.Err(), lastErr)
			}
			return MenuItem{}, fmt.Errorf("wait for tray menu label on %s: %w (menu labels: %s)",
				it, ctx.Err(), strings.Join(quote(labels(last)), ", "))
		case <-wake:
		case <-tick.C:
		}
	}
}

// watchMenu subscribes to the item's dbusmenu signals. The returned channel
// receives a value whenever the menu may have changed; stop unsubscribes.
// When subscribing fails, WaitLabel still works by polling.
func (it *Item) watchMenu(ctx context.Context) (<-chan struct{}, func()) {
	wake := make(chan struct{}, 1)
	path, err := it.menuPath(ctx)
	if err != nil {
		return wake, func() {}
	}
	opts := []dbus.MatchOption{
		dbus.WithMatchSender(it.Service),
		dbus.WithMatchObjectPath(path),
		dbus.WithMatchInterface(menuIface),
	}
	if err := it.conn.AddMatchSignalContext(ctx, opts...); err != nil {
		return wake, func() {}
	}
	sigs := make(chan *dbus.Signal, 8)
	it.conn.Signal(sigs)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case sig, ok := <-sigs:
				if !ok {
					return
				}
				if sig.Path != path || !strings.HasPrefix(sig.Name, menuIface+".") {
					continue
				}
				select {
				case wake <- struct{}{}:
				default:
				}
			case <-done:
				return
			}
		}
	}()
	return wake, func() {
		it.conn.RemoveSignal(sigs)
		close(done)
		<-finished
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
		defer cancel()
		// Best effort: the connection may be gone, and a leftover match
		// rule only costs the bus a little filtering.
		_ = it.conn.RemoveMatchSignalContext(rctx, opts...)
	}
}

func quote(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
