package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/directory"
	"github.com/calldocket/calldocket/deliver"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/ui"
)

// The review list and the pop are views of the call ledger; this file
// turns ledger records into what they show and their actions back into
// the core's.

// reviewStates are the records the review list shows.
var reviewStates = []calls.State{calls.StateAwaiting, calls.StateLater, calls.StateMissed, calls.StateRejected, calls.StateFailed,
	calls.StateQueued, calls.StateDelivered, calls.StateDiscarded}

// reviewFor is how far back delivered and discarded records stay listed.
const reviewFor = 7 * 24 * time.Hour

func (s *service) reviewItems(ctx context.Context) ([]ui.ReviewItem, error) {
	rs, err := s.ledger.List(ctx, calls.ListOptions{States: reviewStates, Limit: 500})
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	cfg := s.config()
	now := time.Now()
	rows := make([]ui.ReviewItem, 0, len(rs))
	for _, r := range rs {
		if (r.State == calls.StateDelivered || r.State == calls.StateDiscarded) && now.Sub(r.UpdatedAt) > reviewFor {
			continue
		}
		row := ui.ReviewItem{
			ID: r.ID, Kind: string(r.Kind), State: string(r.State), Who: r.DisplayName(),
			Number: formatNumber(r.RemoteNumber(), cfg.DefaultRegion), When: r.StartedAt, Duration: r.Duration(),
			DurationUnknown: !r.DurationKnown, Billable: r.Billable, Reason: r.Reason,
			ContactID: r.ContactID, MatterID: r.MatterID, Note: r.Note,
		}
		if r.State == calls.StateFailed {
			row.Error = r.Reason
		}
		if r.State.Undecided() || r.State.Unanswered() {
			row.Billable = cfg.DefaultBillable && r.Kind == calls.KindCall
			res := s.core.Result(ctx, r)
			for _, m := range res.Matches {
				row.Callers = append(row.Callers, matchToCaller(m))
			}
			if row.ContactID == 0 && len(row.Callers) > 0 {
				if m, ok := calls.ConfidentMatch(res); ok {
					row.ContactID, row.Who = m.ContactID, m.Name
					if row.MatterID == 0 && len(m.Matters) > 0 {
						row.MatterID = m.Matters[0].ID
					}
				}
			}
			for _, c := range row.Callers {
				for _, m := range c.Matters {
					if m.ID == row.MatterID {
						row.Matter = m.DisplayNumber + " · " + m.Description
					}
				}
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// reviewConfirm decides a record from the review list (or edits a refused
// one and puts it back in line).
func (s *service) reviewConfirm(ctx context.Context, id int64, e ui.ReviewEdit) error {
	d := calls.Decision{Billable: e.Billable, ContactID: e.ContactID, MatterID: e.MatterID, Note: e.Note}
	if e.Duration > 0 {
		d.Duration = &e.Duration
	}
	_, err := s.core.Decide(ctx, id, d)
	return err
}

func (s *service) retry(ctx context.Context, id int64) error {
	_, err := s.core.Retry(ctx, id)
	return err
}

func (s *service) discard(ctx context.Context, id int64) error {
	_, err := s.core.Discard(ctx, id, "discarded in Review")
	return err
}

func (s *service) undo(ctx context.Context, id int64) error {
	_, err := s.core.Undo(ctx, id)
	return err
}

// markNonBillable is the review list's bulk action: each record is logged
// non-billable with the contact and matter it has.
func (s *service) markNonBillable(ctx context.Context, ids []int64) error {
	var errs []error
	for _, id := range ids {
		_, err := s.core.Decide(ctx, id, calls.Decision{KeepMatter: true})
		if errors.Is(err, calls.ErrDurationUnknown) {
			err = fmt.Errorf("call %d: %w", id, err)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// recordOf finds the ledger record of a call shown in the pop.
func (s *service) recordOf(ctx context.Context, callID string) (calls.Record, error) {
	return s.ledger.ByCallID(ctx, callID)
}

// confirm turns the attorney's answer on the pop into a decision, or moves
// the call to Review (Esc).
func (s *service) confirm(ctx context.Context, w ui.WrapUp) error {
	r, err := s.recordOf(ctx, w.CallID)
	if err != nil {
		return err
	}
	if w.Decision == ui.DecisionLater {
		_, err := s.core.Later(ctx, r.ID, "Esc on the pop")
		return err
	}
	_, err = s.core.Decide(ctx, r.ID, calls.Decision{Billable: w.Decision == ui.DecisionBillable,
		ContactID: w.ContactID, MatterID: w.MatterID, Note: w.Note, NotAClient: w.NotAClient})
	return err
}

// notAClient records the attorney's answer for an unknown caller.
func (s *service) notAClient(ctx context.Context, callID string) {
	if r, err := s.recordOf(ctx, callID); err == nil {
		if _, err := s.core.SetContact(ctx, r.ID, 0, ""); err != nil {
			s.log.Warn("mark not a client", "call_id", callID, "err", err)
		}
	}
}

// pickContact records the contact chosen in the pop's chooser or search.
func (s *service) pickContact(ctx context.Context, callID string, c ui.Caller) {
	if r, err := s.recordOf(ctx, callID); err == nil {
		if _, err := s.core.SetContact(ctx, r.ID, c.ContactID, c.Name); err != nil {
			s.log.Warn("choose contact", "call_id", callID, "err", err)
		}
	}
}

// addNote adds the attorney's note to a logged missed call: the same
// Communication in Clio is updated.
func (s *service) addNote(ctx context.Context, callID, text string) error {
	r, err := s.recordOf(ctx, callID)
	if err != nil {
		return err
	}
	_, err = s.core.AddNote(ctx, r.ID, text)
	return err
}

// createContact creates a Person in Clio from the pop's "Create contact"
// form and files the call under it.
func (s *service) createContact(ctx context.Context, callID, name, number string) {
	if err := s.be.Ready(); err != nil {
		s.notify("Could not create the contact in Clio", err.Error())
		return
	}
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
	r, err := s.recordOf(ctx, callID)
	if err == nil {
		r, err = s.core.SetContact(ctx, r.ID, c.ID, c.Name)
	}
	if err == nil {
		res := s.core.Result(ctx, r)
		res.Matches = append([]directory.Match{{ContactID: c.ID, Name: c.Name, Strength: directory.StrengthExact,
			Reason: "created from this call", ClientStatus: "Not a client"}}, res.Matches...)
		if v := s.currentView(); v != nil {
			v.Update(calls.Update{Record: r, Result: res, Pop: s.core.ShouldPop(r)})
		}
	}
	go func() {
		if err := s.syncDirectory(ctx, false); err != nil && ctx.Err() == nil {
			s.log.Warn("directory sync after contact creation", "err", err)
		}
	}()
}

// callView turns a ledger record and its lookup into what the pop shows.
func callView(u calls.Update, sandbox bool, region string) ui.CallView {
	r := u.Record
	cv := ui.CallView{
		CallID:       r.CallID,
		Direction:    r.Direction,
		Number:       u.Result.Display,
		RingAt:       r.StartedAt,
		AnsweredAt:   r.AnsweredAt,
		EndedAt:      r.EndedAt,
		Sandbox:      sandbox,
		CallerIDName: r.CallerName,
		CanCallBack:  r.Kind.Unanswered() && r.RemoteNumber() != "",
		Declined:     r.Kind == calls.KindRejected,
	}
	if cv.Number == "" {
		cv.Number = formatNumber(r.RemoteNumber(), region)
	}
	for _, m := range u.Result.Matches {
		cv.Callers = append(cv.Callers, matchToCaller(m))
	}
	if len(cv.Callers) > 0 && len(cv.Callers[0].Matters) > 0 {
		cv.SuggestedMatterID = cv.Callers[0].Matters[0].ID
	}
	if r.MatterID != 0 {
		cv.SuggestedMatterID = r.MatterID
	}
	if r.Kind.Unanswered() {
		what := "a missed call"
		if r.Kind == calls.KindRejected {
			what = "a declined call"
		}
		switch r.State {
		case calls.StateMissed, calls.StateRejected:
			cv.Logged = "Not logged (missed-call logging is off) — it is in Review"
		case calls.StateDelivered:
			cv.Logged = "Logged to Clio as " + what
		default:
			cv.Logged = "Logged as " + what + "; it reaches Clio as soon as Clio answers"
		}
	}
	return cv
}

// directoryMatch is one matched contact, as the directory returns it.
type directoryMatch = directory.Match

func matchToCaller(m directoryMatch) ui.Caller {
	c := ui.Caller{ContactID: m.ContactID, Name: m.Name, Company: m.Company,
		ClientStatus: m.ClientStatus, Strength: m.Strength, Reason: m.Reason}
	for _, mt := range m.Matters {
		c.Matters = append(c.Matters, ui.Matter{ID: mt.ID, DisplayNumber: mt.DisplayNumber,
			Description: mt.Description, Status: mt.Status, ResponsibleAttorney: mt.ResponsibleAttorney,
			PracticeArea: mt.PracticeArea, Reason: mt.Reason})
	}
	return c
}

// searchContacts answers "Find in Clio…" from the local directory.
func (s *service) searchContacts(ctx context.Context, q string, limit int) ([]ui.Caller, error) {
	ms, err := s.dir.Search(ctx, q, limit)
	if err != nil {
		return nil, err
	}
	out := make([]ui.Caller, 0, len(ms))
	for _, m := range ms {
		out = append(out, matchToCaller(m))
	}
	return out, nil
}

func formatNumber(n, region string) string { return phone.Format(n, region) }
