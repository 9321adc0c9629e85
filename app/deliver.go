package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// eventIDProperty names the external property that carries an outbox item's
// own event id on the Communication, so a retry can find it (API-NOTES §8).
const eventIDProperty = "calldocket_event_id"

// clioDeliverer writes outbox items to Clio. It implements queue.Deliverer.
type clioDeliverer struct {
	c *clio.Client

	mu   sync.Mutex
	user *clio.User // who_am_i, fetched once
}

func (d *clioDeliverer) whoAmI(ctx context.Context) (*clio.User, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.user != nil {
		return d.user, nil
	}
	u, _, err := d.c.Users.WhoAmI(ctx)
	if err != nil {
		return nil, err
	}
	d.user = u
	return u, nil
}

// Deliver writes a call as a PhoneCommunication plus a TimeEntry (a missed
// call as a Communication only). Each completed step is recorded, and after an
// attempt whose outcome is unknown the records it may have created are looked
// up by event id first, so nothing is posted twice.
func (d *clioDeliverer) Deliver(ctx context.Context, it queue.Item, rec queue.Recorder) error {
	err := d.deliver(ctx, it, rec)
	return classify(err)
}

func (d *clioDeliverer) deliver(ctx context.Context, it queue.Item, rec queue.Recorder) error {
	userID := it.UserID
	if userID == 0 {
		u, err := d.whoAmI(ctx)
		if err != nil {
			return fmt.Errorf("find the signed-in Clio user: %w", err)
		}
		userID = u.ID
	}
	retry := it.Attempts > 1 // an earlier attempt may have written without recording it

	commID := it.CommunicationID
	if commID == 0 && retry {
		found, _, err := d.c.Communications.ListByExternalProperty(ctx, eventIDProperty, it.EventID)
		if err != nil {
			return fmt.Errorf("look for an earlier communication: %w", err)
		}
		if len(found) > 0 {
			commID = found[0].ID
		}
	}
	if commID == 0 {
		c, _, err := d.c.Communications.Create(ctx, communicationFor(it, userID))
		if err != nil {
			return fmt.Errorf("create communication: %w", err)
		}
		commID = c.ID
	}
	if commID != it.CommunicationID {
		if err := rec.Record(ctx, commID, 0); err != nil {
			return err
		}
	}
	if !wantsTimeEntry(it) || it.ActivityID != 0 {
		return nil
	}
	var actID int64
	if retry {
		acts, _, err := d.c.Activities.ListByCommunication(ctx, commID)
		if err != nil {
			return fmt.Errorf("look for an earlier time entry: %w", err)
		}
		if len(acts) > 0 {
			actID = acts[0].ID
		}
	}
	if actID == 0 {
		a, _, err := d.c.Activities.Create(ctx, timeEntryFor(it, userID, commID))
		if err != nil {
			return fmt.Errorf("create time entry: %w", err)
		}
		actID = a.ID
	}
	return rec.Record(ctx, commID, actID)
}

func wantsTimeEntry(it queue.Item) bool { return it.Kind == queue.KindCall }

func communicationFor(it queue.Item, userID int64) *clio.CommunicationCreate {
	who := it.Name
	if who == "" {
		who = "unknown caller"
	}
	number := it.Number
	if number == "" {
		number = "number withheld"
	}
	var subject string
	if it.Direction == "out" {
		subject = fmt.Sprintf("Outbound call to %s (%s)", who, number)
	} else {
		subject = fmt.Sprintf("Inbound call from %s (%s)", who, number)
	}
	if it.Kind != queue.KindCall {
		subject = "Missed call from " + who + " (" + number + ")"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Duration: %s\n", clock(time.Duration(it.DurationS)*time.Second))
	if it.Direction == "out" {
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
	if it.Note != "" {
		fmt.Fprintf(&b, "Note: %s\n", it.Note)
	}
	b.WriteString("Logged by CallDocket")

	c := &clio.CommunicationCreate{
		Type:               clio.CommunicationPhone,
		Subject:            subject,
		Body:               b.String(),
		ReceivedAt:         it.StartedAt,
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
	if it.Direction == "out" {
		c.Senders, c.Receivers = user, contact
	} else {
		c.Senders, c.Receivers = contact, user
	}
	return c
}

func timeEntryFor(it queue.Item, userID, commID int64) *clio.ActivityCreate {
	note := it.Note
	if note == "" {
		if it.Direction == "out" {
			note = "Phone call to " + orUnknown(it.Name)
		} else {
			note = "Phone call from " + orUnknown(it.Name)
		}
	}
	a := &clio.ActivityCreate{
		Type:          clio.ActivityTimeEntry,
		Date:          it.StartedAt.In(time.Local).Format(time.DateOnly),
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
	var rl *clio.RateLimitError
	if errors.As(err, &rl) {
		return &queue.RetryError{After: rl.RetryAfter, Err: err}
	}
	var ae *clio.AuthError
	if errors.As(err, &ae) && ae.StatusCode == 401 {
		return fmt.Errorf("%w: %v", queue.ErrAuth, err)
	}
	if clio.IsPermanent(err) {
		return &queue.PermanentError{Err: plainError(err)}
	}
	return err
}

// plainError keeps Clio's own message for the user, e.g. "This matter
// requires UTBMS codes", rather than our wrapping.
func plainError(err error) error {
	var api *clio.APIError
	if errors.As(err, &api) && api.Message != "" {
		return errors.New(api.Message)
	}
	return err
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
