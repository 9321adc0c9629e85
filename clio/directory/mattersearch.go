package directory

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// MatterHit is a matter found by SearchMatters, with its client.
type MatterHit struct {
	Matter
	ClientID   int64  `json:"client_id"`
	ClientName string `json:"client_name"`
}

// SearchMatters finds open and pending matters (closed ones last) whose
// display number, description or client name contains q, for the wrap-up
// card's matter picker once the caller's own matters do not fit.
func (d *Directory) SearchMatters(ctx context.Context, q string, limit int) ([]MatterHit, error) {
	q = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(q, " "))), " ")
	out := []MatterHit{}
	if q == "" {
		return out, nil
	}
	if limit <= 0 || limit > maxSearch {
		limit = maxSearch
	}
	like := "%" + likeEscape(q) + "%"
	rows, err := d.db.QueryContext(ctx, `
SELECT m.id, m.display_number, m.description, m.status, m.responsible_attorney, m.practice_area,
       COALESCE(c.id, 0), COALESCE(c.name, '')
FROM matters m LEFT JOIN contacts c ON c.id = m.client_id
WHERE m.display_number LIKE ?1 ESCAPE '\' OR m.description LIKE ?1 ESCAPE '\' OR c.name LIKE ?1 ESCAPE '\'
ORDER BY CASE lower(m.status) WHEN 'open' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,
         m.last_activity_date DESC, m.id
LIMIT ?2`, like, limit)
	if err != nil {
		return nil, fmt.Errorf("search matters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h MatterHit
		if err := rows.Scan(&h.ID, &h.DisplayNumber, &h.Description, &h.Status, &h.ResponsibleAttorney,
			&h.PracticeArea, &h.ClientID, &h.ClientName); err != nil {
			return nil, fmt.Errorf("search matters: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search matters: %w", err)
	}
	return out, nil
}
