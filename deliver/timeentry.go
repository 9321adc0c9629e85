package deliver

import (
	"context"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// ensureTimeEntry adopts or creates the call's time entry and records it.
func (w *Writer) ensureTimeEntry(ctx context.Context, it queue.Item, userID int64, loc *time.Location, rec queue.Recorder) error {
	var actID int64
	if it.Uncertain {
		var acts []clio.Activity
		err := w.call(ctx, false, "look for an earlier time entry", func(ctx context.Context) (*clio.Response, error) {
			var (
				resp *clio.Response
				err  error
			)
			acts, resp, err = w.c.Activities.ListByCommunication(ctx, it.CommunicationID)
			return resp, err
		})
		if err != nil {
			return err
		}
		actID = ownTimeEntry(acts, it.CommunicationID)
	}
	if actID == 0 {
		err := w.call(ctx, true, "create time entry", func(ctx context.Context) (*clio.Response, error) {
			a, resp, err := w.c.Activities.Create(ctx, timeEntryFor(it, userID, it.CommunicationID, loc))
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
