package fake

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/phone"
)

// Firm is the data a Server starts from. SampleFirm builds one; tests may
// build their own. Contacts and Matters need unique ids; Users[0] is the
// user the token belongs to (who_am_i). Relationships name contacts that
// are related parties of matters they are not the client of.
type Firm struct {
	Users         []clio.User
	Contacts      []clio.Contact
	Matters       []clio.Matter
	Relationships []Relationship
}

// Relationship is a contact's role in a matter other than client (GET
// /relationships.json), such as "Opposing Counsel".
type Relationship struct {
	ID          int64  `json:"id"`
	ContactID   int64  `json:"contact_id"`
	MatterID    int64  `json:"matter_id"`
	Description string `json:"description"`
}

// Sizes and anchors of the sample firm.
const (
	sampleContacts = 2200
	sampleMatters  = 1650
	sampleSeed1    = 20260101
	sampleSeed2    = 4
	sampleRelSeed  = 5
	sampleRels     = 400
)

var (
	// sampleEnd is the "now" of the sample firm: nothing happens after it.
	sampleEnd   = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sampleStart = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
)

// SampleFirm returns a deterministic sample firm, "Morgan & Shah LLP": two
// attorneys (Alex Morgan, id 1, is who_am_i; Priya Shah, id 2), 2,200
// contacts (Persons and Companies, phone numbers in many formats, a few
// numbers shared by two contacts, some contacts without numbers), 1,650
// matters in every status and 400 relationships (contacts related to
// matters they are not the client of). Every call returns an equal,
// independent value.
func SampleFirm() *Firm {
	r := rand.New(rand.NewPCG(sampleSeed1, sampleSeed2))
	account := &clio.Account{ID: 77001, Name: "Morgan & Shah LLP"}
	f := &Firm{Users: []clio.User{
		{
			ID: 1, Name: "Alex Morgan", FirstName: "Alex", LastName: "Morgan",
			Email: "alex.morgan@morganshah.example", TimeZone: "Eastern Time (US & Canada)",
			Enabled: true, PhoneNumber: "(212) 555-0100", SubscriptionType: "Attorney",
			Account: account,
		},
		{
			ID: 2, Name: "Priya Shah", FirstName: "Priya", LastName: "Shah",
			Email: "priya.shah@morganshah.example", TimeZone: "Pacific Time (US & Canada)",
			Enabled: true, PhoneNumber: "(415) 555-0101", SubscriptionType: "Attorney",
			Account: &clio.Account{ID: account.ID, Name: account.Name},
		},
	}}
	f.Contacts = sampleContactsFor(r)
	f.Matters = sampleMattersFor(r, f.Users, f.Contacts)
	// A generator of its own, so the contacts and matters above stay what
	// they were before relationships existed.
	f.Relationships = sampleRelationshipsFor(rand.New(rand.NewPCG(sampleSeed1, sampleRelSeed)), f.Contacts, f.Matters)
	return f
}

// relationshipRoles are the descriptions of sample relationships.
var relationshipRoles = []string{
	"Opposing Counsel", "Opposing Party", "Spouse", "Expert Witness", "Insurance Adjuster",
	"Referral Source", "Co-Counsel", "Guardian", "Witness", "Accountant",
}

// sampleRelationshipsFor relates random contacts to matters whose client
// they are not, each (contact, matter) pair at most once.
func sampleRelationshipsFor(r *rand.Rand, contacts []clio.Contact, matters []clio.Matter) []Relationship {
	rels := make([]Relationship, 0, sampleRels)
	seen := map[[2]int64]bool{}
	id := int64(60000)
	for len(rels) < sampleRels {
		m := matters[r.IntN(len(matters))]
		c := contacts[r.IntN(len(contacts))]
		key := [2]int64{c.ID, m.ID}
		if m.Client != nil && m.Client.ID == c.ID || seen[key] {
			continue
		}
		seen[key] = true
		id += 1 + int64(r.IntN(3))
		rels = append(rels, Relationship{
			ID: id, ContactID: c.ID, MatterID: m.ID,
			Description: relationshipRoles[r.IntN(len(relationshipRoles))],
		})
	}
	return rels
}

