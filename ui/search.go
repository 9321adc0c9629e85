package ui

import (
	"context"
	"strings"
	"time"
)

// Searcher finds Clio contacts by name, company or number for "Find in
// Clio…" and the review editor. The app hands ui its local directory
// mirror: ui calls Search on the Fyne goroutine, so it must be fast.
type Searcher interface {
	Search(ctx context.Context, q string, limit int) ([]Caller, error)
}

// MatterSearcher finds matters of any client for the matter picker's
// type-ahead, after the caller's own matters.
type MatterSearcher interface {
	SearchMatters(ctx context.Context, q string, limit int) ([]Matter, error)
}

// MatterList is a fixed list of matters that is its own MatterSearcher,
// for when the app already holds every matter.
type MatterList []Matter

// SearchMatters returns up to limit matters whose number, description,
// client, attorney or practice area contains q, case-insensitively.
func (l MatterList) SearchMatters(_ context.Context, q string, limit int) ([]Matter, error) {
	var out []Matter
	for _, m := range l {
		if limit > 0 && len(out) >= limit {
			break
		}
		if matterMatches(m, q) {
			out = append(out, m)
		}
	}
	return out, nil
}

// searchTimeout bounds one search of the local mirror.
const searchTimeout = 2 * time.Second

// searchLimit is how many results a search shows.
const searchLimit = 8

// searchContext is the context for one search started by a keystroke.
// ui has no longer-lived context to derive it from: views are driven by
// the Fyne event loop.
func searchContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), searchTimeout)
}

// matterMatches reports whether every word of q occurs in the matter's
// number, description, client, attorney or practice area.
func matterMatches(m Matter, q string) bool {
	hay := strings.ToLower(strings.Join([]string{m.DisplayNumber, m.Description, m.ClientName,
		m.ResponsibleAttorney, m.PracticeArea}, " "))
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
