package app

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// eventIDProperty names the external property that carries an outbox item's
// own event id on the Communication and the Document, so a retry can find
// them (API-NOTES §8).
const eventIDProperty = "calldocket_event_id"

// faxFolderProperty tags the fax folder CallDocket made under a matter or
// contact, value "matter-ID" or "contact-ID", so it is found again.
const faxFolderProperty = "calldocket_fax_folder"

// errNoContact is the reason an item is parked under Exclusive Contact
// Association.
var errNoContact = errors.New("not logged: no matching contact (Exclusive Contact Association is on)")

// errFaxNowhere is the reason a fax with neither matter nor contact is
// parked: Clio files a document under a matter or a contact.
var errFaxNowhere = errors.New("fax not filed: choose a contact or matter for it")

// clioDeliverer writes outbox items to Clio. It implements queue.Deliverer.
// The zero value with c set uses the default DeliveryOptions.
type clioDeliverer struct {
	c    *clio.Client
	opts *DeliveryOptions // nil: defaultDeliveryOptions()

	mu   sync.Mutex
	user *clio.User // who_am_i, fetched once
	pace pacer
}

// newClioDeliverer returns a deliverer for c with the given options.
func newClioDeliverer(c *clio.Client, opts DeliveryOptions) *clioDeliverer {
	return &clioDeliverer{c: c, opts: &opts}
}

func (d *clioDeliverer) options() DeliveryOptions {
	if d.opts == nil {
		return defaultDeliveryOptions()
	}
	return *d.opts
}

