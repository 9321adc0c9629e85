package trayctl

import (
	"fmt"
	"strings"

	"github.com/godbus/dbus/v5"
)

// Menu entry types as defined by the dbusmenu protocol.
const (
	TypeStandard  = "standard"
	TypeSeparator = "separator"
)

// maxLayoutDepth bounds recursion on hostile or broken layouts.
const maxLayoutDepth = 32

// MenuItem is one entry of a flattened dbusmenu layout, in menu order.
type MenuItem struct {
	ID int32
	// Label is the entry text with dbusmenu mnemonics removed.
	Label   string
	Enabled bool
	Visible bool
	// Type is TypeStandard or TypeSeparator (the protocol allows others).
	Type string
	// Depth is 0 for top-level entries, 1 for entries of a submenu, and so on.
	Depth int
	// ToggleType is "checkmark", "radio" or "" for plain entries.
	ToggleType string
	// ToggleState is 1 when checked, 0 when not, -1 when indeterminate.
	ToggleState int32
	// Submenu is true when the entry opens a submenu.
	Submenu bool
}

// StripMnemonic removes dbusmenu access-key markers: a single "_" is dropped
// and "__" stands for a literal underscore.
func StripMnemonic(label string) string {
	if !strings.Contains(label, "_") {
		return label
	}
	var b strings.Builder
	b.Grow(len(label))
	for i := 0; i < len(label); i++ {
		if label[i] != '_' {
			b.WriteByte(label[i])
			continue
		}
		if i+1 < len(label) && label[i+1] == '_' {
			b.WriteByte('_')
			i++
		}
	}
	return b.String()
}

// parseLayout flattens the layout argument of a GetLayout reply, whose D-Bus
// type is (ia{sv}av). The root node itself is not included.
func parseLayout(v any) ([]MenuItem, error) {
	var out []MenuItem
	if err := parseNode(v, -1, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// parseNode appends the node (unless it is the root, depth -1) and its
// children to out.
func parseNode(v any, depth int, out *[]MenuItem) error {
	if depth >= maxLayoutDepth {
		return fmt.Errorf("%w: deeper than %d levels", ErrBadLayout, maxLayoutDepth)
	}
	fields, ok := v.([]any)
	if !ok || len(fields) != 3 {
		return fmt.Errorf("%w: node is %T, want (ia{sv}av)", ErrBadLayout, v)
	}
	id, ok := fields[0].(int32)
	if !ok {
		return fmt.Errorf("%w: node id is %T, want int32", ErrBadLayout, fields[0])
	}
	props, ok := fields[1].(map[string]dbus.Variant)
	if !ok {
		return fmt.Errorf("%w: properties of item %d are %T, want a{sv}", ErrBadLayout, id, fields[1])
	}
	children, ok := fields[2].([]dbus.Variant)
	if !ok {
		return fmt.Errorf("%w: children of item %d are %T, want av", ErrBadLayout, id, fields[2])
	}
	at := -1
	if depth >= 0 {
		it, err := parseProps(id, props)
		if err != nil {
			return err
		}
		it.Depth = depth
		*out = append(*out, it)
		at = len(*out) - 1
	}
	for _, c := range children {
		if err := parseNode(c.Value(), depth+1, out); err != nil {
			return err
		}
	}
	if at >= 0 && len(children) > 0 {
		(*out)[at].Submenu = true
	}
	return nil
}

// parseProps reads the dbusmenu properties we care about, applying the
// protocol defaults for missing ones.
func parseProps(id int32, props map[string]dbus.Variant) (MenuItem, error) {
	it := MenuItem{ID: id, Enabled: true, Visible: true, Type: TypeStandard}
	var err error
	str := func(key string, dst *string) {
		if v, ok := props[key]; ok && err == nil {
			s, ok := v.Value().(string)
			if !ok {
				err = fmt.Errorf("%w: item %d property %q is %s, want string", ErrBadLayout, id, key, v.Signature())
				return
			}
			*dst = s
		}
	}
	boolean := func(key string, dst *bool) {
		if v, ok := props[key]; ok && err == nil {
			b, ok := v.Value().(bool)
			if !ok {
				err = fmt.Errorf("%w: item %d property %q is %s, want boolean", ErrBadLayout, id, key, v.Signature())
				return
			}
			*dst = b
		}
	}
	var label, display string
	str("label", &label)
	str("type", &it.Type)
	str("toggle-type", &it.ToggleType)
	str("children-display", &display)
	boolean("enabled", &it.Enabled)
	boolean("visible", &it.Visible)
	if err != nil {
		return MenuItem{}, err
	}
	if v, ok := props["toggle-state"]; ok {
		n, ok := toInt32(v.Value())
		if !ok {
			return MenuItem{}, fmt.Errorf("%w: item %d property %q is %s, want int32", ErrBadLayout, id, "toggle-state", v.Signature())
		}
		it.ToggleState = n
	}
	if it.Type == "" {
		it.Type = TypeStandard
	}
	it.Label = StripMnemonic(label)
	it.Submenu = display == "submenu"
	return it, nil
}

// toInt32 accepts any D-Bus integer type; applications disagree on the width
// of toggle-state.
func toInt32(v any) (int32, bool) {
	switch n := v.(type) {
	case int32:
		return n, true
	case int16:
		return int32(n), true
	case uint16:
		return int32(n), true
	case byte:
		return int32(n), true
	case int64:
		if n < -1<<31 || n > 1<<31-1 {
			return 0, false
		}
		return int32(n), true
	case uint32:
		if n > 1<<31-1 {
			return 0, false
		}
		return int32(n), true
	case uint64:
		if n > 1<<31-1 {
			return 0, false
		}
		return int32(n), true
	}
	return 0, false
}
