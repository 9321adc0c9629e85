package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/calldocket/calldocket/phone"
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
	ContactID    int64     `json:"contact_id"`
	Name         string    `json:"name"`
	Company      string    `json:"company,omitempty"`
	Strength     string    `json:"strength"`      // StrengthExact, StrengthNational, StrengthWeak (StrengthName from Search)
	Reason       string    `json:"reason"`        // why it matched and why it ranks here
	ClientStatus string    `json:"client_status"` // StatusActive, StatusPending, StatusPast or StatusNotClient
	Matters      []Matter  `json:"matters"`       // ranked suggestions; closed hidden unless asked for
	IsClient     bool      `json:"is_client,omitempty"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
}

// Matter is a matter of the matched contact, as client or related party.
type Matter struct {
	ID                    int64  `json:"id"`
	DisplayNumber         string `json:"display_number"`
	Description           string `json:"description"`
	Status                string `json:"status"`
	ResponsibleAttorney   string `json:"responsible_attorney"`
	PracticeArea          string `json:"practice_area,omitempty"`
	Reason                string `json:"reason,omitempty"`
	ResponsibleAttorneyID int64  `json:"responsible_attorney_id,omitempty"`
	OriginatingAttorney   string `json:"originating_attorney,omitempty"`
	OriginatingAttorneyID int64  `json:"originating_attorney_id,omitempty"`
	LastActivityDate      string `json:"last_activity_date,omitempty"` // YYYY-MM-DD
	// Role is Clio's description of the contact's part in a matter it is
	// a related party of ("Opposing counsel"); "related party" when Clio
	// gives none; empty when the contact is the client.
	Role string `json:"role,omitempty"`
}

// LookupOptions refine one LookupWith or Search.
type LookupOptions struct {
	// IncludeClosed lists closed matters too (after open and pending).
	IncludeClosed bool
	// UserID ranks the matters this Clio user is responsible or
	// originating attorney of higher; 0 means Options.UserID.
	UserID int64
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
// contact's client status, best first: exact rows, the contact last logged
// for the number, clients with open matters, the most recently updated.
// %s is the match condition, which may use ?1 (the call's E.164) and ?2
// (its national number); the logging history is keyed like loggedKey.
const candidateSQL = `SELECT p.contact_id, p.e164, p.national, p.rdigits, c.name, c.company, c.updated_at, c.is_client,
	coalesce(c.id = (SELECT l.contact_id FROM logged_numbers l WHERE l.number = coalesce(?1, ?2)), 0) AS logged,
	EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.status = 'Open') AS open,
	EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.status = 'Pending'),
	EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.status = 'Closed')
FROM phones p JOIN contacts c ON c.id = p.contact_id
WHERE %s
ORDER BY p.e164 = ?1 DESC, logged DESC, open DESC, c.updated_at DESC, c.id
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
		{&d.matters, fmt.Sprintf(matterSQL, maxMatters)},
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

// matterSQL lists a contact's matters, as client (?1) or related party,
// in suggestion order: the matter last logged for the contact, then open,
// pending and (when ?2) closed, then the user's (?3) own, then the most
// recently active.
const matterSQL = `SELECT m.id, m.display_number, m.description, m.status, m.responsible_attorney, m.practice_area,
	m.responsible_attorney_id, m.originating_attorney, m.originating_attorney_id, m.last_activity_date,
	coalesce(m.client_id = ?1, 0) AS own,
	coalesce((SELECT min(r.description) FROM relationships r WHERE r.contact_id = ?1 AND r.matter_id = m.id), '') AS role,
	coalesce(m.id = (SELECT l.matter_id FROM logged_matters l WHERE l.contact_id = ?1), 0) AS logged,
	(?3 <> 0 AND (m.responsible_attorney_id = ?3 OR m.originating_attorney_id = ?3)) AS mine
FROM matters m
WHERE (m.client_id = ?1 OR m.id IN (SELECT r.matter_id FROM relationships r WHERE r.contact_id = ?1))
	AND (m.status IN ('Open', 'Pending') OR ?2)
ORDER BY logged DESC, CASE m.status WHEN 'Open' THEN 0 WHEN 'Pending' THEN 1 ELSE 2 END, mine DESC,
	max(m.last_activity_date, date(m.updated_at / 1000, 'unixepoch')) DESC, m.updated_at DESC, m.id DESC
LIMIT %d`

// candidate is one phone row that matched, with its contact.
type candidate struct {
	contactID              int64
	e164, national, rdigit string
	name, company          string
	updatedAt              int64
	isClient, logged       bool
	open, pending, closed  bool
}

// Lookup finds the contacts number belongs to, without the network; it is
// LookupWith with Options.UserID and closed matters hidden.
func (d *Directory) Lookup(ctx context.Context, number string) (Result, error) {
	return d.LookupWith(ctx, number, LookupOptions{})
}

