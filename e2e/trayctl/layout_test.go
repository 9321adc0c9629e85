package trayctl

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"github.com/godbus/dbus/v5"
)

// node builds a layout node the way godbus decodes (ia{sv}av).
func node(id int32, props map[string]dbus.Variant, children ...any) []any {
	if props == nil {
		props = map[string]dbus.Variant{}
	}
	vs := make([]dbus.Variant, len(children))
	for i, c := range children {
		vs[i] = dbus.MakeVariant(c)
	}
	return []any{id, props, vs}
}

var layoutTests = []struct {
	name    string
	in      any
	want    []MenuItem
	wantErr error
}{
	{name: "empty root", in: node(0, nil), want: nil},
	{
		name: "defaults and mnemonics",
		in: node(0, nil,
			node(3, map[string]dbus.Variant{"label": str("Show _screen pop")}),
			node(5, map[string]dbus.Variant{"type": str("separator")}),
			node(6, map[string]dbus.Variant{"label": str("Quit"), "enabled": dbus.MakeVariant(false), "visible": dbus.MakeVariant(false)}),
		),
		want: []MenuItem{
			{ID: 3, Label: "Show screen pop", Enabled: true, Visible: true, Type: TypeStandard},
			{ID: 5, Enabled: true, Visible: true, Type: TypeSeparator},
			{ID: 6, Label: "Quit", Type: TypeStandard},
		},
	},
	{
		name: "nested with toggles",
		in: node(0, nil,
			node(1, map[string]dbus.Variant{"label": str("More"), "type": str("")},
				node(2, map[string]dbus.Variant{"label": str("Pause"), "toggle-type": str("checkmark"), "toggle-state": dbus.MakeVariant(int64(1))}),
				node(4, map[string]dbus.Variant{"label": str("Deep")},
					node(7, map[string]dbus.Variant{"label": str("Deeper"), "toggle-state": dbus.MakeVariant(int32(-1))})),
			),
		),
		want: []MenuItem{
			{ID: 1, Label: "More", Enabled: true, Visible: true, Type: TypeStandard, Submenu: true},
			{ID: 2, Label: "Pause", Enabled: true, Visible: true, Type: TypeStandard, Depth: 1, ToggleType: "checkmark", ToggleState: 1},
			{ID: 4, Label: "Deep", Enabled: true, Visible: true, Type: TypeStandard, Depth: 1, Submenu: true},
			{ID: 7, Label: "Deeper", Enabled: true, Visible: true, Type: TypeStandard, Depth: 2, ToggleState: -1},
		},
	},
	{name: "not a struct", in: "hello", wantErr: ErrBadLayout},
	{name: "short struct", in: []any{int32(0), map[string]dbus.Variant{}}, wantErr: ErrBadLayout},
	{name: "id not int32", in: []any{uint32(0), map[string]dbus.Variant{}, []dbus.Variant{}}, wantErr: ErrBadLayout},
	{name: "props not a{sv}", in: []any{int32(0), map[string]string{}, []dbus.Variant{}}, wantErr: ErrBadLayout},
	{name: "children not av", in: []any{int32(0), map[string]dbus.Variant{}, []any{}}, wantErr: ErrBadLayout},
	{name: "child not a node", in: node(0, nil, "x"), wantErr: ErrBadLayout},
	{name: "label not a string", in: node(0, nil, node(1, map[string]dbus.Variant{"label": dbus.MakeVariant(int32(4))})), wantErr: ErrBadLayout},
	{name: "enabled not a boolean", in: node(0, nil, node(1, map[string]dbus.Variant{"enabled": str("yes")})), wantErr: ErrBadLayout},
	{name: "toggle-state too big", in: node(0, nil, node(1, map[string]dbus.Variant{"toggle-state": dbus.MakeVariant(uint64(1 << 40))})), wantErr: ErrBadLayout},
	{name: "too deep", in: deepLayout(maxLayoutDepth + 1), wantErr: ErrBadLayout},
}

