package app

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/fax"
	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/ui"
)

// recordingView is a tiny fake of the desktop UI.
type recordingView struct {
	mu    sync.Mutex
	shown []ui.CallView
}

func (v *recordingView) Update(u calls.Update) {
	if !u.Pop {
		return
	}
	v.mu.Lock()
	v.shown = append(v.shown, callView(u, true, "US"))
	v.mu.Unlock()
}
func (v *recordingView) Refresh()                  {}
func (v *recordingView) Notify(title, body string) {}

func (v *recordingView) last() ui.CallView {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.shown[len(v.shown)-1]
}

// testService wires a service to the emulator over HTTP and real SQLite files,
// with the directory synced.
func testService(tb testing.TB) (*service, *recordingView, string) {
	tb.Helper()
	_, c := emulator(tb, nil)
	p := home.Paths{Config: tb.TempDir(), Data: tb.TempDir()}
	be := &home.Backend{Mode: home.ModeSandbox, Client: c}
	svc, err := newService(tb.Context(), p, settings.Default(), be, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(svc.close)
	if err := svc.syncDirectory(tb.Context(), true); err != nil {
		tb.Fatal(err)
	}
	nums, err := svc.dir.Numbers(tb.Context(), 50)
	if err != nil || len(nums) == 0 {
		tb.Fatalf("directory numbers: %v, %v", nums, err)
	}
	v := &recordingView{}
	svc.setView(v)
	return svc, v, nums[0]
}

func TestServiceCallPath(t *testing.T) {
	svc, v, number := testService(t)
	ctx := t.Context()
	at := time.Date(2026, 5, 4, 14, 3, 0, 0, time.UTC)
	for _, ev := range []tapi.Event{
		{Source: "hook", CallID: "c1", State: tapi.StateRinging, Direction: tapi.DirectionIn, Remote: number, At: at},
		{Source: "hook", CallID: "c1", State: tapi.StateRinging, Direction: tapi.DirectionIn, Remote: number, At: at}, // repeat
		{Source: "hook", CallID: "c1", State: tapi.StateAnswered, Direction: tapi.DirectionIn, Remote: number, At: at.Add(5 * time.Second)},
		{Source: "hook", CallID: "c1", State: tapi.StateEnded, Direction: tapi.DirectionIn, Remote: number, At: at.Add(257 * time.Second)},
	} {
		svc.onEvent(ctx, ev)
	}
	if n := len(v.shown); n != 3 {
		t.Fatalf("view shown %d times, want 3 (ring, answer, end; the repeat dropped)", n)
	}
	cv := v.last()
	if len(cv.Callers) == 0 || cv.Callers[0].Name == "" {
		t.Fatalf("pop for a known number has no caller: %+v", cv)
	}
	if cv.EndedAt.IsZero() || cv.Number == "" {
		t.Errorf("wrap-up view = %+v", cv)
	}
	if err := svc.confirm(ctx, ui.WrapUp{CallID: "c1", Decision: ui.DecisionBillable, ContactID: cv.Callers[0].ContactID, MatterID: cv.SuggestedMatterID, Note: "n"}); err != nil {
		t.Fatal(err)
	}
	// A second confirmation of the same call changes nothing.
	if err := svc.confirm(ctx, ui.WrapUp{CallID: "c1", Decision: ui.DecisionNonBillable}); !errors.Is(err, calls.ErrTransition) {
		t.Fatalf("second confirmation: %v, want ErrTransition", err)
	}
	items, err := svc.outbox.List(ctx, queue.ListOptions{})
	if err != nil || len(items) != 1 {
		t.Fatalf("outbox = %v, %v; want one item", items, err)
	}
	it := items[0]
	if !it.Billable || it.DurationS != 252 || it.ContactID != cv.Callers[0].ContactID || it.Name != cv.Callers[0].Name {
		t.Errorf("queued item = %+v", it)
	}
	res, err := svc.flusher.Drain(ctx, true)
	if err != nil || res.Delivered != 1 {
		t.Errorf("Drain = %+v, %v", res, err)
	}
}

func TestServiceLaterQueuesNothing(t *testing.T) {
	svc, _, number := testService(t)
	ctx := t.Context()
	svc.onEvent(ctx, tapi.Event{Source: "sim", CallID: "s1", State: tapi.StateRinging, Remote: number, At: time.Now()})
	svc.onEvent(ctx, tapi.Event{Source: "sim", CallID: "s1", State: tapi.StateAnswered, Remote: number, At: time.Now()})
	svc.onEvent(ctx, tapi.Event{Source: "sim", CallID: "s1", State: tapi.StateEnded, Remote: number, At: time.Now()})
	if err := svc.confirm(ctx, ui.WrapUp{CallID: "s1", Decision: ui.DecisionLater}); err != nil {
		t.Fatal(err)
	}
	if r, _ := svc.ledger.ByCallID(ctx, "s1"); r.State != calls.StateLater {
		t.Errorf("after Esc the call is %s, want later", r.State)
	}
	if err := svc.confirm(ctx, ui.WrapUp{CallID: "nope", Decision: ui.DecisionBillable}); err == nil {
		t.Error("confirming an unknown call succeeded")
	}
	if items, _ := svc.outbox.List(ctx, queue.ListOptions{}); len(items) != 0 {
		t.Errorf("Esc queued %d items", len(items))
	}
}

// BenchmarkRingToPop measures the hot path from a ringing event to the view
// being handed the call: tracker, directory lookup (SQLite) and the view model.
// It reports p50 and p99 in microseconds.
func BenchmarkRingToPop(b *testing.B) {
	svc, _, _ := testService(b)
	nums, err := svc.dir.Numbers(b.Context(), 500)
	if err != nil || len(nums) == 0 {
		b.Fatalf("numbers: %v", err)
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		i++
		start := time.Now()
		svc.onEvent(b.Context(), tapi.Event{Source: "bench", CallID: fmt.Sprint("b", i), State: tapi.StateRinging,
			Direction: tapi.DirectionIn, Remote: nums[i%len(nums)], At: start})
		lat = append(lat, time.Since(start))
	}
	sort.Slice(lat, func(a, c int) bool { return lat[a] < lat[c] })
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
}

func TestServiceMissedCalls(t *testing.T) {
	for _, logMissed := range []bool{true, false} {
		t.Run(fmt.Sprint("log missed ", logMissed), func(t *testing.T) {
			svc, _, number := testService(t)
			svc.update(func(c *Config) { c.LogMissedCalls = logMissed })
			ctx := t.Context()
			svc.onEvent(ctx, tapi.Event{Source: "sim", CallID: "m1", State: tapi.StateRinging, Remote: number, At: time.Now()})
			svc.onEvent(ctx, tapi.Event{Source: "sim", CallID: "m1", State: tapi.StateEnded, Remote: number, At: time.Now()})
			if logMissed {
				// Already logged: a key pressed on the card afterwards adds nothing.
				if err := svc.confirm(ctx, ui.WrapUp{CallID: "m1", Decision: ui.DecisionBillable}); !errors.Is(err, calls.ErrTransition) {
					t.Fatalf("deciding a logged missed call: %v, want ErrTransition", err)
				}
			}
			items, _ := svc.outbox.List(ctx, queue.ListOptions{})
			want := 0
			if logMissed {
				want = 1
			}
			if len(items) != want {
				t.Fatalf("outbox has %d items, want %d", len(items), want)
			}
			if logMissed && (items[0].Kind != queue.KindMissed || items[0].ContactID == 0) {
				t.Errorf("missed call item = %+v, want kind missed with the matched contact", items[0])
			}
		})
	}
}

func TestServiceTextMessage(t *testing.T) {
	svc, _, number := testService(t)
	ctx := t.Context()
	svc.onMessage(ctx, tapi.Message{Source: "hook", ID: "t1", Direction: tapi.DirectionIn, Remote: number, Text: "running late", At: time.Now()})
	svc.onMessage(ctx, tapi.Message{Source: "hook", ID: "t1", Direction: tapi.DirectionIn, Remote: number, Text: "running late", At: time.Now()})
	items, _ := svc.outbox.List(ctx, queue.ListOptions{})
	if len(items) != 1 || items[0].Kind != queue.KindSMS || items[0].Text != "running late" || items[0].ContactID == 0 {
		t.Fatalf("outbox = %+v, want one SMS item for the matched contact", items)
	}
	svc.update(func(c *Config) { c.SMSLogging = false })
	svc.onMessage(ctx, tapi.Message{Source: "hook", ID: "t2", Remote: number, Text: "x", At: time.Now()})
	if items, _ := svc.outbox.List(ctx, queue.ListOptions{}); len(items) != 1 {
		t.Errorf("with SMS logging off, outbox has %d items, want 1", len(items))
	}
}

func TestServiceFaxFromWatchedFolder(t *testing.T) {
	svc, _, _ := testService(t)
	ctx := t.Context()
	dir := t.TempDir()
	pdf := filepath.Join(dir, "fax-2026-05-04.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n% a fax\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.pdf"), []byte("not really a pdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	it, err := svc.enqueueFax(ctx, pdf, "test")
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.enqueueFax(ctx, pdf, "test")
	if err != nil || again.ID != it.ID {
		t.Errorf("the same fax twice = %d, %v; want the same item %d", again.ID, err, it.ID)
	}
	if _, err := svc.enqueueFax(ctx, filepath.Join(dir, "notes.pdf"), "test"); !errors.Is(err, fax.ErrNotPDF) {
		t.Errorf("a non-PDF = %v, want fax.ErrNotPDF", err)
	}
	fi, err := os.Stat(it.FilePath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("fax copy %s: %v, mode %v; want 0600", it.FilePath, err, fi.Mode())
	}
	if it.Kind != queue.KindFax || it.ContactID != 0 {
		t.Errorf("item = %+v", it)
	}
	// With no contact or matter, the fax waits in the review list with a reason.
	if _, err := svc.flusher.Drain(ctx, true); err != nil {
		t.Fatal(err)
	}
	got, _ := svc.outbox.Get(ctx, it.ID)
	if got.State != queue.StateFailed || got.LastError == "" {
		t.Errorf("unfiled fax = %s %q, want parked with a reason", got.State, got.LastError)
	}
	// The attorney picks the matter in the review list and retries: delivered.
	rows, _ := svc.reviewItems(ctx)
	var matter int64
	for _, m := range fake.SampleFirm().Matters {
		if m.Status == "Open" {
			matter = m.ID
			break
		}
	}
	for _, r := range rows {
		if r.ID == it.ID {
			if err := svc.reviewConfirm(ctx, r.ID, ui.ReviewEdit{MatterID: matter}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := svc.flusher.Drain(ctx, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.outbox.Get(ctx, it.ID); got.State != queue.StateDelivered {
		t.Errorf("fax after choosing a matter = %s %q, want delivered", got.State, got.LastError)
	}
}

func TestServiceSMSDailyDigest(t *testing.T) {
	svc, _, number := testService(t)
	ctx := t.Context()
	svc.update(func(c *Config) { c.SMSDailyDigest = true })
	at := time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local)
	svc.onMessage(ctx, tapi.Message{Source: "hook", ID: "a", Direction: tapi.DirectionIn, Remote: number, Text: "running late", At: at})
	svc.onMessage(ctx, tapi.Message{Source: "hook", ID: "b", Direction: tapi.DirectionOut, Remote: number, Text: "no problem", At: at.Add(5 * time.Minute)})
	items, _ := svc.outbox.List(ctx, queue.ListOptions{})
	if len(items) != 1 || items[0].Text != "09:00 ← running late\n09:05 → no problem" {
		t.Fatalf("digest = %+v, want one item with both messages", items)
	}
	// Due after the day ends; a forced flush (as at the end of a test) delivers it as one Communication.
	if res, err := svc.flusher.Drain(ctx, true); err != nil || res.Delivered != 1 {
		t.Fatalf("Drain = %+v, %v", res, err)
	}
}

func TestFirmNumbersPrefill(t *testing.T) {
	svc, _, _ := testService(t) // Sandbox mode
	svc.prefillFirmNumbers(t.Context())
	if cfg := svc.config(); len(cfg.FirmNumbers) != 0 || cfg.FirmNumbersFromClio {
		t.Fatalf("Sandbox prefilled firm numbers %v; the sample firm's numbers are nobody's", cfg.FirmNumbers)
	}
	svc.be.Mode = home.ModeConnected
	svc.prefillFirmNumbers(t.Context())
	cfg := svc.config()
	if !cfg.FirmNumbersFromClio {
		t.Fatal("connected: firm numbers not marked as prefilled")
	}
	for _, u := range fake.SampleFirm().Users {
		if u.PhoneNumber == "" {
			continue
		}
		e, _ := phone.Normalize(u.PhoneNumber, "US")
		found := false
		for _, n := range cfg.FirmNumbers {
			found = found || n == e
		}
		if !found {
			t.Errorf("firm numbers %v lack user %d's %s", cfg.FirmNumbers, u.ID, e)
		}
	}
	// Edited by the attorney afterwards: never prefilled again.
	svc.update(func(c *Config) { c.FirmNumbers = nil })
	svc.prefillFirmNumbers(t.Context())
	if cfg := svc.config(); len(cfg.FirmNumbers) != 0 {
		t.Errorf("prefilled a second time: %v", cfg.FirmNumbers)
	}
}
