package home

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// OpenCore opens the ledger, the outbox and the directory of mode and
// makes a core on them, started (its ledger reloaded) if start: the tray
// app and the command line share it. The caller closes the three stores.
func OpenCore(ctx context.Context, p Paths, store *settings.Store, mode Mode, log *slog.Logger, o calls.Options, start bool) (
	*calls.Core, *calls.Ledger, *queue.Outbox, *directory.Directory, error) {
	ob, err := queue.Open(ctx, p.Outbox(mode), log.With("component", "outbox"))
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("open outbox: %w", err)
	}
	dir, err := OpenDirectory(ctx, p, store.Get(), mode, log.With("component", "directory"))
	if err != nil {
		ob.Close()
		return nil, nil, nil, nil, fmt.Errorf("open directory: %w", err)
	}
	led, err := calls.OpenLedger(ctx, p.Ledger(mode), log.With("component", "ledger"))
	if err != nil {
		ob.Close()
		dir.Close()
		return nil, nil, nil, nil, err
	}
	o.Ledger, o.Outbox, o.Directory, o.Settings = led, ob, dir, store.Get
	o.Normalize = phone.Normalize
	o.Logger = log.With("component", "calls")
	core := calls.New(o)
	if start {
		if err := core.Start(ctx); err != nil {
			log.Error("reload the call ledger", "err", err) // what could be reloaded is; the rest says why in the log
		}
	}
	return core, led, ob, dir, nil
}

// OpenDirectory opens the local mirror for mode (the Sandbox has its own).
func OpenDirectory(ctx context.Context, p Paths, cfg settings.Settings, mode Mode, log *slog.Logger) (*directory.Directory, error) {
	return directory.Open(ctx, p.Directory(mode), directory.Options{
		DefaultRegion: cfg.DefaultRegion, FirmNumbers: cfg.FirmNumbers, MinDigits: cfg.MinDigits,
	}, log)
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
