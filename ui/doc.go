// Package ui builds CallDocket's Fyne views: the screen pop that turns into
// the wrap-up card when a call ends, the tray menu, the review list and the
// settings panel.
//
// ui never constructs clients and never imports fyne.io/fyne/v2/app: it is
// handed plain data values (CallView, TrayState, ReviewItem, SettingsInfo,
// settings.Settings) and callbacks, so it builds and tests with
// CGO_ENABLED=0 through fyne.io/fyne/v2/test. It knows nothing of the
// call ledger, the outbox or Clio: ReviewItem.State carries a ledger state
// by name, and the app turns records into views and callbacks into
// actions. Views read no clock of their own except through an
// injected Now (see WithNow), so tests are deterministic.
//
// All methods that touch widgets must run on the Fyne goroutine: callers on
// other goroutines wrap them in fyne.Do.
package ui
