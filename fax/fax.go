package fax

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrNotPDF: only PDF faxes are logged.
var ErrNotPDF = errors.New("not a PDF file")

// File is a fax kept in CallDocket's private folder.
type File struct {
	Key  string    // 32 hex digits of its SHA-256: seeing the same fax twice gives the same key
	Path string    // the private copy (0600), KEY.pdf
	Name string    // the original file name without its extension
	At   time.Time // when it arrived: the original's modification time
}

// Keep checks that src is a PDF, hashes it and copies it (0600) into dir,
// which it creates (0700) if need be. A fax kept before is not copied
// again. src itself is never changed.
func Keep(src, dir string) (File, error) {
	f, err := os.Open(src)
	if err != nil {
		return File{}, fmt.Errorf("read fax: %w", err)
	}
	defer f.Close()
	head := make([]byte, 5)
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, []byte("%PDF-")) {
		return File{}, fmt.Errorf("fax %s: %w", filepath.Base(src), ErrNotPDF)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return File{}, fmt.Errorf("read fax: %w", err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return File{}, fmt.Errorf("read fax: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))[:32]
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return File{}, fmt.Errorf("fax folder: %w", err)
	}
	dst := filepath.Join(dir, sum+".pdf")
	if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
		if err := copyPrivate(src, dst); err != nil {
			return File{}, err
		}
	}
	return File{Key: sum, Path: dst, At: modTime(src),
		Name: strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))}, nil
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
