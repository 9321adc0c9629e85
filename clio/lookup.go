package clio

import (
	"context"
	"fmt"
)

// maxLookupPages bounds a lookup against a server that ignores its filter:
// at most this many pages of 200 are read looking for the records that
// really match.
const maxLookupPages = 10

// HasExternalProperty reports whether props carry the external property
// name=value, both compared exactly.
func HasExternalProperty(props []ExternalProperty, name, value string) bool {
	for _, p := range props {
		if p.Name == name && p.Value == value {
			return true
		}
	}
	return false
}

// lookup reads a filtered list from first and returns only the records
// keep accepts, with the last response. Clio honours the filter and answers
// in one page; a server that ignores it (the spec allows unknown query
// parameters to be dropped) returns unrelated records, which are skipped,
// and its further pages are read, at most maxLookupPages in all. The
// fields of first must include what keep checks.
func lookup[T any](ctx context.Context, c *Client, first, fields string, keep func(T) bool) ([]T, *Response, error) {
	out := []T{}
	seen := make(map[string]bool)
	next := first
	var resp *Response
	for pages := 0; next != "" && pages < maxLookupPages; pages++ {
		if seen[next] {
			return nil, resp, fmt.Errorf("follow clio paging: %w", errPagingLoop)
		}
		seen[next] = true
		var (
			page []T
			err  error
		)
		page, resp, err = listPage[T](ctx, c, next)
		if err != nil {
			return nil, resp, err
		}
		for _, rec := range page {
			if keep(rec) {
				out = append(out, rec)
			}
		}
		if resp.NextPage == "" {
			break
		}
		if next, err = c.pageURL(resp.NextPage, fields); err != nil {
			return nil, resp, err
		}
	}
	return out, resp, nil
}
