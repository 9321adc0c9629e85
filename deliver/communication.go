package deliver

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// ensureCommunication adopts or creates the item's communication and
// records it.
func (w *Writer) ensureCommunication(ctx context.Context, it queue.Item, userID int64, rec queue.Recorder) (int64, error) {
	if it.CommunicationID != 0 {
		return it.CommunicationID, nil
	}
	var commID int64
	if it.Uncertain {
		var found []clio.Communication
		err := w.call(ctx, false, "look for an earlier communication", func(ctx context.Context) (*clio.Response, error) {
			var (
				resp *clio.Response
				err  error
			)
			found, resp, err = w.c.Communications.ListByExternalProperty(ctx, EventIDProperty, it.EventID)
			return resp, err
		})
		if err != nil {
			return 0, err
		}
		if c, ok := ownCommunication(found, it.EventID); ok {
			commID = c.ID
		}
	}
	if commID == 0 {
		err := w.call(ctx, true, "create communication", func(ctx context.Context) (*clio.Response, error) {
			c, resp, err := w.c.Communications.Create(ctx, communicationFor(it, userID))
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
	case it.Kind == queue.KindRejected:
		subject = fmt.Sprintf("Declined call from %s (%s)", who, number)
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
		fmt.Fprintf(&b, "Duration: %s\n", Clock(time.Duration(it.DurationS)*time.Second))
	}
	if it.Kind == queue.KindRejected {
		b.WriteString("The call was declined at the phone; it was not answered.\n")
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
		ExternalProperties: []clio.ExternalProperty{{Name: EventIDProperty, Value: it.EventID}},
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

func orUnknown(s string) string {
	if s == "" {
		return "unknown caller"
	}
	return s
}

// Clock formats a duration as h:mm:ss or m:ss.
func Clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}
