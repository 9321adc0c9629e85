//go:build linux || freebsd || openbsd || netbsd

package ontop

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// EWMH atom names this package uses.
const (
	atomWMState      = "_NET_WM_STATE"
	atomWMStateAbove = "_NET_WM_STATE_ABOVE"
	atomUserTime     = "_NET_WM_USER_TIME"
	atomSupportingWM = "_NET_SUPPORTING_WM_CHECK"
)

// stateAdd is the _NET_WM_STATE client message action "add" (EWMH 1.5).
const stateAdd = 1

// ErrNoWindow means the window handle is 0: the native window does not exist
// yet (Fyne creates it at the first Show).
var ErrNoWindow = errors.New("no native window")

// X11 is one connection to the X server, shared by every window it is asked
// to keep on top. It is safe for concurrent use.
type X11 struct {
	mu    sync.Mutex
	conn  *xgb.Conn
	root  xproto.Window
	atoms map[string]xproto.Atom
}

// DialX11 connects to display ("" means $DISPLAY), authenticating with
// $XAUTHORITY like any X client.
func DialX11(display string) (*X11, error) {
	// xgb logs to stderr by itself (e.g. when the X server goes away at
	// logout); errors reach us as return values, so its log stays quiet.
	xgb.Logger = log.New(io.Discard, "", 0)
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		return nil, fmt.Errorf("x11 connection: %w", err)
	}
	return &X11{conn: conn, root: xproto.Setup(conn).DefaultScreen(conn).Root, atoms: map[string]xproto.Atom{}}, nil
}

// Close closes the connection.
func (x *X11) Close() {
	x.conn.Close()
}

// atom interns name once per connection.
func (x *X11) atom(name string) (xproto.Atom, error) {
	if a, ok := x.atoms[name]; ok {
		return a, nil
	}
	r, err := xproto.InternAtom(x.conn, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0, fmt.Errorf("x11 atom %s: %w", name, err)
	}
	x.atoms[name] = r.Atom
	return r.Atom, nil
}