// LookupWith finds the contacts number belongs to, without the network.
// Numbers are read with Options.DefaultRegion. Withheld numbers, internal
// extensions (fewer than MinDigits digits) and the firm's own numbers give
// a Result without matches and no error; a number that cannot be written
// in E.164 is still matched by national number or suffix. Matching stops
// at the first strength that finds someone: exact E.164, then national
// number, then a suffix of at least 7 digits (one number ending with the
// other). Several contacts are ranked: the contact last logged for this
// number (RecordLogged) first, then clients with open matters, then the
// most recently updated; at most 10 are returned, each with its reason.
// Each contact's matters (as client or related party) are ranked: the
// matter last logged for the contact, open before pending (closed only
// when opts.IncludeClosed), the user's own as responsible or originating
// attorney, then the most recently active.
func (d *Directory) LookupWith(ctx context.Context, number string, opts LookupOptions) (Result, error) {
	start := time.Now()
	if opts.UserID == 0 {
		opts.UserID = d.userID
	}
	k := phone.Analyze(number, d.region)
	res := Result{Number: number, Display: number, Matches: []Match{}}
	if k.E164 != "" {
		res.Number = k.E164
		res.Display = k.Display()
	}
	switch {
	case k.Withheld():
		res.Display = withheldText
		return res, nil
	case k.Count < d.minDigits, d.isFirm(k.E164, k.National):
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
		m := matchOf(c)
		m.Strength = strength
		m.Reason = strengthReason(strength, k.Digits, c.rdigit)
		if m.Matters, err = d.contactMatters(ctx, c.contactID, opts); err != nil {
			return res, fmt.Errorf("look up number: %w", err)
		}
		res.Matches = append(res.Matches, m)
	}
	if len(res.Matches) > 1 {
		for i := range res.Matches {
			switch {
			case i == 0 && cands[0].logged:
				res.Matches[i].Reason += ", last logged for this number"
			case res.Matches[i].ClientStatus == StatusActive:
				res.Matches[i].Reason += ", client with open matters"
			case i == 0:
				res.Matches[i].Reason += ", most recently updated"
			}
		}
	}
	d.log.Debug("looked up number", "number", phone.Mask(res.Number), "strength", strength,
		"matches", len(res.Matches), "took", time.Since(start))
	return res, nil
}

func matchOf(c candidate) Match {
	m := Match{
		ContactID:    c.contactID,
		Name:         c.name,
		Company:      c.company,
		ClientStatus: clientStatus(c),
		IsClient:     c.isClient,
	}
	if c.updatedAt != 0 {
		m.UpdatedAt = time.UnixMilli(c.updatedAt).UTC()
	}
	return m
}

// candidates runs the match steps in order and returns the first that
// finds anyone, one candidate per contact, best first. Exact and national
// matches come from one query (exact rows sort first).
func (d *Directory) candidates(ctx context.Context, k phone.Keys) (string, []candidate, error) {
	var e164, national any // NULL matches nothing
	if k.E164 != "" {
		e164 = k.E164
	}
	if len(k.National) >= minNational {
		national = k.National
	}
	if e164 != nil || national != nil {
		c, err := d.query(ctx, d.direct, e164, national)
		if err != nil {
			return "", nil, err
		}
		if len(c) > 0 {
			if c[0].e164 != "" && c[0].e164 == k.E164 {
				exact := c[:0:0]
				for _, x := range c {
					if x.e164 == k.E164 {
						exact = append(exact, x)
					}
				}
				return StrengthExact, exact, nil
			}
			return StrengthNational, c, nil
		}
	}
	minWeak := max(7, d.minDigits)
	if len(k.Digits) < minWeak {
		return "", nil, nil
	}
	// Stored numbers the call ends with: the reversed call digits cut at
	// each length from minWeak on; and stored numbers ending with the call:
	// reversed digits starting with the reversed call ('9' < ':').
	r := reverse(k.Digits)
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
			&c.updatedAt, &c.isClient, &c.logged, &c.open, &c.pending, &c.closed); err != nil {
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

// contactMatters returns the ranked matters of a contact, as client or
// related party, each with its reason.
func (d *Directory) contactMatters(ctx context.Context, contactID int64, opts LookupOptions) ([]Matter, error) {
	rows, err := d.matters.QueryContext(ctx, contactID, opts.IncludeClosed, opts.UserID)
	if err != nil {
		return nil, err
	}
	out := []Matter{}
	type flags struct{ logged, mine bool }
	var fl []flags
	for rows.Next() {
		var (
			m                 Matter
			own, logged, mine bool
		)
		if err := rows.Scan(&m.ID, &m.DisplayNumber, &m.Description, &m.Status, &m.ResponsibleAttorney, &m.PracticeArea,
			&m.ResponsibleAttorneyID, &m.OriginatingAttorney, &m.OriginatingAttorneyID, &m.LastActivityDate,
			&own, &m.Role, &logged, &mine); err != nil {
			return nil, errors.Join(err, rows.Close())
		}
		if own {
			m.Role = ""
		} else if m.Role == "" {
			m.Role = "related party"
		}
		var why []string
		if logged {
			why = append(why, "last logged")
		}
		why = append(why, strings.ToLower(m.Status))
		if !own {
			why = append(why, "related party")
		}
		if mine {
			switch {
			case m.ResponsibleAttorneyID == opts.UserID:
				why = append(why, "you are responsible attorney")
			default:
				why = append(why, "you are originating attorney")
			}
		}
		m.Reason = strings.Join(why, ", ")
		out = append(out, m)
		fl = append(fl, flags{logged, mine})
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	if len(out) > 1 && !fl[0].logged && out[0].Status == out[1].Status && fl[0] == fl[1] {
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
