// Command importcheck enforces CallDocket's import directions (see
// docs/architecture.md): main → app → {cli, home, ui, calls, deliver, …};
// nothing but main imports app; tapi, clio and queue never import Fyne or
// each other (clio/directory may use clio); deliver may use clio and queue
// but never Fyne, and they never use it; phone is a leaf every layer may
// import, and it imports no CallDocket package; only app imports
// fyne.io/fyne/v2/app. The pieces app and cli share never import Fyne:
// home (the shared wiring) never uses cli or ui; keychain, ipc and fax sit
// below home and cli and never use them, calls or deliver; and no core
// package (tapi, clio, queue, phone, settings, calls, deliver) uses any of
// cli, home, keychain, ipc or fax.
//
// It reads `go list -deps -json` for every package and exits 1 listing each
// forbidden import, direct or transitive.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
)

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Module     *struct{ Path string }
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "importcheck:", err)
		os.Exit(1)
	}
}

func run() error {
	out, err := exec.Command("go", "list", "-e", "-json", "./...").Output()
	if err != nil {
		return fmt.Errorf("go list: %w", err)
	}
	mod, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		return fmt.Errorf("go list -m: %w", err)
	}
	root := strings.TrimSpace(string(mod))
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var problems []string
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("decode go list: %w", err)
		}
		problems = append(problems, check(root, p)...)
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("forbidden imports:\n  %s", strings.Join(problems, "\n  "))
	}
	fmt.Println("importcheck: import directions OK")
	return nil
}

// layer returns the top-level CallDocket package a path belongs to.
func layer(root, path string) string {
	if path == root {
		return "main"
	}
	rest, ok := strings.CutPrefix(path, root+"/")
	if !ok {
		return ""
	}
	if rest == "clio/directory" || strings.HasPrefix(rest, "clio/directory/") {
		return "clio/directory"
	}
	first, _, _ := strings.Cut(rest, "/")
	return first
}

// check lists p's forbidden imports. A direct import is named; a forbidden
// package reached only through other packages is reported once, with the
// first such dependency.
func check(root string, p pkg) []string {
	from := layer(root, p.ImportPath)
	direct := map[string]bool{}
	for _, imp := range p.Imports {
		direct[imp] = true
	}
	var bad []string
	indirect := map[string]bool{}
	for _, imp := range p.Deps {
		why := forbidden(root, from, imp)
		if why == "" {
			continue
		}
		if direct[imp] {
			bad = append(bad, fmt.Sprintf("%s imports %s (%s)", p.ImportPath, imp, why))
		} else if !indirect[why] {
			indirect[why] = true
			bad = append(bad, fmt.Sprintf("%s depends on %s through another package (%s)", p.ImportPath, imp, why))
		}
	}
	return bad
}

// forbidden says why package layer from may not depend on imp, or "".
func forbidden(root, from, imp string) string {
	to := layer(root, imp)
	core := map[string]bool{"tapi": true, "clio": true, "clio/directory": true, "queue": true, "phone": true}
	// deliver writes queue items to Clio: it may use both, but never Fyne,
	// and no core package uses it.
	lower := core[from] || from == "calls" || from == "settings" || from == "deliver"
	// What the tray app and the command line share.
	leaf := map[string]bool{"keychain": true, "ipc": true, "fax": true}
	shared := leaf[from] || from == "home" || from == "cli"
	noFyne := lower || shared
	switch {
	case noFyne && strings.HasPrefix(imp, "fyne.io/"):
		return from + " never uses Fyne"
	case to == "ui" && shared:
		return from + " never uses ui (the windowing is app's)"
	case from == "home" && to == "cli":
		return "home must not import cli (cli sits above it)"
	case leaf[from] && (to == "home" || to == "cli" || to == "calls" || to == "deliver"):
		return from + " must not import " + to + " (it sits above it)"
	case lower && (leaf[to] || to == "home" || to == "cli"):
		return from + " must not import " + to + " (it sits above it)"
	case (core[from] || from == "deliver" || from == "settings") && (to == "deliver" || to == "calls") && from != to:
		return from + " must not import " + to + " (it sits above it)"
	case from == "phone" && to != "" && to != "phone":
		return "phone is a leaf: it imports no CallDocket package"
	case from != "app" && from != "main" && imp == "fyne.io/fyne/v2/app":
		return "only app may import fyne.io/fyne/v2/app"
	case to == "app" && from != "main" && from != "app":
		return "only main imports app"
	case core[from] && core[to] && from != to && to != "phone" && !(from == "clio/directory" && to == "clio"):
		return from + " and " + to + " must not import each other"
	}
	return ""
}
