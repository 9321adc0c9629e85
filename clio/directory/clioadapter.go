package directory

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// ClioSource adapts *clio.Client to PagedSource. Every request it makes
// carries clio.WithLowPriority, so a sync waits for the rate budget rather
// than spend the requests the outbox needs.
//
// The client exports whole-list paging (ListAll) but no way to fetch a
// saved meta.paging.next link, so ClioSource keeps one live listing per
// kind and its cursors are "after:<last id>": the next page of a live
// listing costs one request, while resuming in a new process (or after a
// listing failed) reads again from the start, skipping ids up to the
// cursor. It is safe for concurrent use; Close releases the listings.
type ClioSource struct {
	c    *clio.Client
	opts ClioSourceOptions

	mu      sync.Mutex
	streams map[string]*stream
	// slack is added to an X-RateLimit-Reset before the next page once a
	// request sent right at a reset was refused: the header has whole
	// seconds only, so the window may really end up to a second later.
	slack time.Duration
	// wokeAt is when the last wait for a reset ended.
	wokeAt time.Time
}

// ClioSourceOptions configure NewClioSource.
type ClioSourceOptions struct {
	// ListRelationships lists every relationship the user can see, updated
	// at or after since (all for the zero time), page by page. The client
	// offers relationships only per contact, which a sync cannot afford, so
	// when nil the relationships phase is skipped (ErrNotSupported).
	ListRelationships func(ctx context.Context, since time.Time, fn func([]clio.Relationship) error) error
}

// NewClioSource returns a PagedSource reading from c.
func NewClioSource(c *clio.Client, opts ClioSourceOptions) *ClioSource {
	return &ClioSource{c: c, opts: opts, streams: map[string]*stream{}}
}

// Close stops the live listings. It may be called from any goroutine,
// including one locked to its OS thread (the UI's main thread): the
// listings' coroutines are stopped from a goroutine of Close's own, since
// the runtime requires the thread locking of the goroutine that switches
// to a coroutine to match the one that created it.
func (s *ClioSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for k, st := range s.streams {
			st.stop()
			delete(s.streams, k)
		}
	}()
	<-done
	return nil
}

// ContactsPage implements PagedSource.
func (s *ClioSource) ContactsPage(ctx context.Context, since time.Time, cursor string) ([]clio.Contact, string, error) {
	return pageOf(ctx, s, PhaseContacts, since, cursor, func(c clio.Contact) int64 { return c.ID },
		func(ctx context.Context, fn func([]clio.Contact) error) error {
			return s.c.Contacts.ListAll(ctx, &clio.ContactListOptions{UpdatedSince: since}, fn)
		})
}

// MattersPage implements PagedSource.
func (s *ClioSource) MattersPage(ctx context.Context, since time.Time, cursor string) ([]clio.Matter, string, error) {
	return pageOf(ctx, s, PhaseMatters, since, cursor, func(m clio.Matter) int64 { return m.ID },
		func(ctx context.Context, fn func([]clio.Matter) error) error {
			return s.c.Matters.ListAll(ctx, &clio.MatterListOptions{UpdatedSince: since}, fn)
		})
}

// RelationshipsPage implements PagedSource.
func (s *ClioSource) RelationshipsPage(ctx context.Context, since time.Time, cursor string) ([]Relationship, string, error) {
	if s.opts.ListRelationships == nil {
		return nil, "", fmt.Errorf("list relationships: %w", ErrNotSupported)
	}
	page, next, err := pageOf(ctx, s, PhaseRelationships, since, cursor, func(r clio.Relationship) int64 { return r.ID },
		func(ctx context.Context, fn func([]clio.Relationship) error) error {
			return s.opts.ListRelationships(ctx, since, fn)
		})
	out := make([]Relationship, 0, len(page))
	for _, r := range page {
		rel := Relationship{ID: r.ID, Description: r.Description}
		if r.Contact != nil {
			rel.ContactID = r.Contact.ID
		}
		if r.Matter != nil {
			rel.MatterID = r.Matter.ID
		}
		out = append(out, rel)
	}
	return out, next, err
}

// resetSlack covers the rounding of X-RateLimit-Reset to whole seconds.
const resetSlack = time.Second

// awaitReset waits, while the last seen rate-limit window is spent, until
// its reset (plus slack). A listing that ran into a refusal must start
// over and read its pages again, so a page is only asked for when the
// budget allows it. s.mu is held.
func (s *ClioSource) awaitReset(ctx context.Context) error {
	r := s.c.Rate()
	if r.Limit == 0 || r.Remaining > 0 || r.Reset.IsZero() {
		return nil
	}
	d := time.Until(r.Reset.Add(s.slack))
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	}
	s.wokeAt = time.Now()
	return nil
}

// stream is one live listing: a pull iterator over ListAll's pages.
type stream struct {
	since  time.Time
	cursor string // the cursor the next call continues from
	next   func() (any, error, bool)
	stop   func()
}

var errStopListing = errors.New("listing no longer wanted")

// cursorAfter is the cursor of the page after the record with id last.
func cursorAfter(last int64) string { return "after:" + strconv.FormatInt(last, 10) }

// ErrBadCursor is wrapped when a cursor was not made by this source.
var ErrBadCursor = errors.New("malformed sync cursor")

func parseCursor(cursor string) (int64, error) {
	if cursor == "" {
		return 0, nil
	}
	v, ok := strings.CutPrefix(cursor, "after:")
	if !ok {
		return 0, ErrBadCursor
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, ErrBadCursor
	}
	return n, nil
}

// pageOf returns the page of kind after cursor from the live listing, or
// from a new one that skips ids up to the cursor. At the end it returns an
// empty page and next "".
func pageOf[T any](ctx context.Context, s *ClioSource, kind string, since time.Time, cursor string,
	id func(T) int64, listAll func(context.Context, func([]T) error) error) ([]T, string, error) {
	after, err := parseCursor(cursor)
	if err != nil {
		return nil, "", fmt.Errorf("read %s: %w", kind, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streams[kind]
	if st == nil || st.cursor != cursor || !st.since.Equal(since) {
		if st != nil {
			st.stop()
		}
		lctx := clio.WithLowPriority(ctx)
		seq := func(yield func(any, error) bool) {
			err := listAll(lctx, func(page []T) error {
				if !yield(page, nil) {
					return errStopListing
				}
				return nil
			})
			if err != nil && !errors.Is(err, errStopListing) {
				yield(nil, err)
			}
		}
		next, stop := iter.Pull2(iter.Seq2[any, error](seq))
		st = &stream{since: since, cursor: cursor, next: next, stop: stop}
		s.streams[kind] = st
	}
	for {
		if err := s.awaitReset(ctx); err != nil {
			return nil, "", fmt.Errorf("read %s: %w", kind, err)
		}
		v, err, ok := st.next()
		if !ok {
			st.stop()
			delete(s.streams, kind)
			return []T{}, "", nil
		}
		if err != nil {
			st.stop()
			delete(s.streams, kind)
			var rl *clio.RateLimitError
			if errors.As(err, &rl) && !s.wokeAt.IsZero() && time.Since(s.wokeAt) < time.Second && s.slack == 0 {
				s.slack = resetSlack
			}
			return nil, "", fmt.Errorf("read %s: %w", kind, err)
		}
		page := v.([]T)
		out := page[:0:0]
		for _, r := range page {
			if id(r) > after {
				out = append(out, r)
			}
		}
		if len(out) == 0 {
			continue // a resumed listing catching up with the cursor
		}
		st.cursor = cursorAfter(id(out[len(out)-1]))
		return out, st.cursor, nil
	}
}
