package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Match strengths, strongest first.
const (
	StrengthExact    = "exact"    // same E.164 number
	StrengthNational = "national" // same national significant number, other country code or formatting
	StrengthWeak     = "weak"     // one number is a suffix (>= 7 digits) of the other
)

// Client statuses as Clio users know them.
const (
	StatusActive    = "Active"       // at least one open matter
	StatusPending   = "Pending"      // no open matter, at least one pending
	StatusPast      = "Past"         // only closed matters
	StatusNotClient = "Not a client" // no matters
)

// Result answers "who is calling".
type Result struct {
	Number  string  `json:"number"`  // E.164, or the input if it cannot be normalised
	Display string  `json:"display"` // formatted for the user's region
	Matches []Match `json:"matches"` // best first; empty when nobody matches
}

// Match is one contact the number belongs to.
type Match struct {
	ContactID    int64    `json:"contact_id"`
	Name         string   `json:"name"`
	Company      string   `json:"company,omitempty"`
	Strength     string   `json:"strength"`      // StrengthExact, StrengthNational or StrengthWeak
	Reason       string   `json:"reason"`        // why it matched and why it ranks here
	ClientStatus string   `json:"client_status"` // StatusActive, StatusPending, StatusPast or StatusNotClient
	Matters      []Matter `json:"matters"`       // open, then pending, most recent activity first; closed hidden
}

// Matter is a matter of the matched contact as client.
type Matter struct {
	ID                  int64  `json:"id"`
	DisplayNumber       string `json:"display_number"`
	Description         string `json:"description"`
	Status              string `json:"status"`
	ResponsibleAttorney string `json:"responsible_attorney"`
	PracticeArea        string `json:"practice_area,omitempty"`
	Reason              string `json:"reason,omitempty"`
}

const (
	maxCandidates = 50 // phone rows read per match step
	maxMatches    = 10 // contacts returned
	maxMatters    = 50 // matters returned per contact
	minNational   = 6  // shortest national number searched
	weakSlots     = 9  // suffix lengths tried when the stored number is the shorter
	withheldText  = "Withheld"
)

// candidateSQL selects matching phone rows with their contact and the
// contact's client status, best first; %s is the match condition, which
// may use ?1 (the call's E.164) and ?2 (its national number).
const candidateSQL = `SELECT p.contact_id, p.e164, p.national, p.rdigits, c.name, c.company, c.updated_at,
	EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.status = 'Open') AS open,
	EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.status = 'Pending'),
	EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.status = 'Closed')
FROM phones p JOIN contacts c ON c.id = p.contact_id
WHERE %s
ORDER BY p.e164 = ?1 DESC, open DESC, c.updated_at DESC, c.id
LIMIT %d`

// prepare compiles the statements of the hot path once.
func (d *Directory) prepare(ctx context.Context) error {
	in := make([]string, weakSlots)
	for i := range in {
		in[i] = fmt.Sprintf("?%d", i+3) // ?1 and ?2 are in the ORDER BY
	}
	stmts := []struct {
		dst **sql.Stmt
		sql string
	}{
		{&d.direct, fmt.Sprintf(candidateSQL, "p.e164 = ?1 OR p.national = ?2", maxCandidates)},
		{&d.weak, fmt.Sprintf(candidateSQL, fmt.Sprintf("p.rdigits IN (%s) OR (p.rdigits >= ?%d AND p.rdigits < ?%d)",
			strings.Join(in, ", "), weakSlots+3, weakSlots+4), maxCandidates)},
		{&d.matters, fmt.Sprintf(`SELECT id, display_number, description, status, responsible_attorney, practice_area
FROM matters
WHERE client_id = ?1 AND status IN ('Open', 'Pending')
ORDER BY status = 'Open' DESC, max(last_activity_date, date(updated_at / 1000, 'unixepoch')) DESC, updated_at DESC, id DESC
LIMIT %d`, maxMatters)},
		{&d.numbers, `SELECT e164 FROM phones WHERE e164 <> '' ORDER BY contact_id, pos`},
	}
	for _, s := range stmts {
		st, err := d.db.PrepareContext(ctx, s.sql)
		if err != nil {
			return fmt.Errorf("prepare statement: %w", err)
		}
		*s.dst = st
	}
	return nil
}

// candidate is one phone row that matched, with its contact.
type candidate struct {
	contactID              int64
	e164, national, rdigit string
	name, company          string
	updatedAt              int64
	open, pending, closed  bool
}

// Lookup finds the contacts number belongs to, without the network.
// Numbers are read with Options.DefaultRegion. Withheld numbers, internal
// extensions (fewer than MinDigits digits) and the firm's own numbers give
// a Result without matches and no error; a number that cannot be written
// in E.164 is still matched by national number or suffix. Matching stops
// at the first strength that finds someone: exact E.164, then national
// number, then a suffix of at least 7 digits (one number ending with the
// other). Several contacts are ranked clients with open matters first,
// then most recently updated; at most 10 are returned.
func (d *Directory) Lookup(ctx context.Context, number string) (Result, error) {
	start := time.Now()
	k := analyze(number, d.region)
	res := Result{Number: number, Display: number, Matches: []Match{}}
	if k.parsed != nil {
		res.Number = k.e164
		res.Display = formatParsed(k.parsed, d.region)
	}
	switch {
	case k.withheld():
		res.Display = withheldText
		return res, nil
	case k.count < d.minDigits, d.isFirm(k.e164, k.national):
		return res, nil
	}

	strength, cands, err := d.candidates(ctx, k)
	if err != nil {
		return res, fmt.Errorf("look up number: %w", err)
	}
	for _, c := range cands {
		if len(res.Matches) == maxMatches {
			break
		}
		m := Match{
			ContactID:    c.contactID,
			Name:         c.name,
			Company:      c.company,
			Strength:     strength,
			Reason:       strengthReason(strength, k.digits, c.rdigit),
			ClientStatus: clientStatus(c),
		}
		if m.Matters, err = d.clientMatters(ctx, c.contactID); err != nil {
			return res, fmt.Errorf("look up number: %w", err)
		}
		res.Matches = append(res.Matches, m)
	}
	if len(res.Matches) > 1 {
		for i := range res.Matches {
			switch {
			case res.Matches[i].ClientStatus == StatusActive:
				res.Matches[i].Reason += ", client with open matters"
			case i == 0:
				res.Matches[i].Reason += ", most recently updated"
			}
		}
	}
	d.log.Debug("looked up number", "number", maskNumber(res.Number), "strength", strength,
		"matches", len(res.Matches), "took", time.Since(start))
	return res, nil
}

