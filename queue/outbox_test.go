package queue

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestOpenFileModeAndPragmas(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "calldocket")
	path := filepath.Join(dir, "outbox.db")
	o := openAt(t, path, nil)
	mustEnqueue(t, o, call(1)) // make SQLite write the WAL file

	if runtime.GOOS != "windows" {
		for _, tc := range []struct {
			path string
			want os.FileMode
		}{
			{dir, 0o700},
			{path, 0o600},
			{path + "-wal", 0o600},
			{path + "-shm", 0o600},
		} {
			fi, err := os.Stat(tc.path)
			if err != nil {
				t.Fatalf("Stat(%q) = %v", tc.path, err)
			}
			if got := fi.Mode().Perm(); got != tc.want {
				t.Errorf("mode of %s = %v, want %v", filepath.Base(tc.path), got, tc.want)
			}
		}
	}

	for _, tc := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"},
		{"busy_timeout", "5000"},
		{"foreign_keys", "1"},
		{"user_version", "3"},
	} {
		var got string
		if err := o.db.QueryRowContext(t.Context(), "PRAGMA "+tc.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", tc.pragma, err)
		}
		if got != tc.want {
			t.Errorf("PRAGMA %s = %q, want %q", tc.pragma, got, tc.want)
		}
	}

	for _, table := range []string{"items", "events"} {
		var strict int
		err := o.db.QueryRowContext(t.Context(),
			`SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = ?`, table).Scan(&strict)
		if err != nil {
			t.Fatalf("table_list %s: %v", table, err)
		}
		if strict != 1 {
			t.Errorf("table %s strict = %d, want 1", table, strict)
		}
	}
}

func TestOpenTightensExistingFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no unix permissions")
	}
	path := filepath.Join(t.TempDir(), "outbox.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	openAt(t, path, nil)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %v, want 0600", got)
	}
}

func TestOpenReopenKeepsItems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	o, err := Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	it := mustEnqueue(t, o, call(1))
	if err := o.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	o2 := openAt(t, path, nil)
	got := mustGet(t, o2, it.ID)
	if got.EventID != it.EventID {
		t.Errorf("Get(%d).EventID = %q, want %q", it.ID, got.EventID, it.EventID)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	o, err := Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.db.ExecContext(t.Context(), "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Open(t.Context(), path, nil)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("Open(newer schema) = %v, want ErrSchemaTooNew", err)
	}
}

func TestDSN(t *testing.T) {
	got := dsn(filepath.Join(string(filepath.Separator)+"tmp", "a b?c#d", "outbox.db"))
	if runtime.GOOS == "windows" {
		t.Skip("unix path")
	}
	want := "file:/tmp/a%20b%3Fc%23d/outbox.db?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	if got != want {
		t.Errorf("dsn() = %q, want %q", got, want)
	}
}

func TestOpenOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a b?c#d%20", "outbox.db")
	o := openAt(t, path, nil)
	mustEnqueue(t, o, call(1))
	if _, err := os.Stat(path); err != nil {
		t.Errorf("Stat(%q) = %v, want the database there", path, err)
	}
}

func TestEnqueueClaimAck(t *testing.T) {
	o, clk := openTest(t)
	in := call(42)
	in.ID, in.State, in.Attempts, in.CommunicationID = 99, StateDelivered, 5, 9 // ignored
	it := mustEnqueue(t, o, in)

	if !regexp.MustCompile(`^cd-[0-9a-f]{32}$`).MatchString(it.EventID) {
		t.Errorf("Enqueue().EventID = %q, want cd- and 32 hex digits", it.EventID)
	}
	if it.ID == 0 || it.State != StatePending || it.Attempts != 0 || it.CommunicationID != 0 {
		t.Errorf("Enqueue() = id %d state %s attempts %d comm %d, want new pending item",
			it.ID, it.State, it.Attempts, it.CommunicationID)
	}
	if !it.NextAttemptAt.Equal(clk.Now()) || !it.CreatedAt.Equal(clk.Now()) {
		t.Errorf("Enqueue().NextAttemptAt = %v, want %v", it.NextAttemptAt, clk.Now())
	}
	want := in
	want.ID, want.EventID, want.State, want.Attempts, want.CommunicationID = it.ID, it.EventID, StatePending, 0, 0
	want.NextAttemptAt, want.CreatedAt, want.UpdatedAt = clk.Now(), clk.Now(), clk.Now()
	if got := mustGet(t, o, it.ID); !itemsEqual(got, want) {
		t.Errorf("Get(%d) = %+v, want %+v", it.ID, got, want)
	}

	clk.Add(time.Second)
	c := mustClaim(t, o, "a")
	if c.ID != it.ID || c.State != StateDelivering || c.Attempts != 1 {
		t.Errorf("Claim() = id %d state %s attempts %d, want id %d delivering 1", c.ID, c.State, c.Attempts, it.ID)
	}
	if _, err := o.Claim(t.Context(), "b", time.Minute); !errors.Is(err, ErrEmpty) {
		t.Errorf("second Claim() = %v, want ErrEmpty", err)
	}
	clk.Add(time.Second)
	if err := o.Ack(t.Context(), c.ID, "a"); err != nil {
		t.Fatalf("Ack() = %v, want nil", err)
	}
	got := mustGet(t, o, it.ID)
	if got.State != StateDelivered || !got.DeliveredAt.Equal(clk.Now()) {
		t.Errorf("after Ack: state %s delivered_at %v, want delivered at %v", got.State, got.DeliveredAt, clk.Now())
	}
	if _, err := o.Claim(t.Context(), "a", time.Minute); !errors.Is(err, ErrEmpty) {
		t.Errorf("Claim() after Ack = %v, want ErrEmpty", err)
	}
	if ev, want := eventsOf(t, o, it.ID), []string{"enqueue", "claim", "ack"}; !reflect.DeepEqual(ev, want) {
		t.Errorf("events = %v, want %v", ev, want)
	}
}