func sampleContactsFor(r *rand.Rand) []clio.Contact {
	pool := newNumberPool(r)
	contacts := make([]clio.Contact, 0, sampleContacts)
	var companies []int // indexes into contacts
	vanity := 0
	id := int64(1000)
	phoneID := int64(500000)
	span := sampleEnd.Sub(sampleStart)
	for i := range sampleContacts {
		id += 1 + int64(r.IntN(3))
		created := sampleStart.Add(span * time.Duration(i) / sampleContacts).
			Add(time.Duration(r.IntN(3600*12)) * time.Second).Truncate(time.Second)
		updated := created.Add(time.Duration(r.Int64N(int64(sampleEnd.Sub(created)))))
		updated = updated.Truncate(time.Second)
		c := clio.Contact{ID: id, CreatedAt: created, UpdatedAt: updated}
		owner := ""
		if r.IntN(100) < 20 {
			c.Type = clio.ContactCompany
			c.Name = companyName(r)
		} else {
			c.Type = clio.ContactPerson
			c.FirstName = firstNames[r.IntN(len(firstNames))]
			c.LastName = lastNames[r.IntN(len(lastNames))]
			c.Name = c.FirstName + " " + c.LastName
			if len(companies) > 0 && r.IntN(100) < 25 {
				co := contacts[companies[r.IntN(len(companies))]]
				c.Company = &clio.Ref{ID: co.ID, Name: co.Name}
			}
			owner = firstNames[r.IntN(len(firstNames))]
		}
		var count int
		switch n := r.IntN(100); {
		case n < 10:
			count = 0
		case n < 60:
			count = 1
		case n < 90:
			count = 2
		default:
			count = 3
		}
		kinds := personPhoneKinds
		if c.Type == clio.ContactCompany {
			kinds = companyPhoneKinds
		}
		for k := range count {
			number := pool.next().format(r, owner)
			if c.Type == clio.ContactCompany && k == 0 && vanity < len(vanityNumbers) && r.IntN(100) < 3 {
				number = vanityNumbers[vanity]
				vanity++
			}
			phoneID++
			c.PhoneNumbers = append(c.PhoneNumbers, clio.PhoneNumber{
				ID: phoneID, Number: number, Name: kinds[k], Primary: k == 0,
			})
		}
		if c.Type == clio.ContactCompany {
			companies = append(companies, len(contacts))
		}
		contacts = append(contacts, c)
	}
	shareNumbers(r, contacts, &phoneID)
	return contacts
}

var (
	personPhoneKinds  = []string{"Mobile", "Home", "Work"}
	companyPhoneKinds = []string{"Work", "Fax", "Work"}
)

func companyName(r *rand.Rand) string {
	suffix := companySuffixes[r.IntN(len(companySuffixes))]
	switch r.IntN(3) {
	case 0:
		a := lastNames[r.IntN(len(lastNames))]
		b := lastNames[r.IntN(len(lastNames))]
		return a + " & " + b + " " + suffix
	default:
		return companyWords[r.IntN(len(companyWords))] + " " +
			companyKinds[r.IntN(len(companyKinds))] + " " + suffix
	}
}

// shareNumbers makes a few numbers deliberately shared by exactly two
// contacts: couples sharing a home line (sometimes typed differently), and
// employees whose work number is their company's switchboard.
func shareNumbers(r *rand.Rand, contacts []clio.Contact, phoneID *int64) {
	usedCompany := map[int64]bool{}
	touched := map[int]bool{}
	couples, switchboards := 0, 0
	for tries := 0; tries < 20000 && (couples < 14 || switchboards < 10); tries++ {
		i, j := r.IntN(len(contacts)), r.IntN(len(contacts))
		a, b := &contacts[i], &contacts[j]
		if i == j || touched[i] || touched[j] || b.Type != clio.ContactPerson || len(a.PhoneNumbers) == 0 || len(b.PhoneNumbers) >= 3 {
			continue
		}
		switch {
		case couples < 14 && a.Type == clio.ContactPerson:
			home := a.PhoneNumbers[0].Number
			if strings.Contains(home, "'s ") || strings.Contains(home, "ext") || strings.Contains(home, "x") {
				continue
			}
			if r.IntN(2) == 0 {
				home = retype(home)
			}
			*phoneID++
			b.LastName = a.LastName
			b.Name = b.FirstName + " " + b.LastName
			b.PhoneNumbers = append(b.PhoneNumbers, clio.PhoneNumber{
				ID: *phoneID, Number: home, Name: "Home", Primary: len(b.PhoneNumbers) == 0,
			})
			couples++
		case switchboards < 10 && a.Type == clio.ContactCompany && !usedCompany[a.ID]:
			usedCompany[a.ID] = true
			*phoneID++
			b.Company = &clio.Ref{ID: a.ID, Name: a.Name}
			b.PhoneNumbers = append(b.PhoneNumbers, clio.PhoneNumber{
				ID: *phoneID, Number: a.PhoneNumbers[0].Number, Name: "Work", Primary: len(b.PhoneNumbers) == 0,
			})
			switchboards++
		default:
			continue
		}
		touched[i], touched[j] = true, true
	}
}

