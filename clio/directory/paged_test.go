package directory

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// pagedFake is a hand-written PagedSource and IDSource over slices, with
// pages of size records, cursors "<index>", and hooks to fail or cancel.
type pagedFake struct {
	size     int
	contacts []clio.Contact
	matters  []clio.Matter
	rels     []Relationship
	noRels   bool

	mu       sync.Mutex
	served   map[int64]int // contact id -> times served
	calls    int           // page calls of any kind
	sinces   []time.Time
	hook     func(call int) error // before serving call n (1-based); an error is returned
	afterHit func(call int)       // after serving call n
}

func newPagedFake(size int, src *fakeSource) *pagedFake {
	return &pagedFake{size: size, contacts: src.contacts, matters: src.matters, served: map[int64]int{}}
}

func pageAt[T any](items []T, keep func(T) bool, size int, cursor string) ([]T, string, error) {
	var all []T
	for _, it := range items {
		if keep(it) {
			all = append(all, it)
		}
	}
	start := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil {
			return nil, "", fmt.Errorf("bad cursor %q", cursor)
		}
		start = n
	}
	end := min(start+size, len(all))
	next := ""
	if end < len(all) {
		next = strconv.Itoa(end)
	}
	return slices.Clone(all[start:end]), next, nil
}

func (f *pagedFake) enter() (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.hook != nil {
		if err := f.hook(f.calls); err != nil {
			return f.calls, err
		}
	}
	return f.calls, nil
}

func (f *pagedFake) leave(n int) {
	if f.afterHit != nil {
		f.afterHit(n)
	}
}

func (f *pagedFake) ContactsPage(ctx context.Context, since time.Time, cursor string) ([]clio.Contact, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	n, err := f.enter()
	if err != nil {
		return nil, "", err
	}
	defer f.leave(n)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sinces = append(f.sinces, since)
	page, next, err := pageAt(f.contacts, func(c clio.Contact) bool { return !c.UpdatedAt.Before(since) }, f.size, cursor)
	for _, c := range page {
		f.served[c.ID]++
	}
	return page, next, err
}

func (f *pagedFake) MattersPage(ctx context.Context, since time.Time, cursor string) ([]clio.Matter, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	n, err := f.enter()
	if err != nil {
		return nil, "", err
	}
	defer f.leave(n)
	return pageAt(f.matters, func(m clio.Matter) bool { return !m.UpdatedAt.Before(since) }, f.size, cursor)
}

func (f *pagedFake) RelationshipsPage(ctx context.Context, since time.Time, cursor string) ([]Relationship, string, error) {
	if f.noRels {
		return nil, "", fmt.Errorf("relationships: %w", ErrNotSupported)
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	n, err := f.enter()
	if err != nil {
		return nil, "", err
	}
	defer f.leave(n)
	return pageAt(f.rels, func(r Relationship) bool { return !r.UpdatedAt.Before(since) }, f.size, cursor)
}

func (f *pagedFake) ContactIDsPage(ctx context.Context, cursor string) ([]int64, string, error) {
	page, next, err := f.ContactsPage(ctx, time.Time{}, cursor)
	ids := make([]int64, len(page))
	for i, c := range page {
		ids[i] = c.ID
	}
	return ids, next, err
}

func (f *pagedFake) MatterIDsPage(ctx context.Context, cursor string) ([]int64, string, error) {
	page, next, err := f.MattersPage(ctx, time.Time{}, cursor)
	ids := make([]int64, len(page))
	for i, m := range page {
		ids[i] = m.ID
	}
	return ids, next, err
}

// bigFirm is firmSource plus n more contacts (ids 1001…) with one number each.
func bigFirm(n int) *fakeSource {
	src := firmSource()
	for i := range n {
		src.contacts = append(src.contacts, contact(int64(1001+i), fmt.Sprintf("Extra %03d", i), t0,
			fmt.Sprintf("+1 415 555 %04d", 1000+i)))
	}
	return src
}

// pagedOnly hides the IDSource methods of a pagedFake.
type pagedOnly struct{ PagedSource }
