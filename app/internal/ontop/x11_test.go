//go:build linux || freebsd || openbsd || netbsd

package ontop

import (
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

var parseAtomListTests = []struct {
	name   string
	format byte
	value  []byte
	want   []uint32
}{
	{"empty", 32, nil, []uint32{}},
	{"one", 32, []byte{0x2a, 0, 0, 0}, []uint32{42}},
	{"two", 32, []byte{1, 0, 0, 0, 0, 1, 0, 0}, []uint32{1, 256}},
	{"trailing partial item", 32, []byte{7, 0, 0, 0, 9, 9}, []uint32{7}},
	{"8-bit format", 8, []byte("abcd"), nil},
	{"16-bit format", 16, []byte{1, 0, 2, 0}, nil},
}

func TestParseAtomList(t *testing.T) {
	for _, tc := range parseAtomListTests {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseAtomList(tc.format, tc.value)
			if !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("ParseAtomList(%d, %v) = %v, want %v", tc.format, tc.value, got, tc.want)
			}
		})
	}
}

func FuzzParseAtomList(f *testing.F) {
	for _, tc := range parseAtomListTests {
		f.Add(tc.format, tc.value)
	}
	f.Fuzz(func(t *testing.T, format byte, value []byte) {
		got := ParseAtomList(format, value)
		if format != 32 {
			if got != nil {
				t.Fatalf("ParseAtomList(%d, …) = %v, want nil", format, got)
			}
			return
		}
		if len(got) != len(value)/4 {
			t.Fatalf("len(ParseAtomList(32, %d bytes)) = %d, want %d", len(value), len(got), len(value)/4)
		}
	})
}

// shared holds the X connections of the whole test run: an X server resets
// when its last client disconnects, and a connection attempt during the
// reset reads EOF, so the tests never close them.
var shared struct {
	once sync.Once
	x    *X11
	c    *xgb.Conn
	err  error
}

// display connects to the X server of the test run, or skips: run under
// xvfb-run for these. They expect no window manager, as under plain Xvfb.
func display(t *testing.T) (*X11, *xgb.Conn) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no DISPLAY in CI: make test runs these under xvfb-run")
		}
		t.Skip("no DISPLAY: run under xvfb-run")
	}
	shared.once.Do(func() {
		if shared.x, shared.err = DialX11(""); shared.err == nil {
			shared.c, shared.err = xgb.NewConn()
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	x, c := shared.x, shared.c
	if wm, err := x.wmRunning(); err != nil || wm {
		t.Skipf("a window manager runs (%v, %v): these tests check the WM-free path", wm, err)
	}
	return x, c
}

// newWindow creates a 50×50 top-level window on c.
func newWindow(t *testing.T, c *xgb.Conn) xproto.Window {
	t.Helper()
	scr := xproto.Setup(c).DefaultScreen(c)
	id, err := xproto.NewWindowId(c)
	if err != nil {
		t.Fatal(err)
	}
	err = xproto.CreateWindowChecked(c, scr.RootDepth, id, scr.Root, 0, 0, 50, 50, 0,
		xproto.WindowClassInputOutput, scr.RootVisual, 0, nil).Check()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { xproto.DestroyWindow(c, id) })
	return id
}

func mapWindow(t *testing.T, c *xgb.Conn, w xproto.Window) {
	t.Helper()
	if err := xproto.MapWindowChecked(c, w).Check(); err != nil {
		t.Fatal(err)
	}
}

func TestKeepAboveWithoutWM(t *testing.T) {
	x, c := display(t)
	typing := newWindow(t, c) // the window the attorney types in
	pop := newWindow(t, c)
	mapWindow(t, c, typing)
	if err := xproto.SetInputFocusChecked(c, xproto.InputFocusParent, typing, xproto.TimeCurrentTime).Check(); err != nil {
		t.Fatal(err)
	}

	// Withdrawn: the property is written directly.
	if err := x.KeepAbove(uint32(pop)); err != nil {
		t.Fatalf("KeepAbove(unmapped) = %v, want nil", err)
	}
	assertAbove(t, x, pop)

	// Mapped, no WM: still written once, and the pop is stacked on top.
	mapWindow(t, c, pop)
	if err := xproto.ConfigureWindowChecked(c, typing, xproto.ConfigWindowStackMode, []uint32{xproto.StackModeAbove}).Check(); err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // idempotent
		if err := x.KeepAbove(uint32(pop)); err != nil {
			t.Fatalf("KeepAbove(mapped) #%d = %v, want nil", i, err)
		}
	}
	assertAbove(t, x, pop)
	tree, err := xproto.QueryTree(c, xproto.Setup(c).DefaultScreen(c).Root).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if top := tree.Children[len(tree.Children)-1]; top != pop {
		t.Errorf("top of stack = %d, want the pop %d", top, pop)
	}

	focus, err := xproto.GetInputFocus(c).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if focus.Focus != typing {
		t.Errorf("focus after KeepAbove = %d, want the typing window %d", focus.Focus, typing)
	}

	ut, err := x.atom(atomUserTime)
	if err != nil {
		t.Fatal(err)
	}
	r, err := xproto.GetProperty(c, false, pop, ut, xproto.AtomCardinal, 0, 1).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if got := ParseAtomList(r.Format, r.Value); !slices.Equal(got, []uint32{0}) {
		t.Errorf("_NET_WM_USER_TIME = %v, want [0]", got)
	}
}

func TestKeepAboveNoWindow(t *testing.T) {
	x, _ := display(t)
	if err := x.KeepAbove(0); err != ErrNoWindow {
		t.Errorf("KeepAbove(0) = %v, want ErrNoWindow", err)
	}
	if _, err := x.State(0); err != ErrNoWindow {
		t.Errorf("State(0) = %v, want ErrNoWindow", err)
	}
}

func assertAbove(t *testing.T, x *X11, w xproto.Window) {
	t.Helper()
	names, err := x.State(uint32(w))
	if err != nil {
		t.Fatal(err)
	}
	if n := countOf(names, atomWMStateAbove); n != 1 {
		t.Errorf("_NET_WM_STATE = %v, want %s exactly once", names, atomWMStateAbove)
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
