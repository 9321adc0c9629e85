// Package directory is CallDocket's local mirror of the user's Clio
// contacts and matters. It answers "who is calling" without the network:
// the hot path (ring → screen pop) is one Lookup against a SQLite file kept
// fresh by incremental Sync from Clio.
//
// Phone numbers are normalised to E.164 with libphonenumber
// (github.com/nyaruka/phonenumbers) and a default region, and indexed three
// ways: by E.164, by national significant number, and by reversed digits so
// that suffix matches are an indexed range scan. Lookup tries them in that
// order and reports the strength of the match (exact, national, weak); it
// never matches the firm's own numbers or internal extensions. Several
// contacts sharing a number are all returned, clients with open matters
// first, each with the client status Clio users know (Active, Pending, Past,
// Not a client) and their open and pending matters.
//
// The database is a rebuildable cache: WAL, synchronous=NORMAL, mode 0600,
// schema embedded from schema.sql and versioned with PRAGMA user_version.
package directory
