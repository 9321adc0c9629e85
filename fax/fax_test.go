package fax

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestKeep(t *testing.T) {
	src, keep := t.TempDir(), filepath.Join(t.TempDir(), "fax")
	pdf := filepath.Join(src, "fax-2026-05-04.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n% a fax\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Keep(pdf, keep)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Key) != 32 || f.Name != "fax-2026-05-04" || f.Path != filepath.Join(keep, f.Key+".pdf") || f.At.IsZero() {
		t.Errorf("Keep() = %+v", f)
	}
	fi, err := os.Stat(f.Path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("fax copy %s: %v, mode %v; want 0600", f.Path, err, fi.Mode())
	}
	again, err := Keep(pdf, keep)
	if err != nil || again.Key != f.Key || again.Path != f.Path {
		t.Errorf("the same fax twice = %+v, %v; want %+v", again, err, f)
	}
	if b, err := os.ReadFile(pdf); err != nil || string(b) != "%PDF-1.4\n% a fax\n%%EOF\n" {
		t.Errorf("the original changed: %q, %v", b, err)
	}
	for name, body := range map[string]string{"notes.pdf": "not really a pdf", "empty.pdf": "", "tiny.pdf": "%PD"} {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Keep(p, keep); !errors.Is(err, ErrNotPDF) {
			t.Errorf("Keep(%s) = %v, want ErrNotPDF", name, err)
		}
	}
	if _, err := Keep(filepath.Join(src, "missing.pdf"), keep); err == nil || errors.Is(err, ErrNotPDF) {
		t.Errorf("Keep(missing) = %v, want a read error", err)
	}
}

// TestWatcher: a PDF is handed over once it stopped changing between two
// scans, once; other files are left alone.
func TestWatcher(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.PDF"), []byte("%PDF-1.4 a"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[string]int{}
	handed := make(chan string, 10)
	w := &Watcher{
		Folder: func() string { return dir },
		Every:  20 * time.Millisecond,
		OnFile: func(ctx context.Context, path string) error {
			mu.Lock()
			got[filepath.Base(path)]++
			mu.Unlock()
			handed <- filepath.Base(path)
			return errors.New("refused") // logged; not offered again
		},
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	select {
	case name := <-handed:
		if name != "a.PDF" {
			t.Errorf("handed over %s, want a.PDF", name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a.PDF was never handed over")
	}
	time.Sleep(100 * time.Millisecond) // a few more scans
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v, want context.Canceled", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got["a.PDF"] != 1 {
		t.Errorf("handed over %v, want a.PDF once", got)
	}
}
