package directory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/phone"
)

const fakeToken = "directory-test-token"

// emulator is the Clio emulator behind a real HTTP listener, with a
// handler that can be swapped for a server over another firm (records
// changed or deleted in "Clio") and a count of requests by path.
type emulator struct {
	srv     *fake.Server
	http    *httptest.Server
	handler atomic.Pointer[http.Handler]
	client  *clio.Client

	mu    sync.Mutex
	count map[string]int
	gate  func(r *http.Request) // runs before each request is served
}

func startEmulator(tb testing.TB, f *fake.Firm, opts fake.Options) *emulator {
	tb.Helper()
	e := &emulator{count: map[string]int{}}
	e.use(tb, f, opts)
	e.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.count[strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v4/"), ".json")]++
		gate := e.gate
		e.mu.Unlock()
		if gate != nil {
			gate(r)
		}
		(*e.handler.Load()).ServeHTTP(w, r)
	}))
	tb.Cleanup(e.http.Close)
	c, err := clio.NewClient(clio.TokenHTTPClient(tb.Context(), fakeToken), e.http.URL)
	if err != nil {
		tb.Fatalf("clio.NewClient() = %v", err)
	}
	e.client = c
	return e
}

// use serves firm f from now on.
func (e *emulator) use(tb testing.TB, f *fake.Firm, opts fake.Options) {
	tb.Helper()
	opts.Token = fakeToken
	s, err := fake.NewServer(f, opts)
	if err != nil {
		tb.Fatalf("fake.NewServer() = %v", err)
	}
	e.srv = s
	h := s.Handler()
	e.handler.Store(&h)
}

func (e *emulator) requests(path string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.count[path]
}

// source is a ClioSource over the emulator, relationships included.
func (e *emulator) source() *ClioSource {
	return NewClioSource(e.client, ClioSourceOptions{ListRelationships: e.listRelationships})
}

// listRelationships lists every relationship with plain HTTP: the clio
// client can list them only per contact.
func (e *emulator) listRelationships(ctx context.Context, since time.Time, fn func([]clio.Relationship) error) error {
	q := url.Values{"fields": {"id,description,matter{id},contact{id}"}, "order": {"id(asc)"}, "limit": {"200"}}
	next := e.http.URL + "/api/v4/relationships.json?" + q.Encode()
	for next != "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, next, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+fakeToken)
		req.Header.Set("X-API-VERSION", clio.APIVersion)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		var env struct {
			Data []clio.Relationship `json:"data"`
			Meta struct {
				Paging struct {
					Next string `json:"next"`
				} `json:"paging"`
			} `json:"meta"`
		}
		err = json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("list relationships: status %d", resp.StatusCode)
		}
		if err != nil {
			return err
		}
		if err := fn(env.Data); err != nil {
			return err
		}
		next = env.Meta.Paging.Next
	}
	return nil
}

// firstNumber returns a contact of f with a phone number that normalises.
func firstNumber(tb testing.TB, f *fake.Firm, skip int) (clio.Contact, string) {
	tb.Helper()
	for _, c := range f.Contacts {
		for _, p := range c.PhoneNumbers {
			if e, err := phone.Normalize(p.Number, "US"); err == nil && strings.HasPrefix(e, "+1") {
				if skip == 0 {
					return c, e
				}
				skip--
			}
		}
	}
	tb.Fatal("sample firm has no US phone number")
	return clio.Contact{}, ""
}

func TestClioSourceFullSync(t *testing.T) {
	f := fake.SampleFirm()
	e := startEmulator(t, f, fake.Options{})
	d, _ := openTest(t, Options{DefaultRegion: "US", UserID: 1})
	src := e.source()
	defer src.Close()
	st, err := d.SyncWith(t.Context(), src, SyncOptions{})
	if err != nil {
		t.Fatalf("SyncWith() = %v", err)
	}
	if st.Contacts != len(f.Contacts) || st.Matters != len(f.Matters) || st.Relationships != len(f.Relationships) {
		t.Errorf("SyncWith() = %+v, want %d contacts, %d matters, %d relationships",
			st, len(f.Contacts), len(f.Matters), len(f.Relationships))
	}
	pages := func(n int) int { return (n + 199) / 200 }
	if got, want := e.requests("contacts"), pages(len(f.Contacts)); got != want {
		t.Errorf("contact list requests = %d, want %d (one per page)", got, want)
	}
	for _, r := range e.srv.Requests() {
		if r.Status != http.StatusOK || r.Header.Get("X-API-VERSION") != clio.APIVersion {
			t.Errorf("request %s %s = %d, want 200 with the API version", r.Method, r.Path, r.Status)
		}
	}
	c, number := firstNumber(t, f, 0)
	res, err := d.Lookup(t.Context(), number)
	if err != nil || len(res.Matches) == 0 {
		t.Fatalf("Lookup(sample number) = %+v, %v", res, err)
	}
	found := false
	for _, m := range res.Matches {
		found = found || m.ContactID == c.ID
	}
	if !found {
		t.Errorf("Lookup(sample number) = %+v, want contact %d", res.Matches, c.ID)
	}
	if n := countRows(t, d, "relationships"); n != len(f.Relationships) {
		t.Errorf("relationships stored = %d, want %d", n, len(f.Relationships))
	}
}

