package trayctl

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

// fakeNode is one entry of the fake menu; parent 0 is the root.
type fakeNode struct {
	id     int32
	parent int32
	props  map[string]dbus.Variant
}

// fakeLayout is the (ia{sv}av) struct of GetLayout.
type fakeLayout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

// fakeEvent is one com.canonical.dbusmenu.Event call.
type fakeEvent struct {
	ID   int32
	Name string
	Data dbus.Variant
}

// fakeTray is a tiny StatusNotifierItem + dbusmenu on its own bus connection,
// shaped like what fyne.io/systray exports.
type fakeTray struct {
	conn *dbus.Conn

	mu       sync.Mutex
	revision uint32
	nodes    []fakeNode
	events   chan fakeEvent
}

const (
	fakeItemPath = dbus.ObjectPath("/StatusNotifierItem")
	fakeMenuPath = dbus.ObjectPath("/StatusNotifierItem/menu")
)

func str(s string) dbus.Variant { return dbus.MakeVariant(s) }

// sampleMenu mirrors the CallDocket tray: plain entries, a separator, a
// disabled entry, a checkmark, a submenu with a hidden child, and Quit.
func sampleMenu() []fakeNode {
	return []fakeNode{
		{1, 0, map[string]dbus.Variant{"label": str("Connected as Alex"), "enabled": dbus.MakeVariant(false)}},
		{2, 0, map[string]dbus.Variant{"label": str("_Simulate call")}},
		{3, 0, map[string]dbus.Variant{"label": str("Review calls"), "enabled": dbus.MakeVariant(true), "visible": dbus.MakeVariant(true)}},
		{4, 0, map[string]dbus.Variant{"type": str("separator")}},
		{5, 0, map[string]dbus.Variant{"label": str("Pause"), "toggle-type": str("checkmark"), "toggle-state": dbus.MakeVariant(1)}},
		{6, 0, map[string]dbus.Variant{"label": str("More"), "children-display": str("submenu")}},
		{7, 6, map[string]dbus.Variant{"label": str("Settings__local")}},
		{8, 6, map[string]dbus.Variant{"label": str("Secret"), "visible": dbus.MakeVariant(false)}},
		{9, 0, map[string]dbus.Variant{"label": str("Quit")}},
	}
}

// newFakeTray connects a second connection, exports the item and its menu,
// and (when ownName) requests a well-known name like fyne.io/systray does.
func newFakeTray(t *testing.T, ownName string) *fakeTray {
	t.Helper()
	conn, err := dbus.Connect(os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
	if err != nil {
		t.Fatalf("connect fake tray: %v", err)
	}
	t.Cleanup(func() {
		if err := conn.Close(); err != nil {
			t.Logf("close fake tray: %v", err)
		}
	})
	f := &fakeTray{conn: conn, revision: 1, nodes: sampleMenu(), events: make(chan fakeEvent, 16)}
	if _, err := prop.Export(conn, fakeItemPath, prop.Map{itemIface: {
		"Id":       {Value: "io.calldocket.test"},
		"Title":    {Value: "CallDocket"},
		"Status":   {Value: "Active"},
		"Category": {Value: "ApplicationStatus"},
		"IconName": {Value: "calldocket"},
		"Menu":     {Value: fakeMenuPath},
	}}); err != nil {
		t.Fatalf("export fake item properties: %v", err)
	}
	if _, err := prop.Export(conn, fakeMenuPath, prop.Map{menuIface: {
		"Version": {Value: uint32(3)},
		"Status":  {Value: "normal"},
	}}); err != nil {
		t.Fatalf("export fake menu properties: %v", err)
	}
	if err := conn.Export(&fakeMenu{f: f}, fakeMenuPath, menuIface); err != nil {
		t.Fatalf("export fake menu: %v", err)
	}
	if ownName != "" {
		reply, err := conn.RequestName(ownName, dbus.NameFlagDoNotQueue)
		if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
			t.Fatalf("request %s = %v, %v, want primary owner", ownName, reply, err)
		}
	}
	return f
}

// register calls RegisterStatusNotifierItem with service (a path or a name).
func (f *fakeTray) register(ctx context.Context, t *testing.T, service string) {
	t.Helper()
	call := f.conn.Object(WatcherName, WatcherPath).CallWithContext(ctx, watcherIface+".RegisterStatusNotifierItem", 0, service)
	if call.Err != nil {
		t.Fatalf("RegisterStatusNotifierItem(%q) = %v, want nil", service, call.Err)
	}
}

// setLabel changes an entry's label and emits signal ("" for none).
func (f *fakeTray) setLabel(t *testing.T, id int32, label, signal string) {
	t.Helper()
	f.mu.Lock()
	for _, n := range f.nodes {
		if n.id == id {
			n.props["label"] = str(label)
		}
	}
	f.revision++
	rev := f.revision
	f.mu.Unlock()
	var err error
	switch signal {
	case "LayoutUpdated":
		err = f.conn.Emit(fakeMenuPath, menuIface+".LayoutUpdated", rev, int32(0))
	case "ItemsPropertiesUpdated":
		type update struct {
			ID    int32
			Props map[string]dbus.Variant
		}
		type removed struct {
			ID    int32
			Props []string
		}
		err = f.conn.Emit(fakeMenuPath, menuIface+".ItemsPropertiesUpdated",
			[]update{{id, map[string]dbus.Variant{"label": str(label)}}}, []removed{})
	case "":
	default:
		t.Fatalf("unknown signal %q", signal)
	}
	if err != nil {
		t.Fatalf("emit %s: %v", signal, err)
	}
}

func (f *fakeTray) layout(id int32) fakeLayout {
	l := fakeLayout{ID: id, Props: map[string]dbus.Variant{}, Children: []dbus.Variant{}}
	for _, n := range f.nodes {
		if n.id == id {
			for k, v := range n.props {
				l.Props[k] = v
			}
		}
		if n.parent == id && n.id != 0 {
			l.Children = append(l.Children, dbus.MakeVariant(f.layout(n.id)))
		}
	}
	return l
}

// fakeMenu carries the exported com.canonical.dbusmenu methods.
type fakeMenu struct{ f *fakeTray }

func (m *fakeMenu) GetLayout(parentID, depth int32, names []string) (uint32, fakeLayout, *dbus.Error) {
	m.f.mu.Lock()
	defer m.f.mu.Unlock()
	return m.f.revision, m.f.layout(parentID), nil
}

func (m *fakeMenu) Event(id int32, name string, data dbus.Variant, ts uint32) *dbus.Error {
	m.f.mu.Lock()
	known := false
	for _, n := range m.f.nodes {
		known = known || n.id == id
	}
	m.f.mu.Unlock()
	if !known {
		return dbus.MakeFailedError(fmt.Errorf("unknown menu item %d", id))
	}
	m.f.events <- fakeEvent{ID: id, Name: name, Data: data}
	return nil
}

func (m *fakeMenu) AboutToShow(id int32) (bool, *dbus.Error) { return false, nil }