// itemsEqual compares items with time.Time.Equal.
func itemsEqual(a, b Item) bool {
	times := func(it *Item) []time.Time {
		ts := []time.Time{it.StartedAt, it.NextAttemptAt, it.CreatedAt, it.UpdatedAt, it.DeliveredAt}
		it.StartedAt, it.NextAttemptAt, it.CreatedAt, it.UpdatedAt, it.DeliveredAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
		return ts
	}
	ta, tb := times(&a), times(&b)
	for i := range ta {
		if !ta[i].Equal(tb[i]) {
			return false
		}
	}
	return a == b
}

func TestEnqueueIdempotent(t *testing.T) {
	o, _ := openTest(t)
	in := call(1)
	in.EventID = "cd-fixed"
	first := mustEnqueue(t, o, in)

	again := in
	again.Note = "different"
	second := mustEnqueue(t, o, again)
	if second.ID != first.ID || second.Note != first.Note {
		t.Errorf("Enqueue(same event id) = id %d note %q, want id %d note %q", second.ID, second.Note, first.ID, first.Note)
	}

	c := mustClaim(t, o, "a")
	if err := o.Ack(t.Context(), c.ID, "a"); err != nil {
		t.Fatal(err)
	}
	third := mustEnqueue(t, o, in)
	if third.ID != first.ID || third.State != StateDelivered {
		t.Errorf("Enqueue(delivered event id) = id %d state %s, want id %d delivered", third.ID, third.State, first.ID)
	}
	counts, err := o.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := (map[State]int{StatePending: 0, StateDelivering: 0, StateDelivered: 1, StateFailed: 0}); !reflect.DeepEqual(counts, want) {
		t.Errorf("Counts() = %v, want %v", counts, want)
	}
	if ev, want := eventsOf(t, o, first.ID), []string{"enqueue", "claim", "ack"}; !reflect.DeepEqual(ev, want) {
		t.Errorf("events = %v, want %v", ev, want)
	}
}

func TestEnqueueInvalid(t *testing.T) {
	o, _ := openTest(t)
	for _, tc := range []struct {
		name   string
		modify func(*Item)
	}{
		{"empty kind", func(it *Item) { it.Kind = "" }},
		{"unknown kind", func(it *Item) { it.Kind = "telex" }},
		{"fax without file", func(it *Item) { it.Kind = KindFax }},
		{"huge text", func(it *Item) { it.Kind, it.Text = KindSMS, strings.Repeat("x", maxTextLen+1) }},
		{"negative duration", func(it *Item) { it.DurationS = -1 }},
		{"negative contact", func(it *Item) { it.ContactID = -3 }},
		{"long event id", func(it *Item) { it.EventID = strings.Repeat("x", maxEventIDLen+1) }},
		{"note without ref", func(it *Item) { it.Kind, it.Text = KindNote, "call back" }},
		{"note without text", func(it *Item) { it.Kind, it.RefEventID, it.Text = KindNote, "cd-1", " " }},
		{"long ref event id", func(it *Item) {
			it.Kind, it.Text, it.RefEventID = KindNote, "x", strings.Repeat("x", maxEventIDLen+1)
		}},
		{"ref on a call", func(it *Item) { it.RefEventID = "cd-1" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := call(1)
			tc.modify(&it)
			if _, err := o.Enqueue(t.Context(), it); !errors.Is(err, ErrInvalid) {
				t.Errorf("Enqueue(%s) = %v, want ErrInvalid", tc.name, err)
			}
		})
	}
	counts, err := o.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if counts[StatePending] != 0 {
		t.Errorf("Counts()[pending] = %d, want 0", counts[StatePending])
	}
	missed := call(0)
	missed.Kind, missed.DurationS = KindMissed, 0
	if _, err := o.Enqueue(t.Context(), missed); err != nil {
		t.Errorf("Enqueue(missed) = %v, want nil", err)
	}
}

func TestGetNotFound(t *testing.T) {
	o, _ := openTest(t)
	if _, err := o.Get(t.Context(), 12345); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(12345) = %v, want ErrNotFound", err)
	}
}

