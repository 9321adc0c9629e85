package home

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/internal/sqlitefile"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// OpenCore opens the ledger, the outbox and the directory of mode and
// makes a core on them, started (its ledger reloaded) if start: the
// command line uses it. It changes no damaged file: a damaged outbox or
// ledger is returned as its *sqlitefile.DamagedError (the one line that
// names the file and what to do); a damaged directory, only a cache of
// Clio, is logged with that line and the core finds nobody meanwhile (the
// returned directory is nil, and closing it is a no-op). The caller
// closes the three stores.
func OpenCore(ctx context.Context, p Paths, store *settings.Store, mode Mode, log *slog.Logger, o calls.Options, start bool) (
	*calls.Core, *calls.Ledger, *queue.Outbox, *directory.Directory, error) {
	st, err := openStores(ctx, p, store, mode, log, o, start, false)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return st.Core, st.Ledger, st.Outbox, st.Directory, nil
}

// Stores are what OpenCoreRepair opened, and what it had to repair.
type Stores struct {
	Core      *calls.Core
	Ledger    *calls.Ledger
	Outbox    *queue.Outbox
	Directory *directory.Directory
	// Repairs: each damaged file set aside (kept, never deleted) and
	// started anew, with what could be recovered; the tray and `status`
	// show them.
	Repairs []sqlitefile.Repair
}

// OpenCoreRepair is OpenCore for the tray app, the owner of the files: a
// damaged outbox, ledger or directory is set aside and a new one started,
// with every readable item and call copied in; the directory is rebuilt
// by the next sync. When the outbox was repaired, the calls the ledger
// holds as queued but the new outbox lacks are queued again (the outbox
// dedupes by event id), so a call decided before the damage still reaches
// Clio. The core is started.
func OpenCoreRepair(ctx context.Context, p Paths, store *settings.Store, mode Mode, log *slog.Logger, o calls.Options) (*Stores, error) {
	return openStores(ctx, p, store, mode, log, o, true, true)
}

func openStores(ctx context.Context, p Paths, store *settings.Store, mode Mode, log *slog.Logger, o calls.Options,
	start, repair bool) (*Stores, error) {
	st := &Stores{}
	var (
		rep *sqlitefile.Repair
		err error
	)
	closeAll := func() {
		if st.Outbox != nil {
			st.Outbox.Close()
		}
		st.Directory.Close()
		if st.Ledger != nil {
			st.Ledger.Close()
		}
	}
	olog := log.With("component", "outbox")
	if repair {
		st.Outbox, rep, err = queue.OpenRepair(ctx, p.Outbox(mode), olog)
	} else {
		st.Outbox, err = queue.Open(ctx, p.Outbox(mode), olog)
	}
	outboxRepaired := rep != nil
	st.add(rep)
	if err != nil {
		return nil, openErr("open outbox", err)
	}
	dlog := log.With("component", "directory")
	if repair {
		st.Directory, rep, err = OpenDirectoryRepair(ctx, p, store.Get(), mode, dlog)
		st.add(rep)
	} else {
		st.Directory, err = OpenDirectory(ctx, p, store.Get(), mode, dlog)
		if errors.Is(err, sqlitefile.ErrDamaged) {
			log.Warn(err.Error() + "; calls are logged meanwhile, without looking up who called")
			st.Directory, err = nil, nil
		}
	}
	if err != nil {
		closeAll()
		return nil, openErr("open directory", err)
	}
	llog := log.With("component", "ledger")
	if repair {
		st.Ledger, rep, err = calls.OpenLedgerRepair(ctx, p.Ledger(mode), llog)
		st.add(rep)
	} else {
		st.Ledger, err = calls.OpenLedger(ctx, p.Ledger(mode), llog)
	}
	if err != nil {
		closeAll()
		return nil, openErr("", err) // OpenLedger names itself
	}
	if outboxRepaired {
		n, err := requeueLost(ctx, st.Ledger, st.Outbox)
		if err != nil {
			log.Error("queue again the calls the damaged outbox held", "err", err)
		}
		if n > 0 {
			r := &st.Repairs[0]
			r.Note = strings.TrimPrefix(r.Note+fmt.Sprintf("; %d calls waiting for Clio were queued again from the call ledger", n), "; ")
		}
	}
	o.Ledger, o.Outbox, o.Settings = st.Ledger, st.Outbox, store.Get
	if st.Directory != nil {
		o.Directory = st.Directory
	}
	o.Normalize = phone.Normalize
	o.Logger = log.With("component", "calls")
	st.Core = calls.New(o)
	if start {
		if err := st.Core.Start(ctx); err != nil {
			log.Error("reload the call ledger", "err", err) // what could be reloaded is; the rest says why in the log
		}
	}
	return st, nil
}