func deepLayout(n int) any {
	var v any = node(int32(n), nil)
	for i := n - 1; i >= 0; i-- {
		v = node(int32(i), nil, v)
	}
	return v
}

func TestParseLayout(t *testing.T) {
	for _, tc := range layoutTests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseLayout(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("parseLayout(%v) error = %v, want %v", tc.in, err, tc.wantErr)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseLayout(%v) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

var mnemonicTests = []struct{ in, want string }{
	{"", ""},
	{"Quit", "Quit"},
	{"_Quit", "Quit"},
	{"Save _As", "Save As"},
	{"a__b", "a_b"},
	{"a___b", "a_b"},
	{"trailing_", "trailing"},
	{"__", "_"},
	{"Ünïcode _ß", "Ünïcode ß"},
}

func TestStripMnemonic(t *testing.T) {
	for _, tc := range mnemonicTests {
		t.Run(tc.in, func(t *testing.T) {
			if got := StripMnemonic(tc.in); got != tc.want {
				t.Errorf("StripMnemonic(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFindLabel(t *testing.T) {
	items := []MenuItem{
		{ID: 1, Label: "Dup", Enabled: false, Visible: true},
		{ID: 2, Label: "Dup", Enabled: true, Visible: true},
		{ID: 3, Label: "Gone", Enabled: true, Visible: false},
		{ID: 4, Label: "Gone", Enabled: false, Visible: true},
		{ID: 5, Label: "", Type: TypeSeparator, Enabled: true, Visible: true},
	}
	tests := []struct {
		label  string
		wantID int32
		want   error
	}{
		{"Dup", 2, nil},
		{"D_up", 2, nil},
		{"Gone", 0, ErrDisabled},
		{"", 0, ErrNotFound},
		{"Missing", 0, ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			got, err := findLabel(items, tc.label)
			if !errors.Is(err, tc.want) || got.ID != tc.wantID {
				t.Errorf("findLabel(%q) = %d, %v, want %d, %v", tc.label, got.ID, err, tc.wantID, tc.want)
			}
		})
	}
}

func FuzzStripMnemonic(f *testing.F) {
	for _, tc := range mnemonicTests {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := StripMnemonic(in)
		if len(got) > len(in) {
			t.Errorf("StripMnemonic(%q) = %q, longer than the input", in, got)
		}
	})
}

// replyBytes encodes a GetLayout reply carrying layout as a D-Bus message.
func replyBytes(tb testing.TB, layout any) []byte {
	tb.Helper()
	body := []any{uint32(1), layout}
	msg := &dbus.Message{
		Type: dbus.TypeMethodReply,
		Headers: map[dbus.HeaderField]dbus.Variant{
			dbus.FieldReplySerial: dbus.MakeVariant(uint32(1)),
			dbus.FieldSignature:   dbus.MakeVariant(dbus.SignatureOf(body...)),
		},
		Body: body,
	}
	var buf bytes.Buffer
	if err := msg.EncodeTo(&buf, binary.LittleEndian); err != nil {
		tb.Fatalf("encode reply: %v", err)
	}
	return buf.Bytes()
}

// FuzzParseLayout feeds arbitrary D-Bus messages to the layout parser, seeded
// with the well-formed layouts of the unit-test table.
func FuzzParseLayout(f *testing.F) {
	for _, tc := range layoutTests {
		if tc.wantErr == nil {
			f.Add(replyBytes(f, tc.in))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := dbus.DecodeMessage(bytes.NewReader(data))
		if err != nil || len(msg.Body) != 2 {
			return
		}
		items, err := parseLayout(msg.Body[1])
		if err != nil && !errors.Is(err, ErrBadLayout) {
			t.Fatalf("parseLayout() error = %v, want ErrBadLayout", err)
		}
		for _, it := range items {
			if it.Depth < 0 || it.Depth >= maxLayoutDepth {
				t.Fatalf("parseLayout() item %d depth = %d, want 0..%d", it.ID, it.Depth, maxLayoutDepth-1)
			}
		}
	})
}