// KeepAbove puts _NET_WM_STATE_ABOVE into the window's _NET_WM_STATE and
// sets _NET_WM_USER_TIME to 0, which EWMH defines as "do not focus this
// window when it is mapped". It never raises keyboard focus.
//
// Per EWMH a client sets _NET_WM_STATE itself only while the window is
// withdrawn (unmapped); for a mapped window it asks the window manager with
// a client message to the root window. When no EWMH window manager runs,
// nobody owns the property: KeepAbove writes it directly (a window manager
// that starts later reads it when it adopts the window) and, since nothing
// else will stack the window, raises it above its siblings, which changes
// stacking only, never focus.
//
// KeepAbove is idempotent and costs a few round trips when nothing changes.
func (x *X11) KeepAbove(win uint32) error {
	if win == 0 {
		return ErrNoWindow
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	w := xproto.Window(win)
	if err := x.setUserTime(w); err != nil {
		return err
	}
	above, err := x.atom(atomWMStateAbove)
	if err != nil {
		return err
	}
	attrs, err := xproto.GetWindowAttributes(x.conn, w).Reply()
	if err != nil {
		return fmt.Errorf("x11 window attributes: %w", err)
	}
	mapped := attrs.MapState != xproto.MapStateUnmapped
	wm, err := x.wmRunning()
	if err != nil {
		return err
	}
	state, err := x.state(w)
	if err != nil {
		return err
	}
	if !mapped || !wm {
		if !containsAtom(state, above) {
			if err := x.setState(w, append(state, above)); err != nil {
				return err
			}
		}
		if !wm {
			// No window manager keeps it above: restack it ourselves. This
			// also works before the map request (which GLFW may not have
			// flushed yet) has reached the server; stacking survives the map.
			return x.raise(w)
		}
		return nil
	}
	if containsAtom(state, above) {
		return nil
	}
	return x.requestState(w, stateAdd, above)
}

// setUserTime sets _NET_WM_USER_TIME to 0 on w.
func (x *X11) setUserTime(w xproto.Window) error {
	a, err := x.atom(atomUserTime)
	if err != nil {
		return err
	}
	if err := xproto.ChangePropertyChecked(x.conn, xproto.PropModeReplace, w, a, xproto.AtomCardinal, 32, 1, make([]byte, 4)).Check(); err != nil {
		return fmt.Errorf("x11 set %s: %w", atomUserTime, err)
	}
	return nil
}

// wmRunning reports whether an EWMH window manager runs: the root window's
// _NET_SUPPORTING_WM_CHECK names a window whose own property names itself.
func (x *X11) wmRunning() (bool, error) {
	a, err := x.atom(atomSupportingWM)
	if err != nil {
		return false, err
	}
	rootRef, err := x.windowProperty(x.root, a)
	if err != nil || rootRef == 0 {
		return false, err
	}
	child, err := x.windowProperty(rootRef, a)
	if err != nil {
		// A stale reference to a destroyed window: the WM has gone.
		return false, nil
	}
	return child == rootRef, nil
}

// windowProperty reads a WINDOW-typed property (0 when unset).
func (x *X11) windowProperty(w xproto.Window, prop xproto.Atom) (xproto.Window, error) {
	r, err := xproto.GetProperty(x.conn, false, w, prop, xproto.AtomWindow, 0, 1).Reply()
	if err != nil {
		return 0, fmt.Errorf("x11 get property: %w", err)
	}
	ids := ParseAtomList(r.Format, r.Value)
	if len(ids) == 0 {
		return 0, nil
	}
	return xproto.Window(ids[0]), nil
}

// state reads w's _NET_WM_STATE.
func (x *X11) state(w xproto.Window) ([]xproto.Atom, error) {
	a, err := x.atom(atomWMState)
	if err != nil {
		return nil, err
	}
	r, err := xproto.GetProperty(x.conn, false, w, a, xproto.AtomAtom, 0, 64).Reply()
	if err != nil {
		return nil, fmt.Errorf("x11 get %s: %w", atomWMState, err)
	}
	var out []xproto.Atom
	for _, v := range ParseAtomList(r.Format, r.Value) {
		out = append(out, xproto.Atom(v))
	}
	return out, nil
}

// setState replaces w's _NET_WM_STATE.
func (x *X11) setState(w xproto.Window, atoms []xproto.Atom) error {
	a, err := x.atom(atomWMState)
	if err != nil {
		return err
	}
	buf := make([]byte, 4*len(atoms))
	for i, v := range atoms {
		xgb.Put32(buf[4*i:], uint32(v))
	}
	if err := xproto.ChangePropertyChecked(x.conn, xproto.PropModeReplace, w, a, xproto.AtomAtom, 32, uint32(len(atoms)), buf).Check(); err != nil {
		return fmt.Errorf("x11 set %s: %w", atomWMState, err)
	}
	return nil
}

// requestState asks the window manager to change w's state (EWMH client
// message: data = action, first property, second property, source 1 =
// normal application).
func (x *X11) requestState(w xproto.Window, action uint32, prop xproto.Atom) error {
	a, err := x.atom(atomWMState)
	if err != nil {
		return err
	}
	ev := xproto.ClientMessageEvent{
		Format: 32,
		Window: w,
		Type:   a,
		Data:   xproto.ClientMessageDataUnionData32New([]uint32{action, uint32(prop), 0, 1, 0}),
	}
	mask := uint32(xproto.EventMaskSubstructureRedirect | xproto.EventMaskSubstructureNotify)
	if err := xproto.SendEventChecked(x.conn, false, x.root, mask, string(ev.Bytes())).Check(); err != nil {
		return fmt.Errorf("x11 send %s: %w", atomWMState, err)
	}
	return nil
}

// raise restacks w above its siblings; stacking never moves keyboard focus.
func (x *X11) raise(w xproto.Window) error {
	if err := xproto.ConfigureWindowChecked(x.conn, w, xproto.ConfigWindowStackMode, []uint32{xproto.StackModeAbove}).Check(); err != nil {
		return fmt.Errorf("x11 raise: %w", err)
	}
	return nil
}

// State returns the names of the atoms in w's _NET_WM_STATE, for checks
// and diagnostics.
func (x *X11) State(win uint32) ([]string, error) {
	if win == 0 {
		return nil, ErrNoWindow
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	atoms, err := x.state(xproto.Window(win))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(atoms))
	for _, a := range atoms {
		r, err := xproto.GetAtomName(x.conn, a).Reply()
		if err != nil {
			return nil, fmt.Errorf("x11 atom name %d: %w", a, err)
		}
		names = append(names, r.Name)
	}
	return names, nil
}

// ParseAtomList decodes a 32-bit-format property value (an ATOM, WINDOW or
// CARDINAL list) as xgb receives it: xgb always negotiates little-endian
// with the server. It ignores a trailing partial item and returns nil for
// any other format.
func ParseAtomList(format byte, value []byte) []uint32 {
	if format != 32 {
		return nil
	}
	out := make([]uint32, 0, len(value)/4)
	for i := 0; i+4 <= len(value); i += 4 {
		out = append(out, binary.LittleEndian.Uint32(value[i:]))
	}
	return out
}

func containsAtom(list []xproto.Atom, a xproto.Atom) bool {
	for _, v := range list {
		if v == a {
			return true
		}
	}
	return false
}
