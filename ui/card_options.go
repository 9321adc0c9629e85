package ui

import "time"

// cardConfig is what CardOptions set.
type cardConfig struct {
	Defaults
	contacts    Searcher
	matters     MatterSearcher
	onCreate    func(callID, name, number string)
	onNotClient func(callID string)
	onPick      func(callID string, c Caller)
	onAddNote   func(callID, text string)
	onCallBack  func(callID string)
	onDismiss   func(callID string)
}

// Defaults are the firm's billing settings a wrap-up card previews and
// preselects. The app passes them to Stack.SetDefaults whenever the
// settings change; they apply at once to every card not yet decided.
type Defaults struct {
	Increment       time.Duration // the billing increment, e.g. 6 minutes (0.1 h)
	MinDuration     time.Duration // shorter calls get no time entry
	DefaultBillable bool          // Enter means Billable instead of Non-billable
}

// choice is what one matter option stands for.
type choice struct{ matterID, contactID int64 }

// CardOption configures a Card (and every card of a Stack).
type CardOption func(*Card)

// WithNow sets the clock used for the live "On call 02:15" line
// (default time.Now). Tests pass a fixed clock.
func WithNow(now func() time.Time) CardOption {
	return func(c *Card) {
		if now != nil {
			c.now = now
		}
	}
}

// WithDefaults sets the billing defaults a new card starts from; see
// Stack.SetDefaults to change them later.
func WithDefaults(d Defaults) CardOption {
	return func(c *Card) { c.cfg.Defaults = d }
}

// WithIncrement sets the firm's billing increment for the wrap-up preview
// (default DefaultIncrement, 0.1 h).
func WithIncrement(d time.Duration) CardOption {
	return func(c *Card) { c.cfg.Increment = d }
}

// WithMinDuration sets the shortest talk time that gets a time entry; the
// preview says when a call is shorter.
func WithMinDuration(d time.Duration) CardOption {
	return func(c *Card) { c.cfg.MinDuration = d }
}

// WithDefaultBillable makes Enter mean Billable instead of Non-billable.
func WithDefaultBillable(billable bool) CardOption {
	return func(c *Card) { c.cfg.DefaultBillable = billable }
}

// WithSearcher enables "Find in Clio…" for unknown callers.
func WithSearcher(s Searcher) CardOption {
	return func(c *Card) { c.cfg.contacts = s }
}

// WithMatterSearcher extends the matter type-ahead to all matters, after
// the caller's own.
func WithMatterSearcher(s MatterSearcher) CardOption {
	return func(c *Card) { c.cfg.matters = s }
}

// OnCreateContact enables "Create contact" for unknown callers: f gets the
// call ID and the name and number the attorney confirmed. The app creates
// the contact and later calls Update with it among the callers.
func OnCreateContact(f func(callID, name, number string)) CardOption {
	return func(c *Card) { c.cfg.onCreate = f }
}

// OnNotAClient is told when an unknown caller is marked "Not a client".
func OnNotAClient(f func(callID string)) CardOption {
	return func(c *Card) { c.cfg.onNotClient = f }
}

// OnPickContact is told when the attorney picks a contact with "Find in
// Clio…", so the app can remember the number for next time.
func OnPickContact(f func(callID string, c Caller)) CardOption {
	return func(c *Card) { c.cfg.onPick = f }
}

// OnAddNote enables "Add note" on the missed-call card: f gets the call ID
// and the note's text, once per saved note.
func OnAddNote(f func(callID, text string)) CardOption {
	return func(c *Card) { c.cfg.onAddNote = f }
}

// OnCallBack enables "Call back" on the missed-call card of a call whose
// CallView.CanCallBack is set.
func OnCallBack(f func(callID string)) CardOption {
	return func(c *Card) { c.cfg.onCallBack = f }
}

// OnDismiss is told when the attorney dismisses a missed-call card (its
// button or Esc). The missed call stays logged: dismissing only takes the
// card off the pop.
func OnDismiss(f func(callID string)) CardOption {
	return func(c *Card) { c.cfg.onDismiss = f }
}
