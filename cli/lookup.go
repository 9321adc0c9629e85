package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/settings"
)

// lookupJSON is the stable `lookup --json` shape.
type lookupJSON struct {
	Number  string            `json:"number"`
	Matches []lookupMatchJSON `json:"matches"`
}

type lookupMatchJSON struct {
	ContactID    int64              `json:"contact_id"`
	Name         string             `json:"name"`
	Strength     string             `json:"strength"`
	ClientStatus string             `json:"client_status"`
	Matters      []lookupMatterJSON `json:"matters"`
}

type lookupMatterJSON struct {
	ID                  int64  `json:"id"`
	DisplayNumber       string `json:"display_number"`
	Description         string `json:"description"`
	Status              string `json:"status"`
	ResponsibleAttorney string `json:"responsible_attorney"`
}

func toLookupJSON(r directory.Result) lookupJSON {
	out := lookupJSON{Number: r.Number, Matches: []lookupMatchJSON{}}
	for _, m := range r.Matches {
		jm := lookupMatchJSON{ContactID: m.ContactID, Name: m.Name, Strength: m.Strength, ClientStatus: m.ClientStatus, Matters: []lookupMatterJSON{}}
		for _, mt := range m.Matters {
			jm.Matters = append(jm.Matters, lookupMatterJSON{
				ID: mt.ID, DisplayNumber: mt.DisplayNumber, Description: mt.Description,
				Status: mt.Status, ResponsibleAttorney: mt.ResponsibleAttorney,
			})
		}
		out.Matches = append(out.Matches, jm)
	}
	return out
}

// Lookup is `calldocket lookup N [--json]`: who is calling, from the local
// directory (synced first when it is empty).
func Lookup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("lookup")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("lookup: want exactly one number")
	}
	if err := checkNumber("lookup", "the number", pos[0], false); err != nil {
		return err
	}
	p, cfg, log, err := home.Setup()
	if err != nil {
		return err
	}
	dir, err := home.OpenDirectory(ctx, p, cfg, home.ModeFor(cfg, false), log)
	if err != nil {
		return err
	}
	defer dir.Close()
	if n, err := dir.Numbers(ctx, 1); err == nil && len(n) == 0 {
		fmt.Fprintln(stderr, "calldocket: the local directory is empty; syncing from Clio first…")
		if _, err := syncOnce(ctx, p, cfg, dir, false, nil); err != nil {
			return err
		}
	}
	res, err := dir.Lookup(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("lookup: %w", err)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(toLookupJSON(res))
	}
	if len(res.Matches) == 0 {
		fmt.Fprintf(stdout, "%s: no matching contact\n", res.Display)
		return nil
	}
	fmt.Fprintf(stdout, "%s\n", res.Display)
	for _, m := range res.Matches {
		fmt.Fprintf(stdout, "  %s (%s, %s match)\n", m.Name, m.ClientStatus, m.Strength)
		for _, mt := range m.Matters {
			fmt.Fprintf(stdout, "    %s  %s  [%s]  %s\n", mt.DisplayNumber, mt.Description, mt.Status, mt.ResponsibleAttorney)
		}
	}
	return nil
}

// syncOnce reads changes (or, with full, everything) from Clio into the
// local directory; progress, if set, sees each stored page.
func syncOnce(ctx context.Context, p home.Paths, cfg settings.Settings, dir *directory.Directory, full bool, progress func(directory.Progress)) (directory.SyncStats, error) {
	be, err := home.OpenBackend(ctx, p, cfg, false, home.NewLogger(io.Discard, 0))
	if err != nil {
		return directory.SyncStats{}, err
	}
	defer be.Close(ctx)
	if err := be.Ready(); err != nil {
		return directory.SyncStats{}, err
	}
	src := directory.NewClioSource(be.Client, home.ClioSourceOptions(be.Client))
	defer src.Close()
	st, err := dir.SyncWith(ctx, src, directory.SyncOptions{Full: full, Progress: progress})
	if err != nil {
		return st, fmt.Errorf("sync: %w", err)
	}
	return st, nil
}

// Sync is `calldocket sync [--full]`: refresh the local directory from Clio.
func Sync(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("sync")
	full := fs.Bool("full", false, "re-read everything, not only what changed")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return Usagef("sync: unexpected argument %s", show(pos[0]))
	}
	p, cfg, log, err := home.Setup()
	if err != nil {
		return err
	}
	dir, err := home.OpenDirectory(ctx, p, cfg, home.ModeFor(cfg, false), log)
	if err != nil {
		return err
	}
	defer dir.Close()
	st, err := syncOnce(ctx, p, cfg, dir, *full, func(p directory.Progress) { fmt.Fprintf(os.Stderr, "\r%s   ", p) })
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "synced %d contacts and %d matters in %s\n", st.Contacts, st.Matters, st.Duration.Round(time.Millisecond))
	return nil
}
