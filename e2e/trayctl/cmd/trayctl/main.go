// Command trayctl drives a running application's tray menu over D-Bus, for
// shell debugging and scripted end-to-end runs. It owns
// org.kde.StatusNotifierWatcher, waits for a tray item to register, and then
// optionally waits for a label, prints the menu and clicks an entry:
//
//	dbus-run-session -- sh -c 'trayctl -dump -click "Simulate call" & calldocket'
//	trayctl [-click LABEL] [-wait-label PREFIX] [-timeout 30s] [-dump]
//
// With neither -click nor -wait-label it prints the menu (as with -dump).
// Exit status: 0 on success, 1 when the item, label or click fails, 2 for
// usage errors or when the watcher cannot start.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"time"

	"github.com/calldocket/calldocket/e2e/trayctl"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// exitError carries the exit status for run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("trayctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	click := fs.String("click", "", "click the menu entry with this `label` (mnemonics ignored)")
	waitLabel := fs.String("wait-label", "", "first wait until a visible entry's label starts with `prefix`")
	timeout := fs.Duration("timeout", 30*time.Second, "overall time limit")
	dump := fs.Bool("dump", false, "print the item properties and menu")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "trayctl: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *click == "" && *waitLabel == "" {
		*dump = true
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	err := drive(ctx, stdout, stderr, *click, *waitLabel, *dump)
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "trayctl: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func drive(ctx context.Context, stdout, stderr io.Writer, click, waitLabel string, dump bool) (err error) {
	w, err := trayctl.StartWatcher(ctx)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	defer func() {
		if cerr := w.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	fmt.Fprintf(stderr, "trayctl: owning %s, waiting for a tray item\n", trayctl.WatcherName)

	it, err := w.WaitItem(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "trayctl: item %s registered\n", it)

	if waitLabel != "" {
		m, err := it.WaitLabel(ctx, func(l string) bool { return strings.HasPrefix(l, waitLabel) })
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "label: %q (id %d)\n", m.Label, m.ID)
	}
	if dump {
		if err := printItem(ctx, stdout, it); err != nil {
			return err
		}
	}
	if click != "" {
		if err := it.Click(ctx, click); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "clicked: %q\n", click)
	}
	return nil
}

// printItem writes the item properties (sorted) and its menu tree.
func printItem(ctx context.Context, out io.Writer, it *trayctl.Item) error {
	props, err := it.Properties(ctx)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := props[k]
		if k == "IconPixmap" || k == "OverlayIconPixmap" || k == "AttentionIconPixmap" {
			fmt.Fprintf(out, "%s = <%s>\n", k, v.Signature())
			continue
		}
		fmt.Fprintf(out, "%s = %v\n", k, v)
	}
	menu, err := it.Menu(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "menu:")
	for _, m := range menu {
		fmt.Fprintf(out, "%sid=%d %s\n", strings.Repeat("  ", m.Depth+1), m.ID, describe(m))
	}
	return nil
}

func describe(m trayctl.MenuItem) string {
	if m.Type == trayctl.TypeSeparator {
		return "----"
	}
	s := fmt.Sprintf("%q", m.Label)
	if m.Type != trayctl.TypeStandard {
		s += " type=" + m.Type
	}
	if m.ToggleType != "" {
		s += fmt.Sprintf(" %s=%d", m.ToggleType, m.ToggleState)
	}
	if !m.Enabled {
		s += " disabled"
	}
	if !m.Visible {
		s += " hidden"
	}
	if m.Submenu {
		s += " >"
	}
	return s
}