func TestListAndCounts(t *testing.T) {
	o, _ := openTest(t)
	a := mustEnqueue(t, o, call(1))
	b := mustEnqueue(t, o, call(2))
	c := mustEnqueue(t, o, call(3))
	ca := mustClaim(t, o, "x")
	if err := o.Park(t.Context(), ca.ID, "x", "bad matter"); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, o, "x") // b delivering

	ids := func(items []Item) []int64 {
		var out []int64
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		opts ListOptions
		want []int64
	}{
		{"all", ListOptions{}, []int64{c.ID, b.ID, a.ID}},
		{"limit", ListOptions{Limit: 2}, []int64{c.ID, b.ID}},
		{"failed", ListOptions{States: []State{StateFailed}}, []int64{a.ID}},
		{"pending or delivering", ListOptions{States: []State{StatePending, StateDelivering}}, []int64{c.ID, b.ID}},
		{"delivered", ListOptions{States: []State{StateDelivered}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := o.List(t.Context(), tc.opts)
			if err != nil {
				t.Fatalf("List(%+v) = %v", tc.opts, err)
			}
			if !reflect.DeepEqual(ids(got), tc.want) {
				t.Errorf("List(%+v) = %v, want %v", tc.opts, ids(got), tc.want)
			}
		})
	}
	if _, err := o.List(t.Context(), ListOptions{States: []State{"bogus"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("List(bogus state) = %v, want ErrInvalid", err)
	}
	counts, err := o.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := map[State]int{StatePending: 1, StateDelivering: 1, StateDelivered: 0, StateFailed: 1}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("Counts() = %v, want %v", counts, want)
	}
	if got := mustGet(t, o, a.ID); got.LastError != "bad matter" {
		t.Errorf("parked item LastError = %q, want %q", got.LastError, "bad matter")
	}
}

func TestRequeueAndDiscard(t *testing.T) {
	o, clk := openTest(t)
	a := mustEnqueue(t, o, call(1))
	b := mustEnqueue(t, o, call(2))
	c := mustEnqueue(t, o, call(3))

	ca := mustClaim(t, o, "x")
	if err := o.Park(t.Context(), ca.ID, "x", "rejected"); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	if err := o.Requeue(t.Context(), a.ID); err != nil {
		t.Fatalf("Requeue(failed) = %v, want nil", err)
	}
	got := mustGet(t, o, a.ID)
	if got.State != StatePending || got.LastError != "" || got.Attempts != 1 || !got.NextAttemptAt.Equal(clk.Now()) {
		t.Errorf("after Requeue: state %s error %q attempts %d next %v, want pending, no error, 1 attempt, due now",
			got.State, got.LastError, got.Attempts, got.NextAttemptAt)
	}

	cb := mustClaim(t, o, "x") // b: due before the requeued a
	if cb.ID != b.ID {
		t.Fatalf("Claim() = %d, want %d", cb.ID, b.ID)
	}
	for _, tc := range []struct {
		name string
		fn   func() error
		want error
	}{
		{"requeue pending", func() error { return o.Requeue(t.Context(), a.ID) }, ErrWrongState},
		{"requeue delivering", func() error { return o.Requeue(t.Context(), b.ID) }, ErrWrongState},
		{"requeue missing", func() error { return o.Requeue(t.Context(), 999) }, ErrNotFound},
		{"discard delivering", func() error { return o.Discard(t.Context(), b.ID) }, ErrWrongState},
		{"discard missing", func() error { return o.Discard(t.Context(), 999) }, ErrNotFound},
		{"discard pending", func() error { return o.Discard(t.Context(), c.ID) }, nil},
		{"discard again", func() error { return o.Discard(t.Context(), c.ID) }, ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.fn(); !errors.Is(err, tc.want) {
				t.Errorf("%s = %v, want %v", tc.name, err, tc.want)
			}
		})
	}
	if _, err := o.Get(t.Context(), c.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(discarded) = %v, want ErrNotFound", err)
	}
	if ev, want := eventsOf(t, o, c.ID), []string{"enqueue", "discard"}; !reflect.DeepEqual(ev, want) {
		t.Errorf("events of discarded = %v, want %v", ev, want)
	}
	if ev, want := eventsOf(t, o, a.ID), []string{"enqueue", "claim", "park", "requeue"}; !reflect.DeepEqual(ev, want) {
		t.Errorf("events = %v, want %v", ev, want)
	}
}

var parseStateTests = []struct {
	in      string
	want    State
	wantErr bool
}{
	{"pending", StatePending, false},
	{"delivering", StateDelivering, false},
	{"delivered", StateDelivered, false},
	{"failed", StateFailed, false},
	{"", "", true},
	{"Pending", "", true},
	{"parked", "", true},
}

func TestParseState(t *testing.T) {
	for _, tc := range parseStateTests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseState(tc.in)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("ParseState(%q) = %q, %v, want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("ParseState(%q) error = %v, want ErrInvalid", tc.in, err)
			}
		})
	}
}

func FuzzParseState(f *testing.F) {
	for _, tc := range parseStateTests {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseState(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) || st != "" {
				t.Errorf("ParseState(%q) = %q, %v, want \"\", ErrInvalid", s, st, err)
			}
			return
		}
		if string(st) != s {
			t.Errorf("ParseState(%q) = %q, want %q", s, st, s)
		}
	})
}
