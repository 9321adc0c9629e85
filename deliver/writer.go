package deliver

import (
	"context"
	"errors"
	"sync"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// EventIDProperty names the external property that carries an outbox
// item's own event id on the Communication and the Document, so a retry
// (and a note) can find them (API-NOTES §8).
const EventIDProperty = "calldocket_event_id"

// faxFolderProperty tags the fax folder CallDocket made under a matter or
// contact, value "matter-ID" or "contact-ID", so it is found again.
const faxFolderProperty = "calldocket_fax_folder"

// Reasons an item is parked or retried.
var (
	// errNoContact: no contact while Exclusive Contact Association is on.
	errNoContact = errors.New("not logged: no matching contact (Exclusive Contact Association is on)")
	// errFaxNowhere: Clio files a document under a matter or a contact.
	errFaxNowhere = errors.New("fax not filed: choose a contact or matter for it")
	// errNoteEmpty: a note item without text or reference.
	errNoteEmpty = errors.New("note not logged: it has no text or no call to add it to")
	// ErrNoteTargetMissing is returned (retryable) for a note whose
	// communication is not in Clio yet: the item it refers to has not been
	// delivered.
	ErrNoteTargetMissing = errors.New("communication for the note not in Clio yet")
)

// Writer writes outbox items to Clio. It implements queue.Deliverer and is
// safe for concurrent use.
type Writer struct {
	c    *clio.Client
	opts func() settings.Settings

	mu   sync.Mutex
	user *clio.User // who_am_i, fetched once
	pace pacer
}

var _ queue.Deliverer = (*Writer)(nil)

// New returns a Writer for c. opts is read at each Deliver, so a change of
// Settings applies to the next item; nil means settings.Default().
func New(c *clio.Client, opts func() settings.Settings) *Writer {
	return &Writer{c: c, opts: opts}
}

func (w *Writer) settings() settings.Settings {
	if w.opts == nil {
		return settings.Default()
	}
	return w.opts()
}

// Deliver writes an item to Clio (see the package documentation), records
// each completed step through rec, and classifies a failure for the outbox:
// a *queue.PermanentError parks the item, a *queue.RetryError or any other
// error retries it, queue.ErrAuth pauses delivery, and queue.ErrUncertain
// says a write's outcome is unknown.
func (w *Writer) Deliver(ctx context.Context, it queue.Item, rec queue.Recorder) error {
	return classify(w.deliver(ctx, it, rec))
}

func (w *Writer) deliver(ctx context.Context, it queue.Item, rec queue.Recorder) error {
	if it.Kind == queue.KindNote {
		return w.deliverNote(ctx, it, rec)
	}
	opts := w.settings()
	userID := it.UserID
	if userID == 0 {
		u, err := w.whoAmI(ctx)
		if err != nil {
			return err
		}
		userID = u.ID
	}
	if !opts.MatterAssociation {
		it.MatterID = 0
	}

	if it.ContactID == 0 && opts.ContactCreation && it.Kind != queue.KindFax {
		id, err := w.ensureContact(ctx, it, rec)
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

	commID, err := w.ensureCommunication(ctx, it, userID, rec)
	if err != nil {
		return err
	}
	it.CommunicationID = commID

	switch it.Kind {
	case queue.KindCall:
		if it.DurationS < int64(opts.MinDurationS) || it.ActivityID != 0 {
			return nil
		}
		return w.ensureTimeEntry(ctx, it, userID, opts.Location(), rec)
	case queue.KindFax:
		return w.ensureFaxDocument(ctx, it, opts.FaxFolder(), rec)
	}
	return nil
}

// whoAmI returns the signed-in Clio user, asking Clio once.
func (w *Writer) whoAmI(ctx context.Context) (*clio.User, error) {
	w.mu.Lock()
	u := w.user
	w.mu.Unlock()
	if u != nil {
		return u, nil
	}
	err := w.call(ctx, false, "find the signed-in Clio user", func(ctx context.Context) (*clio.Response, error) {
		var (
			resp *clio.Response
			err  error
		)
		u, resp, err = w.c.Users.WhoAmI(ctx)
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.user = u
	w.mu.Unlock()
	return u, nil
}
