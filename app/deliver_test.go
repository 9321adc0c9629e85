package app

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/queue"
)

// emulator serves the Clio emulator over real HTTP; wrap lets a test break
// requests on purpose.
func emulator(t testing.TB, wrap func(http.Handler) http.Handler) (*fake.Server, *clio.Client) {
	t.Helper()
	f, err := fake.NewServer(fake.SampleFirm(), fake.Options{Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	h := f.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { ts.Close(); f.Close() })
	c, err := clio.NewClient(clio.TokenHTTPClient(t.Context(), "tok"), ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

func testOutbox(t testing.TB) *queue.Outbox {
	t.Helper()
	ob, err := queue.Open(t.Context(), filepath.Join(t.TempDir(), "outbox.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ob.Close() })
	return ob
}

func sampleCall(f *fake.Server) queue.Item {
	firm := fake.SampleFirm()
	var contact, matter int64
	for _, m := range firm.Matters {
		if m.Status == clio.MatterOpen && m.Client != nil {
			contact, matter = m.Client.ID, m.ID
			break
		}
	}
	return queue.Item{
		Kind: queue.KindCall, Number: "+12125550142", Name: "Ann Lee", ContactID: contact, MatterID: matter,
		Direction: "in", StartedAt: time.Date(2026, 5, 4, 14, 3, 0, 0, time.UTC), DurationS: 252,
		Billable: true, Note: "lease", Source: "test",
	}
}

func TestDeliverCallWritesCommunicationAndTimeEntry(t *testing.T) {
	f, c := emulator(t, nil)
	ob := testOutbox(t)
	if _, err := ob.Enqueue(t.Context(), sampleCall(f)); err != nil {
		t.Fatal(err)
	}
	fl := queue.NewFlusher(ob, &clioDeliverer{c: c}, queue.FlusherOptions{})
	res, err := fl.Drain(t.Context(), true)
	if err != nil || res.Delivered != 1 {
		t.Fatalf("Drain = %+v, %v; want 1 delivered", res, err)
	}
	comms, acts := f.Communications(), f.Activities()
	if len(comms) != 1 || len(acts) != 1 {
		t.Fatalf("got %d communications, %d activities; want 1, 1", len(comms), len(acts))
	}
	cm, a := comms[0], acts[0]
	if cm.Type != clio.CommunicationPhone || cm.Subject != "Inbound call from Ann Lee (+12125550142)" {
		t.Errorf("communication = %+v", cm)
	}
	if len(cm.Senders) != 1 || cm.Senders[0].ID == 0 || len(cm.Receivers) != 1 || cm.Receivers[0].Type != clio.ParticipantUser {
		t.Errorf("senders %+v receivers %+v, want contact → user", cm.Senders, cm.Receivers)
	}
	if a.Quantity != 252 || a.NonBillable || a.Communication == nil || a.Communication.ID != cm.ID {
		t.Errorf("time entry = %+v, want 252 s billable linked to %d", a, cm.ID)
	}
}

// TestDeliverAdoptsAfterLostResponse: the first POST reaches Clio but the
// answer is lost (connection cut). The retry must find the communication by
// its event id and not post again; the time entry is then created once.
func TestDeliverAdoptsAfterLostResponse(t *testing.T) {
	var cut atomic.Bool
	cut.Store(true)
	f, c := emulator(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/communications.json") && cut.Swap(false) {
				h.ServeHTTP(httptest.NewRecorder(), r) // Clio writes it…
				hj, _ := w.(http.Hijacker)
				conn, _, _ := hj.Hijack()
				conn.Close() // …but the answer never arrives.
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	ob := testOutbox(t)
	if _, err := ob.Enqueue(t.Context(), sampleCall(f)); err != nil {
		t.Fatal(err)
	}
	fl := queue.NewFlusher(ob, &clioDeliverer{c: c}, queue.FlusherOptions{MinBackoff: time.Millisecond})
	for i := 0; i < 3; i++ {
		if _, err := fl.Drain(t.Context(), true); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.Communications()); n != 1 {
		t.Errorf("communications = %d, want exactly 1 after a lost response", n)
	}
	if n := len(f.Activities()); n != 1 {
		t.Errorf("activities = %d, want exactly 1", n)
	}
	items, _ := ob.List(t.Context(), queue.ListOptions{})
	if len(items) != 1 || items[0].State != queue.StateDelivered {
		t.Errorf("outbox = %+v, want delivered", items)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   error
		want func(error) bool
	}{
		{"rate limit", &clio.RateLimitError{RetryAfter: 7 * time.Second}, func(err error) bool {
			var r *queue.RetryError
			return errors.As(err, &r) && r.After == 7*time.Second
		}},
		{"auth", &clio.AuthError{StatusCode: 401, Code: "invalid_token"}, func(err error) bool { return errors.Is(err, queue.ErrAuth) }},
		{"validation", &clio.APIError{StatusCode: 422, Type: "RecordInvalid", Message: "This matter requires UTBMS codes"}, func(err error) bool {
			var p *queue.PermanentError
			return errors.As(err, &p) && strings.Contains(err.Error(), "UTBMS")
		}},
		{"server", &clio.APIError{StatusCode: 503}, func(err error) bool {
			var p *queue.PermanentError
			return !errors.As(err, &p) && err != nil
		}},
		{"utbms", &clio.APIError{StatusCode: 422, Type: "ValidationError", Message: "activity_description: UTBMS task and activity are required for this matter"}, func(err error) bool {
			var p *queue.PermanentError
			return errors.As(err, &p) && err.Error() == "This matter requires UTBMS codes"
		}},
		{"other 422 in plain words", &clio.APIError{StatusCode: 422, Type: "RecordInvalid", Message: "matter is closed"}, func(err error) bool {
			var p *queue.PermanentError
			return errors.As(err, &p) && err.Error() == "Matter is closed"
		}},
		{"uncertain 5xx stays retryable and uncertain", fmt.Errorf("create communication (%w): %w", queue.ErrUncertain, &clio.APIError{StatusCode: 502}), func(err error) bool {
			var p *queue.PermanentError
			return !errors.As(err, &p) && errors.Is(err, queue.ErrUncertain)
		}},
		{"nil", nil, func(err error) bool { return err == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.in); !tt.want(got) {
				t.Errorf("classify(%v) = %v", tt.in, got)
			}
		})
	}
}

// drainAll delivers everything due through a deliverer with opts.
func drainAll(t testing.TB, ob *queue.Outbox, c *clio.Client, opts DeliveryOptions) queue.DrainResult {
	t.Helper()
	fl := queue.NewFlusher(ob, newClioDeliverer(c, opts), queue.FlusherOptions{MinBackoff: time.Millisecond})
	res, err := fl.Drain(t.Context(), true)
	if err != nil {
		t.Fatalf("Drain = %v", err)
	}
	return res
}

func TestDeliverKinds(t *testing.T) {
	defaults := defaultDeliveryOptions()
	noMatter := defaults
	noMatter.MatterAssociation = false
	minDur := defaults
	minDur.MinDurationS = 300
	tests := []struct {
		name        string
		opts        DeliveryOptions
		edit        func(*queue.Item)
		wantSubject string
		wantBody    string
		wantEntries int
		wantMatter  bool
	}{
		{"call", defaults, func(*queue.Item) {}, "Inbound call from Ann Lee (+12125550142)", "Duration: 4:12", 1, true},
		{"outbound call", defaults, func(it *queue.Item) { it.Direction = "out" }, "Outbound call to Ann Lee (+12125550142)", "Direction: outbound", 1, true},
		{"missed call", defaults, func(it *queue.Item) { it.Kind, it.DurationS = queue.KindMissed, 0 }, "Missed call from Ann Lee (+12125550142)", "Direction: inbound", 0, true},
		{"sms", defaults, func(it *queue.Item) { it.Kind, it.Text = queue.KindSMS, "Running 10 minutes late" }, "SMS from Ann Lee (+12125550142)", "Running 10 minutes late", 0, true},
		{"short call under the minimum", minDur, func(*queue.Item) {}, "Inbound call from Ann Lee (+12125550142)", "Duration: 4:12", 0, true},
		{"matter association off", noMatter, func(*queue.Item) {}, "Inbound call from Ann Lee (+12125550142)", "Billable: yes", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := emulator(t, nil)
			ob := testOutbox(t)
			it := sampleCall(f)
			tt.edit(&it)
			if _, err := ob.Enqueue(t.Context(), it); err != nil {
				t.Fatal(err)
			}
			if res := drainAll(t, ob, c, tt.opts); res.Delivered != 1 {
				t.Fatalf("Drain = %+v, want 1 delivered", res)
			}
			comms, acts := f.Communications(), f.Activities()
			if len(comms) != 1 {
				t.Fatalf("communications = %d, want 1", len(comms))
			}
			cm := comms[0]
			if cm.Subject != tt.wantSubject || !strings.Contains(cm.Body, tt.wantBody) {
				t.Errorf("communication = %q / %q, want %q with %q in the body", cm.Subject, cm.Body, tt.wantSubject, tt.wantBody)
			}
			if got := cm.Matter != nil && cm.Matter.ID == it.MatterID; got != tt.wantMatter {
				t.Errorf("communication matter = %+v, want matter sent %t", cm.Matter, tt.wantMatter)
			}
			if len(acts) != tt.wantEntries {
				t.Fatalf("time entries = %d, want %d", len(acts), tt.wantEntries)
			}
			if tt.wantEntries == 1 && (acts[0].Matter != nil) != tt.wantMatter {
				t.Errorf("time entry matter = %+v, want matter sent %t", acts[0].Matter, tt.wantMatter)
			}
		})
	}
}

func TestTimeEntryDateInUserZone(t *testing.T) {
	it := queue.Item{Kind: queue.KindCall, StartedAt: time.Date(2026, 5, 5, 2, 30, 0, 0, time.UTC), DurationS: 60}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	tests := []struct {
		loc  *time.Location
		want string
	}{{time.UTC, "2026-05-05"}, {ny, "2026-05-04"}}
	for _, tt := range tests {
		t.Run(tt.loc.String(), func(t *testing.T) {
			if got := timeEntryFor(it, 1, 2, tt.loc).Date; got != tt.want {
				t.Errorf("timeEntryFor(%v).Date = %s, want %s", tt.loc, got, tt.want)
			}
		})
	}
	opts := DeliveryOptions{TimeZone: "America/New_York"}
	if got := opts.location(); got.String() != "America/New_York" {
		t.Errorf("location() = %v, want America/New_York", got)
	}
	if got := (DeliveryOptions{}).location(); got != time.Local {
		t.Errorf("location() with no zone = %v, want Local", got)
	}
}

// TestDeliverExclusiveContactAssociation: with no contact the item is
// parked with a reason the review list shows; choosing a contact there and
// retrying delivers it.
func TestDeliverExclusiveContactAssociation(t *testing.T) {
	f, c := emulator(t, nil)
	ob := testOutbox(t)
	it := sampleCall(f)
	contact := it.ContactID
	it.ContactID = 0
	stored, err := ob.Enqueue(t.Context(), it)
	if err != nil {
		t.Fatal(err)
	}
	opts := defaultDeliveryOptions()
	opts.ExclusiveContactAssociation = true
	if res := drainAll(t, ob, c, opts); res.Failed != 1 {
		t.Fatalf("Drain = %+v, want 1 parked", res)
	}
	got, _ := ob.Get(t.Context(), stored.ID)
	if want := "not logged: no matching contact (Exclusive Contact Association is on)"; got.LastError != want {
		t.Errorf("reason = %q, want %q", got.LastError, want)
	}
	if n := len(f.Communications()); n != 0 {
		t.Fatalf("communications = %d, want none", n)
	}
	if err := ob.Update(t.Context(), stored.ID, func(x *queue.Item) { x.ContactID = contact }); err != nil {
		t.Fatal(err)
	}
	if err := ob.Requeue(t.Context(), stored.ID); err != nil {
		t.Fatal(err)
	}
	if res := drainAll(t, ob, c, opts); res.Delivered != 1 {
		t.Fatalf("Drain after the edit = %+v, want 1 delivered", res)
	}
	if cm := f.Communications(); len(cm) != 1 || len(cm[0].Senders) != 1 || cm[0].Senders[0].ID != contact {
		t.Errorf("communications = %+v, want one from contact %d", cm, contact)
	}
}

// TestDeliverContactCreation: an unknown caller becomes a Person with the
// caller-ID name and number, recorded as a step; the next item from the
// same number uses that contact instead of making another.
func TestDeliverContactCreation(t *testing.T) {
	f, c := emulator(t, nil)
	ob := testOutbox(t)
	opts := defaultDeliveryOptions()
	opts.ContactCreation = true
	base := queue.Item{Kind: queue.KindCall, Number: "+19075550188", Name: "Dana Whitfield", Direction: "in",
		StartedAt: time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC), DurationS: 90}
	first, _ := ob.Enqueue(t.Context(), base)
	sms := base
	sms.Kind, sms.Text, sms.DurationS = queue.KindSMS, "thanks", 0
	second, _ := ob.Enqueue(t.Context(), sms)
	if res := drainAll(t, ob, c, opts); res.Delivered != 2 {
		t.Fatalf("Drain = %+v, want 2 delivered", res)
	}
	a, _ := ob.Get(t.Context(), first.ID)
	b, _ := ob.Get(t.Context(), second.ID)
	if a.ContactID == 0 || !a.ContactCreated || b.ContactID != a.ContactID {
		t.Fatalf("items = %+v / %+v, want one created contact used by both", a, b)
	}
	found, _, err := c.Contacts.List(t.Context(), &clio.ContactListOptions{Query: "+19075550188"})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].ID != a.ContactID || found[0].FirstName != "Dana" || found[0].LastName != "Whitfield" {
		t.Errorf("contacts with the number = %+v, want one Dana Whitfield", found)
	}
	for _, cm := range f.Communications() {
		if len(cm.Senders) != 1 || cm.Senders[0].ID != a.ContactID {
			t.Errorf("communication %q senders = %+v, want contact %d", cm.Subject, cm.Senders, a.ContactID)
		}
	}
}

// TestDeliverFax: a fax becomes a Communication, then a Document in the
// "CallDocket Fax" folder under the matter (else the contact), uploaded in
// three steps and linked to the communication. A second fax reuses the
// folder; a fax whose document create answer is lost is adopted, not
// duplicated; a fax with nowhere to go is parked; faxes never create
// contacts.
func TestDeliverFax(t *testing.T) {
	var drop atomic.Bool
	f, c := emulator(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/documents.json") && drop.Swap(false) {
				h.ServeHTTP(httptest.NewRecorder(), r)
				hj, _ := w.(http.Hijacker)
				conn, _, _ := hj.Hijack()
				conn.Close()
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	ob := testOutbox(t)
	pdf := filepath.Join(t.TempDir(), "fax.pdf")
	content := []byte("%PDF-1.4\n% CallDocket test fax\n%%EOF\n")
	if err := os.WriteFile(pdf, content, 0o600); err != nil {
		t.Fatal(err)
	}
	call := sampleCall(f)
	fax := func(id string, contact, matter int64) queue.Item {
		return queue.Item{EventID: id, Kind: queue.KindFax, Number: "+12125550142", Name: "Ann Lee",
			ContactID: contact, MatterID: matter, Direction: "in", StartedAt: call.StartedAt, FilePath: pdf, Source: "folder"}
	}
	opts := defaultDeliveryOptions()
	opts.ContactCreation = true // must not apply to faxes
	ob.Enqueue(t.Context(), fax("fax-1", call.ContactID, call.MatterID))
	ob.Enqueue(t.Context(), fax("fax-2", call.ContactID, call.MatterID))
	ob.Enqueue(t.Context(), fax("fax-3", call.ContactID, 0))
	nowhere, _ := ob.Enqueue(t.Context(), fax("fax-4", 0, 0))
	drop.Store(true) // the first document create is committed but its answer lost
	for range 3 {
		drainAll(t, ob, c, opts)
	}
	got, _ := ob.Get(t.Context(), nowhere.ID)
	if got.State != queue.StateFailed || got.LastError != errFaxNowhere.Error() {
		t.Errorf("fax with no contact or matter = %s %q, want parked with %q", got.State, got.LastError, errFaxNowhere)
	}
	docs := f.Documents()
	if len(docs) != 3 {
		t.Fatalf("documents = %d, want 3 (one per filed fax)", len(docs))
	}
	comms := map[int64]clio.Communication{}
	for _, cm := range f.Communications() {
		comms[cm.ID] = cm
	}
	folders := map[int64]bool{}
	for _, d := range docs {
		if !d.Uploaded || string(d.Bytes) != string(content) {
			t.Errorf("document %d: uploaded %t, %d bytes; want the fax uploaded", d.ID, d.Uploaded, len(d.Bytes))
		}
		cm, ok := comms[d.CommunicationID]
		if !ok || !strings.HasPrefix(cm.Subject, "Fax from Ann Lee") {
			t.Errorf("document %d: communication %d (%+v), want a linked fax communication", d.ID, d.CommunicationID, cm)
		}
		folders[d.FolderID] = true
	}
	if len(folders) != 2 {
		t.Errorf("faxes went to %d folders, want 2 (the matter's and the contact's)", len(folders))
	}
	for _, fo := range f.Folders() {
		if fo.Root || !folders[fo.ID] {
			continue
		}
		if fo.Name != DefaultFaxFolder {
			t.Errorf("fax folder named %q, want %q", fo.Name, DefaultFaxFolder)
		}
	}
	if n := len(f.Communications()); n != 3 {
		t.Errorf("communications = %d, want 3", n)
	}
	found, _, _ := c.Contacts.List(t.Context(), &clio.ContactListOptions{Query: "+12125550142"})
	for _, ct := range found {
		if ct.ID > 0 && ct.FirstName == "Ann" && ct.LastName == "Lee" && ct.ID != call.ContactID {
			t.Errorf("a contact was created for a fax: %+v", ct)
		}
	}
}

func TestPacerSharpensWholeSecondReset(t *testing.T) {
	// A 2 s window that began at 10.300 s: Clio says Reset = 12 (whole
	// seconds); the true end is 12.300.
	base := time.Unix(1_780_000_010, 300_000_000)
	resp := func(remaining int) *clio.Response {
		return &clio.Response{Rate: clio.Rate{Limit: 100, Remaining: remaining, Reset: time.Unix(1_780_000_012, 0)}}
	}
	var p pacer
	p.observe(resp(99), base.Add(-time.Millisecond), base.Add(time.Millisecond))
	if u := p.until(); !u.IsZero() {
		t.Errorf("until() with budget left = %v, want zero", u)
	}
	p.observe(resp(0), base.Add(time.Second), base.Add(time.Second+time.Millisecond))
	want := base.Add(2*time.Second + time.Millisecond)
	if u := p.until(); !u.Equal(want) {
		t.Errorf("until() = %v, want %v (window start + 2 s)", u, want)
	}
	// Without seeing the window's first request, it waits a whole second
	// past the reported reset: never early.
	var q pacer
	q.observe(resp(0), base, base)
	if u := q.until(); !u.Equal(time.Unix(1_780_000_013, 0)) {
		t.Errorf("until() without the window start = %v, want reset + 1 s", u)
	}
}

// BenchmarkDeliveryThroughput delivers calls to the emulator under a
// rate limit and reports the time taken as a ratio to the bound the limit
// allows (requests / limit × window): 1.0 is perfect pacing.
func BenchmarkDeliveryThroughput(b *testing.B) {
	const (
		calls  = 60
		limit  = 40
		window = time.Second
	)
	requests := 1 + 2*calls
	bound := time.Duration(float64(requests) / limit * float64(window))
	var ratios []float64
	for b.Loop() {
		f, err := fake.NewServer(fake.SampleFirm(), fake.Options{Token: "tok", RateLimit: limit, RateWindow: window})
		if err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(f.Handler())
		c, err := clio.NewClient(clio.TokenHTTPClient(b.Context(), "tok"), ts.URL)
		if err != nil {
			b.Fatal(err)
		}
		ob, err := queue.Open(b.Context(), filepath.Join(b.TempDir(), "outbox.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		it := sampleCall(f)
		for i := range calls {
			it.EventID = fmt.Sprintf("bench-%d", i)
			if _, err := ob.Enqueue(b.Context(), it); err != nil {
				b.Fatal(err)
			}
		}
		start := time.Now()
		res := drainAll(b, ob, c, defaultDeliveryOptions())
		took := time.Since(start)
		if res.Delivered != calls {
			b.Fatalf("delivered %d, want %d", res.Delivered, calls)
		}
		ratios = append(ratios, float64(took)/float64(bound))
		ob.Close()
		ts.Close()
		f.Close()
	}
	sum := 0.0
	for _, r := range ratios {
		sum += r
	}
	b.ReportMetric(sum/float64(len(ratios)), "x-rate-bound")
}