// candidates runs the match steps in order and returns the first that
// finds anyone, one candidate per contact, best first. Exact and national
// matches come from one query (exact rows sort first).
func (d *Directory) candidates(ctx context.Context, k numberKeys) (string, []candidate, error) {
	var e164, national any // NULL matches nothing
	if k.e164 != "" {
		e164 = k.e164
	}
	if len(k.national) >= minNational {
		national = k.national
	}
	if e164 != nil || national != nil {
		c, err := d.query(ctx, d.direct, e164, national)
		if err != nil {
			return "", nil, err
		}
		if len(c) > 0 {
			if c[0].e164 != "" && c[0].e164 == k.e164 {
				exact := c[:0:0]
				for _, x := range c {
					if x.e164 == k.e164 {
						exact = append(exact, x)
					}
				}
				return StrengthExact, exact, nil
			}
			return StrengthNational, c, nil
		}
	}
	minWeak := max(7, d.minDigits)
	if len(k.digits) < minWeak {
		return "", nil, nil
	}
	// Stored numbers the call ends with: the reversed call digits cut at
	// each length from minWeak on; and stored numbers ending with the call:
	// reversed digits starting with the reversed call ('9' < ':').
	r := reverse(k.digits)
	args := make([]any, weakSlots+4)
	args[0], args[1] = e164, national
	for i := range weakSlots {
		if n := minWeak + i; n <= len(r) {
			args[i+2] = r[:n]
		}
	}
	args[weakSlots+2], args[weakSlots+3] = r, r+":"
	c, err := d.query(ctx, d.weak, args...)
	return StrengthWeak, c, err
}

// query runs one match step and drops duplicates and firm numbers.
func (d *Directory) query(ctx context.Context, st *sql.Stmt, args ...any) ([]candidate, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	var out []candidate
	seen := map[int64]bool{}
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.contactID, &c.e164, &c.national, &c.rdigit, &c.name, &c.company,
			&c.updatedAt, &c.open, &c.pending, &c.closed); err != nil {
			return nil, errors.Join(err, rows.Close())
		}
		if seen[c.contactID] || d.isFirm(c.e164, c.national) {
			continue
		}
		seen[c.contactID] = true
		out = append(out, c)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	return out, nil
}

// clientMatters returns the open and pending matters of a client.
func (d *Directory) clientMatters(ctx context.Context, clientID int64) ([]Matter, error) {
	rows, err := d.matters.QueryContext(ctx, clientID)
	if err != nil {
		return nil, err
	}
	out := []Matter{}
	for rows.Next() {
		var m Matter
		if err := rows.Scan(&m.ID, &m.DisplayNumber, &m.Description, &m.Status, &m.ResponsibleAttorney, &m.PracticeArea); err != nil {
			return nil, errors.Join(err, rows.Close())
		}
		m.Reason = strings.ToLower(m.Status)
		out = append(out, m)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	if len(out) > 1 && out[0].Status == out[1].Status {
		out[0].Reason += ", most recent activity"
	}
	return out, nil
}

// isFirm reports whether a number is one of the firm's own.
func (d *Directory) isFirm(e164, national string) bool {
	if e164 != "" {
		return d.firmE164[e164]
	}
	return national != "" && d.firmNSN[national]
}

func clientStatus(c candidate) string {
	switch {
	case c.open:
		return StatusActive
	case c.pending:
		return StatusPending
	case c.closed:
		return StatusPast
	}
	return StatusNotClient
}

func strengthReason(strength, callDigits, storedReversed string) string {
	switch strength {
	case StrengthExact:
		return "same number"
	case StrengthNational:
		return "same national number"
	}
	return fmt.Sprintf("last %d digits match", min(len(callDigits), len(storedReversed)))
}

func formatParsed(n *phonenumbers.PhoneNumber, region string) string {
	if int(n.GetCountryCode()) == phonenumbers.GetCountryCodeForRegion(region) {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// Numbers returns up to limit distinct E.164 numbers of stored contacts,
// in contact order, never a firm number (for "Simulate incoming call").
func (d *Directory) Numbers(ctx context.Context, limit int) ([]string, error) {
	out := []string{}
	if limit <= 0 {
		return out, nil
	}
	rows, err := d.numbers.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("list numbers: %w", err)
	}
	seen := map[string]bool{}
	for len(out) < limit && rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list numbers: %w", errors.Join(err, rows.Close()))
		}
		if seen[n] || d.firmE164[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("list numbers: %w", err)
	}
	return out, nil
}