func TestClioSourceResumeAfterCrash(t *testing.T) {
	f := fake.SampleFirm()
	e := startEmulator(t, f, fake.Options{})
	path := filepath.Join(t.TempDir(), "directory.db")
	d, err := Open(t.Context(), path, Options{}, nil)
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	stored := 0
	_, err = d.SyncWith(ctx, e.source(), SyncOptions{Progress: func(p Progress) {
		if stored = p.Done; p.Phase == PhaseContacts && p.Done >= 600 {
			cancel() // the process dies after three pages
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("SyncWith(crashing) = %v, want %v", err, context.Canceled)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}

	// A new process: new directory handle, new source.
	d, err = Open(t.Context(), path, Options{}, nil)
	if err != nil {
		t.Fatalf("Open(again) = %v", err)
	}
	defer d.Close()
	st, err := d.SyncWith(t.Context(), e.source(), SyncOptions{})
	if err != nil {
		t.Fatalf("SyncWith(resumed) = %v", err)
	}
	if !st.Resumed || st.Contacts != len(f.Contacts)-stored {
		t.Errorf("SyncWith(resumed) = %+v, want the remaining %d contacts stored, each once", st, len(f.Contacts)-stored)
	}
	if n := countRows(t, d, "contacts"); n != len(f.Contacts) {
		t.Errorf("contacts stored = %d, want %d", n, len(f.Contacts))
	}
}

func TestClioSourceIncrementalAndReconcile(t *testing.T) {
	f := fake.SampleFirm()
	e := startEmulator(t, f, fake.Options{})
	d, _ := openTest(t, Options{})
	src := e.source()
	if _, err := d.SyncWith(t.Context(), src, SyncOptions{}); err != nil {
		t.Fatalf("SyncWith(first) = %v", err)
	}

	// In Clio, a contact gets a new number and another is deleted.
	changed, gone := f.Contacts[10], f.Contacts[20]
	changed.PhoneNumbers = []clio.PhoneNumber{{ID: 99999001, Number: "+1 907 555 0142", Name: "Mobile"}}
	changed.UpdatedAt = time.Now().UTC().Truncate(time.Second)
	f2 := *f
	f2.Contacts = append([]clio.Contact{}, f.Contacts...)
	f2.Contacts[10] = changed
	f2.Contacts = append(f2.Contacts[:20], f2.Contacts[21:]...)
	f2.Relationships = nil
	for _, r := range f.Relationships {
		if r.ContactID != gone.ID {
			f2.Relationships = append(f2.Relationships, r)
		}
	}
	e.use(t, &f2, fake.Options{})

	st, err := d.SyncWith(t.Context(), src, SyncOptions{})
	if err != nil {
		t.Fatalf("SyncWith(incremental) = %v", err)
	}
	if st.Full || st.Contacts != 1 || st.Matters != 0 {
		t.Errorf("SyncWith(incremental) = %+v, want just the changed contact", st)
	}
	if ids := lookupIDs(t, d, "+1 907 555 0142"); len(ids) != 1 || ids[0] != changed.ID {
		t.Errorf("Lookup(new number) = %v, want [%d]", ids, changed.ID)
	}
	has := func(id int64) bool {
		var n int
		if err := d.db.QueryRowContext(t.Context(), `SELECT count(*) FROM contacts WHERE id = ?1`, id).Scan(&n); err != nil {
			t.Fatalf("count contact: %v", err)
		}
		return n == 1
	}
	if !has(gone.ID) {
		t.Fatalf("contact %d missing before the reconcile", gone.ID)
	}
	st, err = d.SyncWith(t.Context(), src, SyncOptions{Reconcile: true})
	if err != nil {
		t.Fatalf("SyncWith(reconcile) = %v", err)
	}
	if st.Deleted != 1 || has(gone.ID) {
		t.Errorf("SyncWith(reconcile) = %+v, want contact %d deleted", st, gone.ID)
	}
}

func TestClioSourceRateLimitBackoff(t *testing.T) {
	f := fake.SampleFirm()
	e := startEmulator(t, f, fake.Options{RateWindow: time.Second})
	// The third contacts page and a matters page answer 429 once each.
	var n atomic.Int32
	e.gate = func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/contacts.json") && n.Add(1) == 3 {
			e.srv.InjectFaults(fake.Fault{PathPrefix: "/api/v4/contacts", Kind: fake.Fault429, Times: 1})
		}
	}
	e.srv.InjectFaults(fake.Fault{PathPrefix: "/api/v4/matters", Kind: fake.Fault429, Times: 1})
	d, _ := openTest(t, Options{})
	st, err := d.SyncWith(t.Context(), e.source(), SyncOptions{})
	if err != nil {
		t.Fatalf("SyncWith() = %v, want the sync to back off and continue", err)
	}
	if st.Contacts != len(f.Contacts) || st.Matters != len(f.Matters) {
		t.Errorf("SyncWith() = %+v, want every contact and matter stored once", st)
	}
	limited := 0
	for _, r := range e.srv.Requests() {
		if r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 2 {
		t.Errorf("429 answers = %d, want 2", limited)
	}
}

func TestClioSourceRespectsBudget(t *testing.T) {
	f := fake.SampleFirm()
	e := startEmulator(t, f, fake.Options{})
	// 8 requests a second; the client keeps 3 of each window for the outbox.
	const limit, reserve = 8, 3
	lim := newAlignedLimiter(limit, time.Second, *e.handler.Load())
	var h http.Handler = lim
	e.handler.Store(&h)
	e.client.SetReserve(reserve)
	d, _ := openTest(t, Options{})
	src := NewClioSource(e.client, ClioSourceOptions{})
	st, err := d.SyncWith(t.Context(), src, SyncOptions{})
	if err != nil || st.Contacts != len(f.Contacts) {
		t.Fatalf("SyncWith() = %+v, %v, want every contact", st, err)
	}
	perWindow, refused, _, _ := lim.stats()
	if refused != 0 {
		t.Errorf("429 answers = %d, want none", refused)
	}
	for w, n := range perWindow {
		if n > limit-reserve {
			t.Errorf("window %d: %d sync requests, want at most %d (the reserve left for the outbox)", w, n, limit-reserve)
		}
	}
}

func TestClioSourceUnalignedWindows(t *testing.T) {
	f := fake.SampleFirm()
	// The emulator's windows start at a window's first request, so the
	// whole-second X-RateLimit-Reset can be early: the sync adapts.
	e := startEmulator(t, f, fake.Options{RateLimit: 12, RateWindow: time.Second})
	e.client.SetReserve(0)
	d, _ := openTest(t, Options{})
	st, err := d.SyncWith(t.Context(), NewClioSource(e.client, ClioSourceOptions{}), SyncOptions{})
	if err != nil || st.Contacts != len(f.Contacts) || st.Matters != len(f.Matters) {
		t.Fatalf("SyncWith() = %+v, %v, want every contact and matter", st, err)
	}
	limited := 0
	for _, r := range e.srv.Requests() {
		if r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	t.Logf("%d requests, %d answered 429", len(e.srv.Requests()), limited)
	if limited > 2 {
		t.Errorf("429 answers = %d, want at most 2 before the sync adds slack to the reset", limited)
	}
}

// TestClioSourceCloseFromLockedThread: the app closes the source from the
// UI's main thread, which is locked to its OS thread; stopping a listing
// still in progress from there must not crash the process.
func TestClioSourceCloseFromLockedThread(t *testing.T) {
	f := fake.SampleFirm()
	e := startEmulator(t, f, fake.Options{})
	src := NewClioSource(e.client, ClioSourceOptions{})
	page, next, err := src.ContactsPage(t.Context(), time.Time{}, "")
	if err != nil || len(page) == 0 || next == "" {
		t.Fatalf("ContactsPage() = %d contacts, next %q, %v; want a first page of several", len(page), next, err)
	}
	done := make(chan error)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		done <- src.Close()
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
