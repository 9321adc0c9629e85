package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/deliver"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/ui"
)

// The review list holds calls not confirmed in time (negative ids, kept in
// memory by the service) and everything in the outbox (positive ids).

// toReview moves a call the attorney did not confirm in time to the review list.
func (s *service) toReview(callID string) {
	s.mu.Lock()
	tc, ok := s.calls[callID]
	if ok && !tc.decided && !tc.inReview {
		s.nextReview--
		tc.inReview, tc.reviewID = true, s.nextReview
	}
	s.mu.Unlock()
	s.refresh()
}

func (s *service) reviewItems(ctx context.Context) ([]ui.ReviewItem, error) {
	items, err := s.outbox.List(ctx, queue.ListOptions{Limit: 500})
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	var rows []ui.ReviewItem
	s.mu.Lock()
	for _, tc := range s.calls {
		if !tc.inReview || tc.decided {
			continue
		}
		cv := s.callView(tc)
		row := ui.ReviewItem{
			ID: tc.reviewID, Kind: "call", State: ui.StateUnconfirmed, Number: cv.Number,
			When: tc.call.RingAt, Duration: tc.call.Duration(), Billable: s.cfg.DefaultBillable,
			Callers: cv.Callers, MatterID: cv.SuggestedMatterID,
		}
		if tc.call.Missed() {
			row.Kind = "missed"
		}
		if len(cv.Callers) > 0 {
			row.Who, row.ContactID = cv.Callers[0].Name, cv.Callers[0].ContactID
			for _, m := range cv.Callers[0].Matters {
				if m.ID == row.MatterID {
					row.Matter = m.DisplayNumber + " · " + m.Description
				}
			}
		}
		rows = append(rows, row)
	}
	region := s.cfg.DefaultRegion
	s.mu.Unlock()
	for _, it := range items {
		rows = append(rows, ui.ReviewItem{
			ID: it.ID, Kind: string(it.Kind), State: string(it.State), Who: it.Name,
			Number: phone.Format(it.Number, region), When: it.StartedAt,
			Duration: time.Duration(it.DurationS) * time.Second, Billable: it.Billable,
			Error: it.LastError, ContactID: it.ContactID, MatterID: it.MatterID, Note: it.Note,
		})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].When.After(rows[j].When) })
	return rows, nil
}

// reviewConfirm confirms an unconfirmed call, or edits a waiting/failed
// outbox item and puts it back in line.
func (s *service) reviewConfirm(ctx context.Context, id int64, e ui.ReviewEdit) error {
	if id < 0 {
		callID := s.callForReview(id)
		if callID == "" {
			return errors.New("that call is no longer waiting for review")
		}
		d := ui.DecisionNonBillable
		if e.Billable {
			d = ui.DecisionBillable
		}
		return s.confirm(ctx, ui.WrapUp{CallID: callID, Decision: d, ContactID: e.ContactID, MatterID: e.MatterID, Note: e.Note})
	}
	err := s.outbox.Update(ctx, id, func(it *queue.Item) {
		it.ContactID, it.MatterID, it.Billable, it.Note = e.ContactID, e.MatterID, e.Billable, e.Note
	})
	if err != nil {
		return fmt.Errorf("edit item %d: %w", id, err)
	}
	if it, err := s.outbox.Get(ctx, id); err == nil && it.State == queue.StateFailed {
		if err := s.outbox.Requeue(ctx, id); err != nil {
			return fmt.Errorf("retry item %d: %w", id, err)
		}
	}
	s.flusher.Kick()
	return nil
}

func (s *service) callForReview(id int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for callID, tc := range s.calls {
		if tc.inReview && tc.reviewID == id && !tc.decided {
			return callID
		}
	}
	return ""
}

func (s *service) retry(ctx context.Context, id int64) error {
	if err := s.outbox.Requeue(ctx, id); err != nil {
		return fmt.Errorf("retry item %d: %w", id, err)
	}
	s.flusher.Kick()
	return nil
}

func (s *service) discard(ctx context.Context, id int64) error {
	if id < 0 {
		if callID := s.callForReview(id); callID != "" {
			return s.confirm(ctx, ui.WrapUp{CallID: callID, Decision: ui.DecisionSkip})
		}
		return nil
	}
	if err := s.outbox.Discard(ctx, id); err != nil {
		return fmt.Errorf("discard item %d: %w", id, err)
	}
	s.log.Info("outbox item discarded from the review list", "item_id", id)
	return nil
}

// markNonBillable is the review list's bulk action.
func (s *service) markNonBillable(ctx context.Context, ids []int64) error {
	var errs []error
	for _, id := range ids {
		if id < 0 {
			callID := s.callForReview(id)
			if callID == "" {
				continue
			}
			s.mu.Lock()
			tc := s.calls[callID]
			cv := s.callView(tc)
			s.mu.Unlock()
			w := ui.WrapUp{CallID: callID, Decision: ui.DecisionNonBillable, MatterID: cv.SuggestedMatterID}
			if len(cv.Callers) > 0 {
				w.ContactID = cv.Callers[0].ContactID
			}
			errs = append(errs, s.confirm(ctx, w))
			continue
		}
		errs = append(errs, s.outbox.Update(ctx, id, func(it *queue.Item) { it.Billable = false }))
	}
	s.flusher.Kick()
	return errors.Join(errs...)
}

// notAClient records the attorney's answer for an unknown caller.
func (s *service) notAClient(callID string) {
	s.mu.Lock()
	if tc, ok := s.calls[callID]; ok {
		tc.notClient = true
	}
	s.mu.Unlock()
}

// pickContact records the contact chosen in the pop's chooser or search, so
// the wrap-up and the review list show it first.
func (s *service) pickContact(callID string, c ui.Caller) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tc, ok := s.calls[callID]
	if !ok {
		return
	}
	m := callerToMatch(c)
	rest := []directoryMatch{m}
	for _, x := range tc.result.Matches {
		if x.ContactID != c.ContactID {
			rest = append(rest, x)
		}
	}
	tc.result.Matches = rest
}

// createContact creates a Person in Clio from the pop's "Create contact"
// form and shows it on the call.
func (s *service) createContact(ctx context.Context, callID, name, number string) {
	first, last := deliver.SplitName(name)
	cc := &clio.ContactCreate{Type: clio.ContactPerson, FirstName: first, LastName: last}
	if number != "" {
		cc.PhoneNumbers = []clio.PhoneNumberCreate{{Name: clio.PhoneWork, Number: number, Default: true}}
	}
	c, _, err := s.be.Client.Contacts.Create(ctx, cc)
	if err != nil {
		s.log.Warn("create contact", "call_id", callID, "err", err)
		s.notify("Could not create the contact in Clio", deliver.PlainError(err).Error())
		return
	}
	s.mu.Lock()
	tc, ok := s.calls[callID]
	var cv ui.CallView
	if ok {
		tc.result.Matches = append([]directoryMatch{{ContactID: c.ID, Name: c.Name, Strength: "exact",
			Reason: "created from this call", ClientStatus: "Not a client"}}, tc.result.Matches...)
		cv = s.callView(tc)
	}
	v := s.view
	s.mu.Unlock()
	if ok && v != nil {
		v.ShowCall(cv)
	}
	go func() {
		if err := s.syncDirectory(ctx, false); err != nil && ctx.Err() == nil {
			s.log.Warn("directory sync after contact creation", "err", err)
		}
	}()
}

func (s *service) notify(title, body string) {
	s.mu.Lock()
	v := s.view
	s.mu.Unlock()
	if v != nil {
		v.Notify(title, body)
	}
}