// retype writes a plain NANP number in another common style, so a shared
// number is not always the same string.
func retype(s string) string {
	d := phone.Digits(s)
	if strings.HasPrefix(s, "+44") || strings.HasPrefix(s, "0") {
		return s
	}
	d = strings.TrimPrefix(strings.TrimPrefix(d, "001"), "1")
	if len(d) != 10 {
		return s
	}
	return fmt.Sprintf("%s.%s.%s", d[:3], d[3:6], d[6:])
}

func sampleMattersFor(r *rand.Rand, users []clio.User, contacts []clio.Contact) []clio.Matter {
	matters := make([]clio.Matter, 0, sampleMatters)
	var clients []int // indexes into contacts
	isClient := map[int]bool{}
	id := int64(30000)
	span := sampleEnd.Add(-24*time.Hour).Sub(sampleStart) / (24 * time.Hour) // days
	for n := 1; n <= sampleMatters; n++ {
		id += 1 + int64(r.IntN(4))
		ci := 0
		if len(clients) > 20 && r.IntN(100) < 38 {
			ci = clients[r.IntN(len(clients))]
		} else {
			for {
				ci = r.IntN(len(contacts))
				if !isClient[ci] {
					break
				}
			}
			isClient[ci] = true
			clients = append(clients, ci)
		}
		client := contacts[ci]
		area := 1 + r.IntN(len(practiceAreas))
		if client.Type == clio.ContactCompany {
			area = companyAreas[r.IntN(len(companyAreas))]
		}
		opened := sampleStart.AddDate(0, 0, int(int64(span)*int64(n)/sampleMatters)-r.IntN(20))
		if opened.Before(sampleStart) {
			opened = sampleStart
		}
		age := sampleEnd.Sub(opened)
		status := clio.MatterOpen
		closedPct := 20
		if age > 3*365*24*time.Hour {
			closedPct = 70
		}
		switch p := r.IntN(100); {
		case p < closedPct:
			status = clio.MatterClosed
		case p < closedPct+10:
			status = clio.MatterPending
		}
		m := clio.Matter{
			ID:            id,
			DisplayNumber: fmt.Sprintf("%05d-%s", n, shortName(client)),
			Description:   matterDescription(r, practiceAreas[area-1], client),
			Status:        status,
			Client:        &clio.Ref{ID: client.ID, Name: client.Name},
			PracticeArea:  &clio.Ref{ID: int64(area), Name: practiceAreas[area-1]},
			OpenDate:      opened.Format(time.DateOnly),
		}
		resp := users[0]
		if r.IntN(100) < 40 {
			resp = users[len(users)-1]
		}
		orig := users[r.IntN(len(users))]
		m.ResponsibleAttorney = &clio.Ref{ID: resp.ID, Name: resp.Name}
		m.OriginatingAttorney = &clio.Ref{ID: orig.ID, Name: orig.Name}
		last := sampleEnd.Add(-time.Hour)
		if status == clio.MatterClosed {
			closed := opened.AddDate(0, 0, 30+r.IntN(700))
			if closed.After(last) {
				closed = last
			}
			m.CloseDate = closed.Format(time.DateOnly)
			last = closed
		}
		activity := opened.Add(time.Duration(r.Int64N(int64(last.Sub(opened)) + 1)))
		if status == clio.MatterClosed {
			activity = last
		}
		m.LastActivityDate = activity.Format(time.DateOnly)
		m.UpdatedAt = activity.Truncate(24 * time.Hour).Add(time.Duration(8*3600+r.IntN(10*3600)) * time.Second)
		matters = append(matters, m)
		contacts[ci].IsClient = true
	}
	return matters
}

// companyAreas are the practice areas (1-based) a Company can be a client in:
// Real Estate, Litigation, Corporate, Employment.
var companyAreas = []int{2, 3, 5, 8}

// shortName is the label in a display number: a Person's last name or the
// first word of a Company's name.
func shortName(c clio.Contact) string {
	name := c.LastName
	if c.Type == clio.ContactCompany || name == "" {
		name, _, _ = strings.Cut(c.Name, " ")
	}
	return strings.ReplaceAll(name, " ", "")
}

func matterDescription(r *rand.Rand, area string, client clio.Contact) string {
	templates := matterDescriptions[area]
	t := templates[r.IntN(len(templates))]
	if strings.Contains(t, "%d") {
		return fmt.Sprintf(t, 1+r.IntN(2400))
	}
	return fmt.Sprintf(t, client.Name)
}
