// Package directory is CallDocket's local mirror of the user's Clio
// contacts and matters. It answers "who is calling" without the network:
// the hot path (ring → screen pop) is one Lookup against a SQLite file kept
// fresh from Clio.
//
// Phone numbers are normalised to E.164 by package phone (libphonenumber)
// with a default region, and indexed three ways (phone.Keys): by E.164, by national significant number, and by reversed digits so
// that suffix matches are an indexed range scan. Lookup tries them in that
// order and reports the strength of the match (exact, national, weak); it
// never matches the firm's own numbers or internal extensions. Several
// contacts sharing a number are all returned, ranked with a reason: the
// contact last logged for the number (RecordLogged), then clients with
// open matters, then the most recently updated, each with the client
// status Clio users know (Active, Pending, Past, Not a client) and ranked
// matter suggestions, as client or related party. Search finds contacts by
// name through a trigram full-text index.
//
// SyncWith reads a PagedSource (NewClioSource adapts *clio.Client) page by
// page, committing each page with a checkpoint of its cursor, so that a
// sync cut short resumes where it stopped; it reports Progress, and waits
// out rate-limit answers instead of failing. A Syncer runs an incremental
// sync every few minutes and a daily reconcile that deletes what Clio no
// longer returns. Sync with the older push-style Source still works.
//
// The database is a rebuildable cache (WAL, synchronous=NORMAL, mode 0600,
// schema embedded from schema*.sql and versioned with PRAGMA user_version),
// except for the user's logging history, which syncs never delete.
package directory
