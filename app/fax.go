package app

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/fax"
	"github.com/calldocket/calldocket/queue"
)

// enqueueFax keeps a private copy of the PDF (package fax) and hands it to
// the call ledger, which queues it. The event id comes from the file's
// content, so seeing the same fax twice is harmless.
func (s *service) enqueueFax(ctx context.Context, path, source string) (queue.Item, error) {
	f, err := fax.Keep(path, filepath.Join(s.paths.Data, "fax"))
	if err != nil {
		return queue.Item{}, err
	}
	r, err := s.core.AddFax(ctx, calls.Fax{Key: f.Key, Path: f.Path, Source: source, At: f.At, Name: f.Name})
	if err != nil {
		return queue.Item{}, fmt.Errorf("queue fax: %w", err)
	}
	s.log.Info("fax queued", "item_id", r.OutboxID, "source", source)
	s.refresh()
	return s.outbox.Get(ctx, r.OutboxID)
}

// watchFaxes queues the faxes that appear in the watched folder (Settings)
// until ctx ends.
func (s *service) watchFaxes(ctx context.Context) {
	w := fax.Watcher{
		Folder: func() string { return s.config().WatchedFolder },
		OnFile: func(ctx context.Context, path string) error {
			_, err := s.enqueueFax(ctx, path, "fax folder")
			return err
		},
		Logger: s.log,
	}
	_ = w.Run(ctx) // ends with ctx
}
