package fake

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Paging limits from the spec.
const (
	defaultLimit = 200
	maxLimit     = 200
	maxUserLimit = 2000
	maxOffset    = 10000
)

// listParams are the paging parameters shared by every list endpoint.
type listParams struct {
	limit  int
	after  int64 // cursor: return ids greater than this
	offset int   // offset paging, when useOffset
	useOff bool
}

func parseListParams(q url.Values, max int) (listParams, *apiError) {
	p := listParams{limit: defaultLimit}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > max {
			return p, errBadRequest(fmt.Sprintf("limit must be an integer between 1 and %d", max))
		}
		p.limit = n
	}
	if v := q.Get("order"); v != "" && v != "id(asc)" {
		return p, errBadRequest(fmt.Sprintf("order %q is not supported (the fake supports id(asc))", v))
	}
	if v := q.Get("page_token"); v != "" {
		after, err := decodePageToken(v)
		if err != nil {
			return p, errBadRequest("invalid page_token")
		}
		p.after = after
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, errBadRequest("offset must be a non-negative integer")
		}
		if n+p.limit > maxOffset {
			return p, &apiError{Status: http.StatusUnprocessableEntity, Type: "ArgumentError",
				Message: "offset paging is limited to the first 10000 records; use page_token with order=id(asc)"}
		}
		p.offset, p.useOff = n, true
	}
	return p, nil
}

func encodePageToken(lastID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("fake-v1:" + strconv.FormatInt(lastID, 10)))
}

func decodePageToken(tok string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, err
	}
	rest, ok := strings.CutPrefix(string(b), "fake-v1:")
	if !ok {
		return 0, fmt.Errorf("page token: unknown version")
	}
	return strconv.ParseInt(rest, 10, 64)
}

// paginate returns one page of items (sorted by id ascending) and the
// absolute URL of the next page, or "" on the last page.
func paginate[T any](r *http.Request, items []T, id func(T) int64, p listParams) ([]T, string) {
	start := 0
	if p.useOff {
		start = min(p.offset, len(items))
	} else {
		for start < len(items) && id(items[start]) <= p.after {
			start++
		}
	}
	end := min(start+p.limit, len(items))
	page := items[start:end]
	if end >= len(items) {
		return page, ""
	}
	q := r.URL.Query()
	if p.useOff {
		q.Set("offset", strconv.Itoa(end))
		if end+p.limit > maxOffset {
			return page, ""
		}
	} else {
		q.Set("page_token", encodePageToken(id(items[end-1])))
	}
	q.Set("limit", strconv.Itoa(p.limit))
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	next := url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	return page, next.String()
}
