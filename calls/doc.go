// Package calls owns the life of every call, missed call, text message and
// fax, from its first event to Clio.
//
// The Ledger is a SQLite file with the outbox's durability (WAL,
// synchronous=FULL): every event is one transaction, committed before
// anything is shown, so nothing about a call lives only in memory. The
// Core folds telephony events into calls (tapi.Tracker), records them in
// the ledger, asks the directory who is calling, turns the attorney's
// decision into an outbox item, and follows the item to Clio:
//
//	ringing → answered → awaiting_decision → queued → delivered
//	ringing → missed → queued → delivered
//	ringing → rejected (declined at the phone) → queued → delivered
//	awaiting_decision → later (Review) → queued
//	queued → failed (Clio refused) → queued (retry)
//	any undecided state → discarded → (undo) the state it had
//
// The pop, the wrap-up card, the review list and the tray's counts are
// views of the ledger. The package never imports Fyne and tests with
// CGO_ENABLED=0.
package calls
