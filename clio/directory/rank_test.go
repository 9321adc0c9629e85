package directory

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// rankFirm is firmSource with attorneys, a related-party matter and a
// closed matter, synced through the paged path.
func rankFirm(t *testing.T, opts Options) *Directory {
	t.Helper()
	d, _ := openTest(t, opts)
	f := newPagedFake(50, firmSource())
	f.matters[0].ResponsibleAttorney = &clio.Ref{ID: 77, Name: "Una User"} // 101 open, older activity
	f.matters[2].OriginatingAttorney = &clio.Ref{ID: 77, Name: "Una User"} // 103 pending
	f.matters = append(f.matters, matter(109, 3, "Open", "2026-09-01"))
	f.rels = []Relationship{
		{ID: 1, ContactID: 2, MatterID: 109, Description: "Opposing counsel"}, // Bob on Carol's matter
		{ID: 2, ContactID: 2, MatterID: 106},                                  // and a closed one
	}
	if _, err := d.SyncWith(t.Context(), f, SyncOptions{}); err != nil {
		t.Fatalf("SyncWith() = %v", err)
	}
	return d
}

func matterSummary(ms []Matter) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%d %s", m.ID, m.Reason))
	}
	return out
}

func TestLookupContactRanking(t *testing.T) {
	d := rankFirm(t, firmOptions)
	const number = "212-555-0123" // Alice (active), Ivy (pending, newer), Bob (no matters, older)
	tests := []struct {
		name    string
		logged  int64 // contact RecordLogged for the number first; 0 none
		wantIDs []int64
		reasons []string
	}{
		{"clients with open matters, then most recently updated", 0, []int64{1, 9, 2},
			[]string{"same number, client with open matters", "same number", "same number"}},
		{"last logged first", 2, []int64{2, 1, 9},
			[]string{"same number, last logged for this number", "same number, client with open matters", "same number"}},
		{"a later log wins", 9, []int64{9, 1, 2},
			[]string{"same number, last logged for this number", "same number, client with open matters", "same number"}},
	}
	at := time.Now()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.logged != 0 {
				at = at.Add(time.Minute)
				if err := d.RecordLogged(t.Context(), "+1 (212) 555-0123", tt.logged, 0, at); err != nil {
					t.Fatalf("RecordLogged() = %v", err)
				}
			}
			res, err := d.Lookup(t.Context(), number)
			if err != nil {
				t.Fatalf("Lookup(%q) = %v", number, err)
			}
			var ids []int64
			var reasons []string
			for _, m := range res.Matches {
				ids, reasons = append(ids, m.ContactID), append(reasons, m.Reason)
			}
			if !slices.Equal(ids, tt.wantIDs) || !slices.Equal(reasons, tt.reasons) {
				t.Errorf("Lookup(%q) = %v %q, want %v %q", number, ids, reasons, tt.wantIDs, tt.reasons)
			}
		})
	}
	// An older record does not displace a newer one.
	if err := d.RecordLogged(t.Context(), number, 1, 0, at.Add(-time.Hour)); err != nil {
		t.Fatalf("RecordLogged(older) = %v", err)
	}
	if ids := lookupIDs(t, d, number); ids[0] != 9 {
		t.Errorf("Lookup() after an older log = %v, want 9 still first", ids)
	}
	// Withheld numbers record nothing and match nothing.
	if err := d.RecordLogged(t.Context(), "anonymous", 1, 0, at.Add(time.Hour)); err != nil {
		t.Errorf("RecordLogged(anonymous) = %v", err)
	}
	if n := countRows(t, d, "logged_numbers"); n != 1 {
		t.Errorf("logged_numbers = %d, want 1", n)
	}
}

func TestLookupMatterRanking(t *testing.T) {
	tests := []struct {
		name    string
		opts    LookupOptions
		logged  int64
		number  string
		matters []string
	}{
		{"open before pending, most recent first", LookupOptions{}, 0, "(212) 555-0123",
			[]string{"102 open, most recent activity", "101 open", "103 pending"}},
		{"user's own matter before more recent", LookupOptions{UserID: 77}, 0, "(212) 555-0123",
			[]string{"101 open, you are responsible attorney", "102 open", "103 pending, you are originating attorney"}},
		{"last logged first", LookupOptions{UserID: 77}, 103, "(212) 555-0123",
			[]string{"103 last logged, pending, you are originating attorney", "101 open, you are responsible attorney", "102 open"}},
		{"closed when asked", LookupOptions{IncludeClosed: true}, 0, "(212) 555-0123",
			[]string{"102 open, most recent activity", "101 open", "103 pending", "104 closed"}},
		{"related party", LookupOptions{}, 0, "212.555.0123 (Bob's desk)",
			[]string{"109 open, related party"}},
		{"related party closed when asked", LookupOptions{IncludeClosed: true}, 0, "212.555.0123",
			[]string{"109 open, related party", "106 closed, related party"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := rankFirm(t, firmOptions)
			if tt.logged != 0 {
				if err := d.RecordLogged(t.Context(), tt.number, 1, tt.logged, time.Now()); err != nil {
					t.Fatalf("RecordLogged() = %v", err)
				}
			}
			res, err := d.LookupWith(t.Context(), tt.number, tt.opts)
			if err != nil || len(res.Matches) == 0 {
				t.Fatalf("LookupWith(%q) = %+v, %v", tt.number, res, err)
			}
			m := res.Matches[0]
			if tt.name == "related party" || tt.name == "related party closed when asked" {
				i := slices.IndexFunc(res.Matches, func(m Match) bool { return m.ContactID == 2 })
				if i < 0 {
					t.Fatalf("LookupWith(%q) = %+v, want Bob", tt.number, res.Matches)
				}
				m = res.Matches[i]
				if m.Matters[0].Role != "Opposing counsel" || m.ClientStatus != StatusNotClient {
					t.Errorf("Bob's matter = %+v, status %q, want role Opposing counsel and not a client", m.Matters[0], m.ClientStatus)
				}
			}
			if got := matterSummary(m.Matters); !slices.Equal(got, tt.matters) {
				t.Errorf("LookupWith(%q, %+v) matters = %q, want %q", tt.number, tt.opts, got, tt.matters)
			}
		})
	}
}

func TestLookupUserIDFromOptions(t *testing.T) {
	opts := firmOptions
	opts.UserID = 77
	d := rankFirm(t, opts)
	res, err := d.Lookup(t.Context(), "(212) 555-0123")
	if err != nil || len(res.Matches) == 0 {
		t.Fatalf("Lookup() = %+v, %v", res, err)
	}
	m := res.Matches[0].Matters[0]
	if m.ID != 101 || m.ResponsibleAttorneyID != 77 || m.ResponsibleAttorney != "Una User" {
		t.Errorf("Lookup() first matter = %+v, want 101 with the user as responsible attorney", m)
	}
}

func TestMatterFieldsStored(t *testing.T) {
	d := rankFirm(t, firmOptions)
	res, err := d.LookupWith(t.Context(), "(212) 555-0123", LookupOptions{})
	if err != nil || len(res.Matches) == 0 {
		t.Fatalf("Lookup() = %+v, %v", res, err)
	}
	a := res.Matches[0]
	if a.UpdatedAt.IsZero() || a.Matters[0].LastActivityDate != "2026-11-01" || a.Matters[0].PracticeArea != "Family" {
		t.Errorf("Lookup() Alice = %+v, want updated_at, last activity date and practice area", a)
	}
}
