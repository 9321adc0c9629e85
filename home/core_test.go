package home

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/internal/sqlitefile"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// fiveLogged logs five calls through the core and delivers three: two
// stay pending in the outbox. It closes everything.
func fiveLogged(t *testing.T, p Paths, store *settings.Store) {
	t.Helper()
	ctx := t.Context()
	log := slog.New(slog.DiscardHandler)
	core, led, ob, dir, err := OpenCore(ctx, p, store, ModeConnected, log, calls.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { led.Close(); ob.Close(); dir.Close() }()
	for i := range 5 {
		if _, err := core.Log(ctx, calls.Entry{Number: "+12125550123", At: time.Now().Add(-time.Duration(i) * time.Hour),
			Duration: time.Minute, Billable: true}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		it, err := ob.Claim(ctx, "t", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if err := ob.Ack(ctx, it.ID, "t"); err != nil {
			t.Fatal(err)
		}
		it.State = queue.StateDelivered
		core.Outcome(ctx, it, nil)
	}
}

// The case: a zero-byte outbox that held five items, two pending.
// The command line names the file and changes nothing; the tray app sets
// it aside, starts a new one and queues the two again from the ledger.
func TestOpenCoreZeroByteOutbox(t *testing.T) {
	dir := t.TempDir()
	p := Paths{Config: dir, Data: dir}
	store := settings.NewStore("", settings.Default())
	fiveLogged(t, p, store)
	path := p.Outbox(ModeConnected)
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)

	_, _, _, _, err := OpenCore(t.Context(), p, store, ModeConnected, log, calls.Options{}, false)
	if !errors.Is(err, sqlitefile.ErrDamaged) || !strings.HasPrefix(err.Error(), "the outbox file "+path+" is damaged (the file is empty)") {
		t.Fatalf("OpenCore(zero-byte outbox) = %v, want the damage named first", err)
	}
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Fatalf("the command line changed the damaged outbox (%d bytes)", fi.Size())
	}

	st, err := OpenCoreRepair(t.Context(), p, store, ModeConnected, log, calls.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { st.Ledger.Close(); st.Outbox.Close(); st.Directory.Close() }()
	if len(st.Repairs) != 1 || st.Repairs[0].What != "outbox" {
		t.Fatalf("repairs = %+v, want the outbox's", st.Repairs)
	}
	r := st.Repairs[0]
	if fi, err := os.Stat(r.SetAside); err != nil || fi.Size() != 0 {
		t.Errorf("set-aside copy %q: %v", r.SetAside, err)
	}
	if !strings.Contains(r.String(), "2 calls waiting for Clio were queued again") {
		t.Errorf("repair = %q, want the two pending calls queued again", r)
	}
	c, err := st.Outbox.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c[queue.StatePending] != 2 {
		t.Errorf("pending after the repair = %d, want 2", c[queue.StatePending])
	}
	lc, _ := st.Ledger.Counts(t.Context())
	if lc[calls.StateQueued] != 2 {
		t.Errorf("queued calls in the ledger = %d, want 2", lc[calls.StateQueued])
	}
}

// A damaged directory does not stop the command line from logging calls:
// it says why nobody is looked up and logs all the same.
func TestOpenCoreDamagedDirectory(t *testing.T) {
	dir := t.TempDir()
	p := Paths{Config: dir, Data: dir}
	store := settings.NewStore("", settings.Default())
	fiveLogged(t, p, store)
	if err := os.WriteFile(p.Directory(ModeConnected), bytes.Repeat([]byte("junk"), 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(io.MultiWriter(&logged), nil))
	core, led, ob, d, err := OpenCore(t.Context(), p, store, ModeConnected, log, calls.Options{}, false)
	if err != nil {
		t.Fatalf("OpenCore(damaged directory) = %v, want calls logged all the same", err)
	}
	defer func() { led.Close(); ob.Close(); d.Close() }()
	if _, err := core.Log(t.Context(), calls.Entry{Number: "+12125550199", At: time.Now(), Duration: time.Minute}); err != nil {
		t.Fatalf("log a call with the directory damaged: %v", err)
	}
	if !strings.Contains(logged.String(), "the directory file") || !strings.Contains(logged.String(), "calls are logged meanwhile") {
		t.Errorf("log = %q, want the damage named", logged.String())
	}

	st, err := OpenCoreRepair(t.Context(), p, store, ModeConnected, slog.New(slog.DiscardHandler), calls.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { st.Ledger.Close(); st.Outbox.Close(); st.Directory.Close() }()
	if len(st.Repairs) != 1 || st.Repairs[0].What != "directory" || st.Directory == nil {
		t.Fatalf("repairs = %+v, want the directory's", st.Repairs)
	}
}
