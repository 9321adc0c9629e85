package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// StrengthName marks a Match found by Search rather than by number.
const StrengthName = "name"

const (
	maxSearch     = 50 // results Search returns at most
	minTrigram    = 3  // shortest query the trigram index can answer
	searchColumns = `c.id, c.name, c.company, c.updated_at, c.is_client,
	EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.status = 'Open') AS open,
	EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.status = 'Pending'),
	EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.status = 'Closed')`
	// searchOrder puts names starting with the query first, then clients
	// with open matters, then the most recently updated.
	searchOrder = `ORDER BY c.name LIKE ?2 ESCAPE '\' DESC, open DESC, c.updated_at DESC, c.id`
)

// Search finds contacts by name or company for "Find in Clio…": a query
// of three or more characters matches anywhere in a name or company name
// (trigram index), a shorter one matches the start of a name; case is
// ignored. Results (at most limit, 50 when limit <= 0) rank names starting
// with the query first, then clients with open matters, then the most
// recently updated, and carry client status and matters like Lookup.
func (d *Directory) Search(ctx context.Context, query string, limit int) ([]Match, error) {
	return d.SearchWith(ctx, query, limit, LookupOptions{})
}

// SearchWith is Search with the matter options of LookupWith.
func (d *Directory) SearchWith(ctx context.Context, query string, limit int, opts LookupOptions) ([]Match, error) {
	if opts.UserID == 0 {
		opts.UserID = d.userID
	}
	// Control characters (NUL ends an FTS string) and broken UTF-8 are
	// never part of a name.
	query = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(query, " "))
	q := strings.Join(strings.Fields(query), " ")
	out := []Match{}
	if q == "" {
		return out, nil
	}
	if limit <= 0 || limit > maxSearch {
		limit = maxSearch
	}
	prefix := likeEscape(q) + "%"
	var sqlText string
	var args []any
	if utf8.RuneCountInString(q) >= minTrigram {
		sqlText = `SELECT ` + searchColumns + ` FROM contacts_fts f JOIN contacts c ON c.id = f.rowid
WHERE contacts_fts MATCH ?1 ` + searchOrder + ` LIMIT ?3`
		args = []any{`"` + strings.ReplaceAll(q, `"`, `""`) + `"`, prefix, limit}
	} else {
		sqlText = `SELECT ` + searchColumns + ` FROM contacts c WHERE c.name LIKE ?1 ESCAPE '\' ` + searchOrder + ` LIMIT ?3`
		args = []any{prefix, prefix, limit}
	}
	start := time.Now()
	rows, err := d.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("search contacts: %w", err)
	}
	var cands []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.contactID, &c.name, &c.company, &c.updatedAt, &c.isClient, &c.open, &c.pending, &c.closed); err != nil {
			return nil, fmt.Errorf("search contacts: %w", errors.Join(err, rows.Close()))
		}
		cands = append(cands, c)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("search contacts: %w", err)
	}
	lq := strings.ToLower(q)
	for _, c := range cands {
		m := matchOf(c)
		m.Strength = StrengthName
		switch {
		case strings.HasPrefix(strings.ToLower(c.name), lq):
			m.Reason = "name starts with the search"
		case strings.Contains(strings.ToLower(c.name), lq):
			m.Reason = "name contains the search"
		default:
			m.Reason = "company contains the search"
		}
		if m.Matters, err = d.contactMatters(ctx, c.contactID, opts); err != nil {
			return nil, fmt.Errorf("search contacts: %w", err)
		}
		out = append(out, m)
	}
	d.log.Debug("searched contacts", "results", len(out), "took", time.Since(start))
	return out, nil
}

// likeEscape escapes LIKE's wildcards with a backslash.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
