package ui

// Old names that package app still uses until it is moved onto the call
// ledger; delete them (and TrayState.Pending) once nothing refers to them.

// DecisionSkip is what Esc used to mean.
//
// Deprecated: Esc means DecisionLater; nothing on the pop throws a call away.
const DecisionSkip = DecisionLater

// StateUnconfirmed is the review list's old name for a call nobody
// decided in time.
//
// Deprecated: use StateLater.
const StateUnconfirmed = StateLater
