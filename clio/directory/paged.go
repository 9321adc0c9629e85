package directory

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// PagedSource reads the user's Clio records one page at a time, so that a
// sync can checkpoint between pages and resume after a restart. cursor is
// "" for the first page; next is the cursor of the following page, or ""
// after the last. Cursors are opaque to the directory (for Clio, the
// meta.paging.next link) and must stay valid across restarts. since limits
// a list to records updated at or after it; the zero time means all.
// NewClioSource adapts *clio.Client.
type PagedSource interface {
	ContactsPage(ctx context.Context, since time.Time, cursor string) (page []clio.Contact, next string, err error)
	MattersPage(ctx context.Context, since time.Time, cursor string) (page []clio.Matter, next string, err error)
	// RelationshipsPage lists which contacts are related parties of which
	// matters. A source that cannot returns an error wrapping
	// ErrNotSupported, and the directory then skips relationships.
	RelationshipsPage(ctx context.Context, since time.Time, cursor string) (page []Relationship, next string, err error)
}

// IDSource is implemented by a PagedSource that can list record ids alone
// (Clio: fields=id), which makes the daily reconcile cheap. Without it the
// reconcile reads whole records.
type IDSource interface {
	ContactIDsPage(ctx context.Context, cursor string) (ids []int64, next string, err error)
	MatterIDsPage(ctx context.Context, cursor string) (ids []int64, next string, err error)
}

// ErrNotSupported is wrapped by a PagedSource for a list it cannot read.
var ErrNotSupported = errors.New("not supported by this source")

// Relationship says a contact is a related party (opposing counsel,
// spouse, expert…) of a matter, with Clio's description of the role.
type Relationship struct {
	ID          int64
	ContactID   int64
	MatterID    int64
	Description string
	UpdatedAt   time.Time
}

// Sync phases reported in Progress.
const (
	PhaseContacts      = "contacts"
	PhaseMatters       = "matters"
	PhaseRelationships = "relationships"
)

// Progress is reported after every stored page, e.g. for the tray's
// "Syncing contacts 4,200 / ~12,000".
type Progress struct {
	Phase    string // PhaseContacts, PhaseMatters or PhaseRelationships
	Done     int    // records of this phase stored so far in this run, across restarts
	Estimate int    // records the last full sync saw in this phase; 0 when unknown
	Full     bool   // a full read (first sync, --full or the daily reconcile) rather than changes only
}

// SyncOptions configure SyncWith.
type SyncOptions struct {
	// Full reads everything and deletes what the source no longer has;
	// otherwise only changes since the last complete sync are read (a
	// first sync is always full).
	Full bool
	// Reconcile reads only ids when the source is an IDSource, deleting
	// the contacts and matters the source no longer returns (deleted or
	// hidden from the user), and re-reads relationships. Without an
	// IDSource it is a full sync.
	Reconcile bool
	// Progress, if set, is called after each stored page and at the start
	// of each phase, from the syncing goroutine.
	Progress func(Progress)
}

// String renders progress for the tray: "Syncing contacts 4,200 / ~12,000",
// or "Syncing contacts 4,200" without an estimate.
func (p Progress) String() string {
	if p.Estimate > 0 {
		return fmt.Sprintf("Syncing %s %s / ~%s", p.Phase, thousands(p.Done), thousands(max(p.Estimate, p.Done)))
	}
	return fmt.Sprintf("Syncing %s %s", p.Phase, thousands(p.Done))
}

// thousands writes n with comma separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