func (d *clioDeliverer) whoAmI(ctx context.Context) (*clio.User, error) {
	d.mu.Lock()
	u := d.user
	d.mu.Unlock()
	if u != nil {
		return u, nil
	}
	err := d.call(ctx, false, "find the signed-in Clio user", func(ctx context.Context) (*clio.Response, error) {
		var (
			resp *clio.Response
			err  error
		)
		u, resp, err = d.c.Users.WhoAmI(ctx)
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.user = u
	d.mu.Unlock()
	return u, nil
}

// Deliver writes an item to Clio:
//   - a call: a PhoneCommunication plus a TimeEntry (none below MinDurationS);
//   - a missed call or an SMS: a PhoneCommunication only;
//   - a fax: a PhoneCommunication, then a Document in the fax folder under
//     the matter, else the contact, uploaded in Clio's three steps.
//
// Each completed step is recorded, and after an attempt whose outcome is
// unknown (it.Uncertain) the records it may have created are looked up
// first (by event id, or by communication for the time entry), so nothing
// is posted twice.
func (d *clioDeliverer) Deliver(ctx context.Context, it queue.Item, rec queue.Recorder) error {
	return classify(d.deliver(ctx, it, rec))
}

func (d *clioDeliverer) deliver(ctx context.Context, it queue.Item, rec queue.Recorder) error {
	opts := d.options()
	userID := it.UserID
	if userID == 0 {
		u, err := d.whoAmI(ctx)
		if err != nil {
			return err
		}
		userID = u.ID
	}
	if !opts.MatterAssociation {
		it.MatterID = 0
	}

	if it.ContactID == 0 && opts.ContactCreation && it.Kind != queue.KindFax {
		id, err := d.ensureContact(ctx, it, rec)
		if err != nil {
			return err
		}
		it.ContactID = id
	}
	if it.ContactID == 0 && opts.ExclusiveContactAssociation {
		return &queue.PermanentError{Err: errNoContact}
	}
	if it.Kind == queue.KindFax && it.ContactID == 0 && it.MatterID == 0 {
		return &queue.PermanentError{Err: errFaxNowhere}
	}

	commID, err := d.ensureCommunication(ctx, it, userID, rec)
	if err != nil {
		return err
	}
	it.CommunicationID = commID

	switch it.Kind {
	case queue.KindCall:
		if it.DurationS < opts.MinDurationS || it.ActivityID != 0 {
			return nil
		}
		return d.ensureTimeEntry(ctx, it, userID, opts.location(), rec)
	case queue.KindFax:
		return d.ensureFaxDocument(ctx, it, opts.faxFolder(), rec)
	}
	return nil
}

// ensureContact finds a contact with the caller's number, or creates a
// Person from the caller-ID name and number (Contact Creation), and
// records it. It returns 0 when there is nothing to create from.
func (d *clioDeliverer) ensureContact(ctx context.Context, it queue.Item, rec queue.Recorder) (int64, error) {
	if it.Number == "" {
		return 0, nil
	}
	var found []clio.Contact
	err := d.call(ctx, false, "look for a contact with the caller's number", func(ctx context.Context) (*clio.Response, error) {
		var (
			resp *clio.Response
			err  error
		)
		found, resp, err = d.c.Contacts.List(ctx, &clio.ContactListOptions{Query: it.Number, Limit: 5})
		return resp, err
	})
	if err != nil {
		return 0, err
	}
	for _, c := range found {
		if hasNumber(c, it.Number) {
			// Another process (or an earlier attempt of ours) made it, or
			// the local directory had not seen it yet.
			return c.ID, rec.RecordProgress(ctx, queue.Progress{ContactID: c.ID})
		}
	}
	first, last := splitName(it.Name)
	if first == "" && last == "" {
		last = it.Number // Clio needs a name; the number is what we know
	}
	var created *clio.Contact
	err = d.call(ctx, true, "create a contact for the caller", func(ctx context.Context) (*clio.Response, error) {
		var (
			resp *clio.Response
			err  error
		)
		created, resp, err = d.c.Contacts.Create(ctx, &clio.ContactCreate{
			Type: clio.ContactPerson, FirstName: first, LastName: last,
			PhoneNumbers: []clio.PhoneNumberCreate{{Name: clio.PhoneMobile, Number: it.Number, Default: true}},
		})
		return resp, err
	})
	if err != nil {
		return 0, err
	}
	return created.ID, rec.RecordProgress(ctx, queue.Progress{ContactID: created.ID})
}

// hasNumber reports whether c has number, comparing digits only.
func hasNumber(c clio.Contact, number string) bool {
	want := digits(number)
	if len(want) < 7 {
		return false
	}
	for _, p := range c.PhoneNumbers {
		got := digits(p.Number)
		if got == want || (len(got) >= 7 && (strings.HasSuffix(want, got) || strings.HasSuffix(got, want))) {
			return true
		}
	}
	return false
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// splitName splits a caller-ID name into first and last name: "Ann Lee",
// "LEE, ANN" and "LEE ANN" (caller-ID order) all work well enough; one word
// is a last name.
func splitName(name string) (first, last string) {
	name = strings.TrimSpace(name)
	if l, f, ok := strings.Cut(name, ","); ok {
		return strings.TrimSpace(f), strings.TrimSpace(l)
	}
	fields := strings.FieldsFunc(name, unicode.IsSpace)
	switch len(fields) {
	case 0:
		return "", ""
	case 1:
		return "", fields[0]
	}
	return strings.Join(fields[:len(fields)-1], " "), fields[len(fields)-1]
}

// ensureCommunication adopts or creates the item's communication and
// records it.
func (d *clioDeliverer) ensureCommunication(ctx context.Context, it queue.Item, userID int64, rec queue.Recorder) (int64, error) {
	if it.CommunicationID != 0 {
		return it.CommunicationID, nil
	}
	var commID int64
	if it.Uncertain {
		var found []clio.Communication
		err := d.call(ctx, false, "look for an earlier communication", func(ctx context.Context) (*clio.Response, error) {
			var (
				resp *clio.Response
				err  error
			)
			found, resp, err = d.c.Communications.ListByExternalProperty(ctx, eventIDProperty, it.EventID)
			return resp, err
		})
		if err != nil {
			return 0, err
		}
		if len(found) > 0 {
			commID = found[0].ID
		}
	}
	if commID == 0 {
		err := d.call(ctx, true, "create communication", func(ctx context.Context) (*clio.Response, error) {
			c, resp, err := d.c.Communications.Create(ctx, communicationFor(it, userID))
			if err == nil {
				commID = c.ID
			}
			return resp, err
		})
		if err != nil {
			return 0, err
		}
	}
	if err := rec.RecordProgress(ctx, queue.Progress{CommunicationID: commID}); err != nil {
		return 0, recordError(err)
	}
	return commID, nil
}

// ensureTimeEntry adopts or creates the call's time entry and records it.
func (d *clioDeliverer) ensureTimeEntry(ctx context.Context, it queue.Item, userID int64, loc *time.Location, rec queue.Recorder) error {
	var actID int64
	if it.Uncertain {
		var acts []clio.Activity
		err := d.call(ctx, false, "look for an earlier time entry", func(ctx context.Context) (*clio.Response, error) {
			var (
				resp *clio.Response
				err  error
			)
			acts, resp, err = d.c.Activities.ListByCommunication(ctx, it.CommunicationID)
			return resp, err
		})
		if err != nil {
			return err
		}
		if len(acts) > 0 {
			actID = acts[0].ID
		}
	}
	if actID == 0 {
		err := d.call(ctx, true, "create time entry", func(ctx context.Context) (*clio.Response, error) {
			a, resp, err := d.c.Activities.Create(ctx, timeEntryFor(it, userID, it.CommunicationID, loc))
			if err == nil {
				actID = a.ID
			}
			return resp, err
		})
		if err != nil {
			return err
		}
	}
	return recordError(rec.RecordProgress(ctx, queue.Progress{ActivityID: actID}))
}

// ensureFaxDocument files the fax: the folder, the document record, the
// upload and its completion, each recorded as it is done.
func (d *clioDeliverer) ensureFaxDocument(ctx context.Context, it queue.Item, folderName string, rec queue.Recorder) error {
	if it.Uploaded {
		return nil
	}
	f, err := os.Open(it.FilePath)
	if err != nil {
		return &queue.PermanentError{Err: fmt.Errorf("fax file cannot be read: %w", err)}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return &queue.PermanentError{Err: fmt.Errorf("fax file cannot be read: %w", err)}
	}

	folderID := it.FolderID
	if folderID == 0 && it.DocumentID == 0 {
		if folderID, err = d.faxFolder(ctx, it, folderName); err != nil {
			return err
		}
		if err := rec.RecordProgress(ctx, queue.Progress{FolderID: folderID}); err != nil {
			return recordError(err)
		}
	}

	docID, uuid := it.DocumentID, it.DocumentUUID
	var version *clio.DocumentVersion
	if it.Uncertain || docID != 0 {
		// Resuming a recorded document: its unfinished version's put_url
		// is there, or an earlier attempt finished without recording it.
		var found []clio.Document
		err := d.call(ctx, false, "look for an earlier fax document", func(ctx context.Context) (*clio.Response, error) {
			var (
				resp *clio.Response
				err  error
			)
			found, resp, err = d.c.Documents.FindByExternalProperty(ctx, eventIDProperty, it.EventID)
			return resp, err
		})
		if err != nil {
			return err
		}
		if len(found) > 0 {
			docID, version = found[0].ID, found[0].LatestDocumentVersion
		}
	}
	if docID == 0 {
		name := faxName(it)
		err := d.call(ctx, true, "create the fax document", func(ctx context.Context) (*clio.Response, error) {
			doc, resp, err := d.c.Documents.Create(ctx, &clio.DocumentCreate{
				Name: name, Filename: name, ContentType: "application/pdf",
				Parent: clio.Parent{ID: folderID, Type: clio.ParentFolder}, ReceivedAt: it.StartedAt,
				CommunicationID:    it.CommunicationID,
				ExternalProperties: []clio.ExternalProperty{{Name: eventIDProperty, Value: it.EventID}},
			})
			if err == nil {
				docID, version = doc.ID, doc.LatestDocumentVersion
			}
			return resp, err
		})
		if err != nil {
			return err
		}
	}
	if version != nil && version.FullyUploaded {
		return recordError(rec.RecordProgress(ctx, queue.Progress{DocumentID: docID, Uploaded: true}))
	}
	if version == nil || version.PutURL == "" || version.UUID == "" {
		// Resuming: a put_url lasts 10 minutes and is not kept, so ask for
		// a new version of the same document to upload into.
		err := d.call(ctx, true, "ask Clio where to upload the fax", func(ctx context.Context) (*clio.Response, error) {
			doc, resp, err := d.c.Documents.Create(ctx, &clio.DocumentCreate{
				Name: faxName(it), Filename: faxName(it), ContentType: "application/pdf",
				Parent: clio.Parent{ID: docID, Type: clio.ParentDocument},
			})
			if err == nil {
				version = doc.LatestDocumentVersion
			}
			return resp, err
		})
		if err != nil {
			return err
		}
		if version == nil || version.PutURL == "" || version.UUID == "" {
			return fmt.Errorf("clio gave no upload address for the fax")
		}
	}
	uuid = version.UUID
	if err := rec.RecordProgress(ctx, queue.Progress{DocumentID: docID, DocumentUUID: uuid}); err != nil {
		return recordError(err)
	}

	// A PUT may be repeated safely. An expired put_url (a 403 from
	// storage) or a hiccup is retried; the next attempt asks for a fresh
	// address.
	if err := d.c.Documents.Upload(ctx, version.PutURL, version.PutHeaders, f, st.Size()); err != nil {
		return fmt.Errorf("upload the fax: %w", err)
	}
	err = d.call(ctx, true, "mark the fax uploaded", func(ctx context.Context) (*clio.Response, error) {
		_, resp, err := d.c.Documents.MarkUploaded(ctx, docID, uuid)
		return resp, err
	})
	if err != nil && clio.IsPermanent(err) && it.Uncertain {
		// Marking a finished version again is an error: an earlier attempt
		// may have done it. Check before giving up.
		var found []clio.Document
		if ferr := d.call(ctx, false, "check the fax document", func(ctx context.Context) (*clio.Response, error) {
			var (
				resp *clio.Response
				err  error
			)
			found, resp, err = d.c.Documents.FindByExternalProperty(ctx, eventIDProperty, it.EventID)
			return resp, err
		}); ferr == nil && len(found) > 0 && found[0].LatestDocumentVersion != nil && found[0].LatestDocumentVersion.FullyUploaded {
			err = nil
		}
	}
	if err != nil {
		return err
	}
	return recordError(rec.RecordProgress(ctx, queue.Progress{Uploaded: true}))
}

// faxFolder finds or creates the fax folder under the item's matter, else
// its contact: first by CallDocket's tag, then by name, then it makes one
// (tagged, so the next fax finds it).
func (d *clioDeliverer) faxFolder(ctx context.Context, it queue.Item, name string) (int64, error) {
	owner := clio.Parent{ID: it.ContactID, Type: clio.ParentContact}
	tag := fmt.Sprintf("contact-%d", it.ContactID)
	if it.MatterID != 0 {
		owner = clio.Parent{ID: it.MatterID, Type: clio.ParentMatter}
		tag = fmt.Sprintf("matter-%d", it.MatterID)
	}
	var tagged []clio.Folder
	err := d.call(ctx, false, "look for the fax folder", func(ctx context.Context) (*clio.Response, error) {
		var (
			resp *clio.Response
			err  error
		)
		tagged, resp, err = d.c.Folders.FindByExternalProperty(ctx, faxFolderProperty, tag)
		return resp, err
	})
	if err != nil {
		return 0, err
	}
	for _, f := range tagged {
		if f.Name == name {
			return f.ID, nil
		}
	}
	var named []clio.Folder
	err = d.call(ctx, false, "look for the fax folder by name", func(ctx context.Context) (*clio.Response, error) {
		var err error
		named, err = d.c.Folders.Find(ctx, owner, name)
		return nil, err
	})
	if err != nil {
		return 0, err
	}
	if len(named) > 0 {
		return named[0].ID, nil
	}
	var id int64
	err = d.call(ctx, true, "create the fax folder", func(ctx context.Context) (*clio.Response, error) {
		f, resp, err := d.c.Folders.Create(ctx, &clio.FolderCreate{
			Name: name, Parent: owner,
			ExternalProperties: []clio.ExternalProperty{{Name: faxFolderProperty, Value: tag}},
		})
		if err == nil {
			id = f.ID
		}
		return resp, err
	})
	return id, err
}

// faxName is the document's name: "Fax from NAME 2026-05-04 14.03.pdf".
func faxName(it queue.Item) string {
	who := it.Name
	if who == "" {
		who = it.Number
	}
	when := it.StartedAt
	if when.IsZero() {
		when = it.CreatedAt
	}
	base := "Fax"
	if who != "" {
		base += " from " + who
	}
	base += " " + when.Format("2006-01-02 15.04")
	base = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || unicode.IsControl(r) {
			return '-'
		}
		return r
	}, base)
	ext := strings.ToLower(filepath.Ext(it.FilePath))
	if ext == "" {
		ext = ".pdf"
	}
	return base + ext
}

// recordError passes a Recorder error on: a lost lease stops the attempt
// and an earlier write is then not recorded, so the outcome is uncertain.
func recordError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("record delivery step (%w): %w", queue.ErrUncertain, err)
}