func (st *Stores) add(r *sqlitefile.Repair) {
	if r != nil {
		st.Repairs = append(st.Repairs, *r)
	}
}

// openErr keeps the one-line messages of a damaged file and a full disk
// as they are, and prefixes anything else with what failed.
func openErr(what string, err error) error {
	if what == "" || errors.Is(err, sqlitefile.ErrDamaged) || errors.Is(err, sqlitefile.ErrDiskFull) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// requeueLost clears the outbox item of every queued call whose item the
// (repaired) outbox does not hold, so the core's start queues it again.
func requeueLost(ctx context.Context, led *calls.Ledger, ob *queue.Outbox) (int, error) {
	rs, err := led.List(ctx, calls.ListOptions{States: []calls.State{calls.StateQueued}})
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, r := range rs {
		if r.OutboxID == 0 {
			continue
		}
		if it, err := ob.Get(ctx, r.OutboxID); err == nil && it.EventID == r.EventID {
			continue
		}
		if _, err := led.Mutate(ctx, r.ID, func(x *calls.Record) (calls.Change, error) {
			x.OutboxID = 0
			return calls.Change{}, nil
		}); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// OpenDirectory opens the local mirror for mode (the Sandbox has its own).
func OpenDirectory(ctx context.Context, p Paths, cfg settings.Settings, mode Mode, log *slog.Logger) (*directory.Directory, error) {
	return directory.Open(ctx, p.Directory(mode), directoryOptions(cfg), log)
}

// OpenDirectoryRepair is OpenDirectory that sets a damaged file aside and
// starts an empty mirror, which the next sync fills from Clio.
func OpenDirectoryRepair(ctx context.Context, p Paths, cfg settings.Settings, mode Mode, log *slog.Logger) (
	*directory.Directory, *sqlitefile.Repair, error) {
	return directory.OpenRepair(ctx, p.Directory(mode), directoryOptions(cfg), log)
}

func directoryOptions(cfg settings.Settings) directory.Options {
	return directory.Options{DefaultRegion: cfg.DefaultRegion, FirmNumbers: cfg.FirmNumbers, MinDigits: cfg.MinDigits}
}

// ClioSourceOptions lets the directory read every relationship (matters
// where a contact is a related party) at low priority.
func ClioSourceOptions(c *clio.Client) directory.ClioSourceOptions {
	return directory.ClioSourceOptions{
		ListRelationships: func(ctx context.Context, since time.Time, fn func([]clio.Relationship) error) error {
			return c.Relationships.ListAll(clio.WithLowPriority(ctx), &clio.RelationshipListOptions{UpdatedSince: since}, fn)
		},
	}
}

// WaitingCounts splits the ledger's counts into calls waiting for the
// attorney's decision (or attention: Clio refused them) and calls waiting
// to reach Clio.
func WaitingCounts(c map[calls.State]int) (deciding, delivering int) {
	return c[calls.StateAwaiting] + c[calls.StateLater] + c[calls.StateFailed], c[calls.StateQueued]
}
