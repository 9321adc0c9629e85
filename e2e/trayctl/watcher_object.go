package trayctl

import (
	"fmt"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
)

const propsIface = "org.freedesktop.DBus.Properties"

// watcherObject is what the bus sees at /StatusNotifierWatcher. It carries
// the exported D-Bus methods, so that Watcher's own methods (Close, Items, …)
// are not callable over the bus. Properties are served by hand rather than
// with godbus/prop, whose SetMust panics when a signal cannot be sent.
type watcherObject struct{ w *Watcher }

// RegisterStatusNotifierItem accepts a bus name or an object path (then the
// sender is the service), as the various tray libraries do.
func (o *watcherObject) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	return o.w.register(string(sender), service)
}

// RegisterStatusNotifierHost is accepted and ignored: this watcher always
// reports a host.
func (o *watcherObject) RegisterStatusNotifierHost(service string) *dbus.Error {
	return nil
}

// watcherProps implements org.freedesktop.DBus.Properties for the watcher.
type watcherProps struct{ w *Watcher }

func (p *watcherProps) all() map[string]dbus.Variant {
	return map[string]dbus.Variant{
		"RegisteredStatusNotifierItems":  dbus.MakeVariant(p.w.ids()),
		"IsStatusNotifierHostRegistered": dbus.MakeVariant(true),
		"ProtocolVersion":                dbus.MakeVariant(int32(0)),
	}
}

// Get implements org.freedesktop.DBus.Properties.Get.
func (p *watcherProps) Get(iface, name string) (dbus.Variant, *dbus.Error) {
	if iface != watcherIface {
		return dbus.Variant{}, unknownInterface(iface)
	}
	v, ok := p.all()[name]
	if !ok {
		return dbus.Variant{}, dbus.NewError("org.freedesktop.DBus.Error.UnknownProperty",
			[]any{fmt.Sprintf("unknown property %q", name)})
	}
	return v, nil
}

// GetAll implements org.freedesktop.DBus.Properties.GetAll.
func (p *watcherProps) GetAll(iface string) (map[string]dbus.Variant, *dbus.Error) {
	if iface != watcherIface {
		return nil, unknownInterface(iface)
	}
	return p.all(), nil
}

// Set implements org.freedesktop.DBus.Properties.Set; every property is read-only.
func (p *watcherProps) Set(iface, name string, v dbus.Variant) *dbus.Error {
	return dbus.NewError("org.freedesktop.DBus.Error.PropertyReadOnly",
		[]any{fmt.Sprintf("property %q is read-only", name)})
}

func unknownInterface(iface string) *dbus.Error {
	return dbus.NewError("org.freedesktop.DBus.Error.UnknownInterface",
		[]any{fmt.Sprintf("unknown interface %q", iface)})
}

// emitItems announces a new RegisteredStatusNotifierItems value.
func (w *Watcher) emitItems(ids []string) error {
	return w.conn.Emit(WatcherPath, propsIface+".PropertiesChanged", watcherIface,
		map[string]dbus.Variant{"RegisteredStatusNotifierItems": dbus.MakeVariant(ids)}, []string{})
}

// exportWatcherObject exports the watcher interface, its properties and its
// introspection data at WatcherPath.
func exportWatcherObject(w *Watcher) error {
	obj := &watcherObject{w: w}
	if err := w.conn.Export(obj, WatcherPath, watcherIface); err != nil {
		return fmt.Errorf("export watcher: %w", err)
	}
	if err := w.conn.Export(&watcherProps{w: w}, WatcherPath, propsIface); err != nil {
		return fmt.Errorf("export watcher properties: %w", err)
	}
	strArg := []introspect.Arg{{Name: "service", Type: "s"}}
	node := &introspect.Node{
		Name: string(WatcherPath),
		Interfaces: []introspect.Interface{
			introspect.IntrospectData,
			{
				Name: propsIface,
				Methods: []introspect.Method{
					{Name: "Get", Args: []introspect.Arg{
						{Name: "interface", Type: "s", Direction: "in"},
						{Name: "property", Type: "s", Direction: "in"},
						{Name: "value", Type: "v", Direction: "out"}}},
					{Name: "GetAll", Args: []introspect.Arg{
						{Name: "interface", Type: "s", Direction: "in"},
						{Name: "properties", Type: "a{sv}", Direction: "out"}}},
					{Name: "Set", Args: []introspect.Arg{
						{Name: "interface", Type: "s", Direction: "in"},
						{Name: "property", Type: "s", Direction: "in"},
						{Name: "value", Type: "v", Direction: "in"}}},
				},
				Signals: []introspect.Signal{{Name: "PropertiesChanged", Args: []introspect.Arg{
					{Name: "interface", Type: "s"},
					{Name: "changed", Type: "a{sv}"},
					{Name: "invalidated", Type: "as"}}}},
			},
			{
				Name:    watcherIface,
				Methods: introspect.Methods(obj),
				Properties: []introspect.Property{
					{Name: "RegisteredStatusNotifierItems", Type: "as", Access: "read"},
					{Name: "IsStatusNotifierHostRegistered", Type: "b", Access: "read"},
					{Name: "ProtocolVersion", Type: "i", Access: "read"},
				},
				Signals: []introspect.Signal{
					{Name: "StatusNotifierItemRegistered", Args: strArg},
					{Name: "StatusNotifierItemUnregistered", Args: strArg},
					{Name: "StatusNotifierHostRegistered"},
				},
			},
		},
	}
	if err := w.conn.Export(introspect.NewIntrospectable(node), WatcherPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		return fmt.Errorf("export watcher introspection: %w", err)
	}
	return nil
}
