package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/queue"
)

// Faxes arrive as PDFs: dropped by fax software (or a fax-to-email client)
// into a watched folder, or dragged onto the review window. Each becomes a
// Document in Clio, filed in the fax folder under its matter or contact and
// linked to a Communication (see deliver.go).

// faxPollEvery is how often the watched folder is scanned; a file is taken
// once its size has not changed between two scans (the writer is done).
const faxPollEvery = 5 * time.Second

// errNotPDF: only PDF faxes are logged.
var errNotPDF = errors.New("not a PDF file")

// enqueueFax copies the PDF into the data folder (0600) and queues it. The
// event id comes from the file's content, so seeing the same fax twice is
// harmless.
func (s *service) enqueueFax(ctx context.Context, path, source string) (queue.Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return queue.Item{}, fmt.Errorf("read fax: %w", err)
	}
	defer f.Close()
	head := make([]byte, 5)
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, []byte("%PDF-")) {
		return queue.Item{}, fmt.Errorf("fax %s: %w", filepath.Base(path), errNotPDF)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return queue.Item{}, fmt.Errorf("read fax: %w", err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return queue.Item{}, fmt.Errorf("read fax: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))[:32]
	dir := filepath.Join(s.paths.Data, "fax")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return queue.Item{}, fmt.Errorf("fax folder: %w", err)
	}
	dst := filepath.Join(dir, sum+".pdf")
	if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
		if err := copyPrivate(path, dst); err != nil {
			return queue.Item{}, err
		}
	}
	r, err := s.core.AddFax(ctx, calls.Fax{Key: sum, Path: dst, Source: source, At: modTime(path),
		Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))})
	if err != nil {
		return queue.Item{}, fmt.Errorf("queue fax: %w", err)
	}
	s.log.Info("fax queued", "item_id", r.OutboxID, "source", source)
	s.refresh()
	return s.outbox.Get(ctx, r.OutboxID)
}

func modTime(path string) time.Time {
	if fi, err := os.Stat(path); err == nil {
		return fi.ModTime()
	}
	return time.Now()
}

func copyPrivate(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("copy fax: %w", err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".fax-*")
	if err != nil {
		return fmt.Errorf("copy fax: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("copy fax: %w", err)
	}
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return fmt.Errorf("copy fax: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("copy fax: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("copy fax: %w", err)
	}
	return nil
}

// watchFaxes scans the watched folder until ctx ends. Files are never
// modified or deleted there: it belongs to the fax software.
func (s *service) watchFaxes(ctx context.Context) {
	type seen struct {
		size int64
		mod  time.Time
		done bool
	}
	files := map[string]seen{}
	t := time.NewTicker(faxPollEvery)
	defer t.Stop()
	for {
		dir := s.config().WatchedFolder
		if dir != "" {
			entries, err := os.ReadDir(dir)
			if err != nil {
				s.log.Warn("read the watched fax folder", "err", err)
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
					// already queued
				case ok && prev.size == fi.Size() && prev.mod.Equal(fi.ModTime()):
					_, err := s.enqueueFax(ctx, path, "fax folder")
					if err != nil {
						s.log.Warn("queue a fax from the watched folder", "err", err)
					}
					files[path] = seen{fi.Size(), fi.ModTime(), true}
				default:
					files[path] = seen{size: fi.Size(), mod: fi.ModTime()} // still being written?
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