// maxInlineWait is the longest rate-limit wait spent inside one delivery;
// longer waits hand the item back to the outbox with a RetryError.
const maxInlineWait = 90 * time.Second

// call runs one Clio request: it waits out the rate limit window first
// (pacing by X-RateLimit-Remaining and -Reset), waits and tries again after
// a 429 (Retry-After) when the wait is short, and wraps a failed write whose
// outcome is unknown with queue.ErrUncertain. what names the step for the
// error.
func (d *clioDeliverer) call(ctx context.Context, write bool, what string, fn func(ctx context.Context) (*clio.Response, error)) error {
	for tries := 0; ; tries++ {
		if err := d.pace.wait(ctx); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		t0 := time.Now()
		resp, err := fn(ctx)
		d.pace.observe(resp, t0, time.Now())
		var rl *clio.RateLimitError
		if errors.As(err, &rl) && tries < 5 {
			wait := max(rl.RetryAfter, d.pace.until().Sub(time.Now()), 50*time.Millisecond)
			if dl, ok := ctx.Deadline(); wait <= maxInlineWait && (!ok || time.Now().Add(wait).Before(dl)) {
				if err := sleepCtx(ctx, wait); err != nil {
					return fmt.Errorf("%s: %w", what, err)
				}
				continue
			}
		}
		if err == nil {
			return nil
		}
		if write && !definite(err) {
			return fmt.Errorf("%s (%w): %w", what, queue.ErrUncertain, err)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
}

// definite reports whether a failed request certainly changed nothing: an
// answer from Clio below 500, a request the client refused to send, or a
// connection that was never made.
func definite(err error) bool {
	var (
		api *clio.APIError
		ae  *clio.AuthError
		rl  *clio.RateLimitError
		op  *net.OpError
	)
	switch {
	case errors.As(err, &rl), errors.As(err, &ae):
		return true
	case errors.As(err, &api):
		return api.StatusCode < 500
	case errors.As(err, &op):
		return op.Op == "dial"
	}
	return clio.IsPermanent(err)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// pacer spaces requests by Clio's rate-limit headers: once a window's
// X-RateLimit-Remaining reaches 0 it waits for the window to end. Clio
// gives X-RateLimit-Reset in whole seconds; the pacer sharpens it by
// noting when the first request of each window was sent and answered
// (the window starts in between) and taking the window as a whole number
// of seconds, narrowed down over the windows seen, so that short windows
// are not stretched by up to a second each.
type pacer struct {
	mu        sync.Mutex
	remaining int       // last X-RateLimit-Remaining
	end       time.Time // best estimate of the current window's end
	known     bool
	// The window length W in seconds lies in (wLo, wHi]; wHi == 0 means
	// nothing is known yet.
	wLo, wHi float64
}

// observe notes the rate headers of a response to a request sent at t0
// and answered at t1.
func (p *pacer) observe(resp *clio.Response, t0, t1 time.Time) {
	if resp == nil || (resp.Rate.Limit == 0 && resp.Rate.Reset.IsZero()) {
		return
	}
	r := resp.Rate
	p.mu.Lock()
	defer p.mu.Unlock()
	p.known = true
	p.remaining = r.Remaining
	if r.Reset.IsZero() {
		return
	}
	reset := r.Reset // whole seconds: the true end is in [reset, reset+1s)
	end := reset.Add(time.Second)
	if r.Limit > 0 && r.Remaining == r.Limit-1 {
		// The first request of a window: it began at s, t0 <= s <= t1,
		// and reset <= s+W < reset+1s, so W is in (reset-t1, reset-t0+1s].
		lo, hi := reset.Sub(t1).Seconds(), reset.Sub(t0).Seconds()+1
		if p.wHi == 0 || max(lo, p.wLo) >= min(hi, p.wHi) {
			p.wLo, p.wHi = lo, hi // first window, or W changed
		} else {
			p.wLo, p.wHi = max(lo, p.wLo), min(hi, p.wHi)
		}
		if w := math.Floor(p.wHi); w >= 1 && w > p.wLo {
			// The latest the window can have started is t1, and before
			// reset+1s-W; it ends W later.
			est := t1.Add(time.Duration(w) * time.Second)
			if est.After(end) {
				est = end
			}
			if !est.Before(reset) {
				end = est
			}
		}
	} else if !p.end.IsZero() && !p.end.Before(reset) && p.end.Before(end) {
		end = p.end // same window: keep the sharper estimate
	}
	p.end = end
}

// until is when the current window is used up and ends, or the zero time.
func (p *pacer) until() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.known || p.remaining > 0 {
		return time.Time{}
	}
	return p.end
}

// wait sleeps while the last seen window is used up.
func (p *pacer) wait(ctx context.Context) error {
	u := p.until()
	d := time.Until(u)
	if u.IsZero() || d <= 0 {
		return nil
	}
	if d > maxInlineWait {
		return &clio.RateLimitError{RetryAfter: d, Reset: u}
	}
	return sleepCtx(ctx, d)
}

// communicationFor builds the PhoneCommunication for an item: the subject
// says what happened and with whom, the body the details.
func communicationFor(it queue.Item, userID int64) *clio.CommunicationCreate {
	who := orUnknown(it.Name)
	number := it.Number
	if number == "" {
		number = "number withheld"
	}
	out := it.Direction == "out"
	var subject string
	switch {
	case it.Kind == queue.KindMissed:
		subject = fmt.Sprintf("Missed call from %s (%s)", who, number)
	case it.Kind == queue.KindSMS && strings.HasPrefix(it.EventID, queue.DigestPrefix):
		subject = fmt.Sprintf("SMS with %s (%s) on %s", who, number, it.StartedAt.In(time.Local).Format("Mon 2 Jan 2006"))
	case it.Kind == queue.KindSMS && out:
		subject = fmt.Sprintf("SMS to %s (%s)", who, number)
	case it.Kind == queue.KindSMS:
		subject = fmt.Sprintf("SMS from %s (%s)", who, number)
	case it.Kind == queue.KindFax && out:
		subject = fmt.Sprintf("Fax to %s (%s)", who, number)
	case it.Kind == queue.KindFax:
		subject = fmt.Sprintf("Fax from %s (%s)", who, number)
	case out:
		subject = fmt.Sprintf("Outbound call to %s (%s)", who, number)
	default:
		subject = fmt.Sprintf("Inbound call from %s (%s)", who, number)
	}

	var b strings.Builder
	if it.Kind == queue.KindSMS {
		if it.Text != "" {
			b.WriteString(it.Text)
		} else {
			b.WriteString("(no text)")
		}
		b.WriteString("\n\n")
	}
	if it.Kind == queue.KindCall {
		fmt.Fprintf(&b, "Duration: %s\n", clock(time.Duration(it.DurationS)*time.Second))
	}
	if out {
		b.WriteString("Direction: outbound\n")
	} else {
		b.WriteString("Direction: inbound\n")
	}
	if it.Source != "" {
		fmt.Fprintf(&b, "Source: %s\n", it.Source)
	}
	if it.Kind == queue.KindCall {
		if it.Billable {
			b.WriteString("Billable: yes\n")
		} else {
			b.WriteString("Billable: no\n")
		}
	}
	if it.Kind == queue.KindFax {
		fmt.Fprintf(&b, "Document: %s\n", faxName(it))
	}
	if it.Note != "" {
		fmt.Fprintf(&b, "Note: %s\n", it.Note)
	}
	b.WriteString("Logged by CallDocket")

	received := it.StartedAt
	if received.IsZero() {
		received = it.CreatedAt
	}
	c := &clio.CommunicationCreate{
		Type:               clio.CommunicationPhone,
		Subject:            subject,
		Body:               b.String(),
		ReceivedAt:         received,
		ExternalProperties: []clio.ExternalProperty{{Name: eventIDProperty, Value: it.EventID}},
	}
	if it.MatterID != 0 {
		c.Matter = &clio.IDRef{ID: it.MatterID}
	}
	user := []clio.Participant{{ID: userID, Type: clio.ParticipantUser}}
	var contact []clio.Participant
	if it.ContactID != 0 {
		contact = []clio.Participant{{ID: it.ContactID, Type: clio.ParticipantContact}}
	}
	if out {
		c.Senders, c.Receivers = user, contact
	} else {
		c.Senders, c.Receivers = contact, user
	}
	return c
}

// timeEntryFor builds a call's TimeEntry: quantity in seconds, dated the
// call's day in loc (the user's time zone).
func timeEntryFor(it queue.Item, userID, commID int64, loc *time.Location) *clio.ActivityCreate {
	note := it.Note
	if note == "" {
		if it.Direction == "out" {
			note = "Phone call to " + orUnknown(it.Name)
		} else {
			note = "Phone call from " + orUnknown(it.Name)
		}
	}
	if loc == nil {
		loc = time.Local
	}
	a := &clio.ActivityCreate{
		Type:          clio.ActivityTimeEntry,
		Date:          it.StartedAt.In(loc).Format(time.DateOnly),
		Quantity:      it.DurationS,
		Note:          note,
		NonBillable:   !it.Billable,
		User:          &clio.IDRef{ID: userID},
		Communication: &clio.IDRef{ID: commID},
	}
	if it.MatterID != 0 {
		a.Matter = &clio.IDRef{ID: it.MatterID}
	}
	return a
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown caller"
	}
	return s
}

// classify maps Clio's typed errors onto the outbox's retry semantics.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var (
		perm *queue.PermanentError
		rl   *clio.RateLimitError
		ae   *clio.AuthError
	)
	if errors.As(err, &perm) {
		return err
	}
	if errors.As(err, &rl) {
		return &queue.RetryError{After: rl.RetryAfter, Err: err}
	}
	if errors.As(err, &ae) && ae.StatusCode == 401 {
		return fmt.Errorf("%w: %w", queue.ErrAuth, err)
	}
	if clio.IsPermanent(err) {
		return &queue.PermanentError{Err: plainError(err)}
	}
	return err
}

// plainError says in plain words why Clio refused, keeping Clio's own
// message (e.g. "This matter requires UTBMS codes") rather than our
// wrapping.
func plainError(err error) error {
	var (
		api *clio.APIError
		ae  *clio.AuthError
	)
	switch {
	case errors.As(err, &ae):
		return errors.New("Clio refused: your Clio user lacks the permission for this (ask your Clio administrator)")
	case errors.As(err, &api):
		msg := strings.TrimSpace(api.Message)
		low := strings.ToLower(msg)
		switch {
		case strings.Contains(low, "utbms"):
			return errors.New("This matter requires UTBMS codes")
		case api.StatusCode == 404:
			return errors.New("Clio no longer has the contact, matter or folder this was filed under")
		case msg != "":
			return errors.New(sentence(msg))
		}
		return fmt.Errorf("Clio refused it (error %d)", api.StatusCode)
	}
	return err
}

// sentence capitalizes the first letter of s.
func sentence(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// clock formats a duration as h:mm:ss or m:ss.
func clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}
