package fax

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// PollEvery is how often the watched folder is scanned; a file is taken
// once its size has not changed between two scans (the writer is done).
const PollEvery = 5 * time.Second

// Watcher hands over the PDFs that appear in a folder, once each, when
// they have stopped growing. Files are never modified or deleted there: the
// folder belongs to the fax software.
type Watcher struct {
	// Folder is read before every scan, so a changed setting applies at
	// once; "" watches nothing.
	Folder func() string
	// OnFile gets each finished PDF's path. An error is logged; the file
	// is not offered again until it changes.
	OnFile func(ctx context.Context, path string) error
	Every  time.Duration // 0: PollEvery
	Logger *slog.Logger  // nil: discard
}

// Run scans the folder until ctx ends, then returns ctx.Err().
func (w *Watcher) Run(ctx context.Context) error {
	type seen struct {
		size int64
		mod  time.Time
		done bool
	}
	log := w.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	every := w.Every
	if every <= 0 {
		every = PollEvery
	}
	files := map[string]seen{}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		dir := ""
		if w.Folder != nil {
			dir = w.Folder()
		}
		if dir != "" {
			entries, err := os.ReadDir(dir)
			if err != nil {
				log.Warn("read the watched fax folder", "err", err)
			}
			for _, e := range entries {
				if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".pdf") {
					continue
				}
				fi, err := e.Info()
				if err != nil {
					continue
				}
				path := filepath.Join(dir, e.Name())
				prev, ok := files[path]
				switch {
				case ok && prev.done && prev.size == fi.Size() && prev.mod.Equal(fi.ModTime()):
					// already handed over
				case ok && prev.size == fi.Size() && prev.mod.Equal(fi.ModTime()):
					if err := w.OnFile(ctx, path); err != nil {
						log.Warn("queue a fax from the watched folder", "err", err)
					}
					files[path] = seen{fi.Size(), fi.ModTime(), true}
				default:
					files[path] = seen{size: fi.Size(), mod: fi.ModTime()} // still being written?
				}
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
