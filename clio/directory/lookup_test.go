package directory

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	d := syncedFirm(t)
	tests := []struct {
		name, number string
		wantNumber   string
		wantIDs      []int64
		strength     string
	}{
		{"exact", "+1 646 555 0199", "+16465550199", []int64{4}, StrengthExact},
		{"exact from other formatting", "(646) 555-0199", "+16465550199", []int64{4}, StrengthExact},
		{"exact with 00 prefix", "00442079460958", "+442079460958", []int64{3}, StrengthExact},
		{"national: GB number dialled without country code", "020 7946 0958", "020 7946 0958", []int64{3}, StrengthNational},
		{"national: stored without country code", "+44 20 7946 0111", "+442079460111", []int64{7}, StrengthNational},
		{"weak: stored number lacks area code", "+1 718 555 0177", "+17185550177", []int64{5}, StrengthWeak},
		{"weak: call lacks area code", "555-0166", "555-0166", []int64{8}, StrengthWeak},
		{"shared number ranks active client first", "+12125550123", "+12125550123", []int64{1, 9, 2}, StrengthExact},
		{"firm number not matched", "212-555-0100", "+12125550100", nil, ""},
		{"firm number suffix not matched", "555-0100", "555-0100", nil, ""},
		{"extension not matched", "4012", "4012", nil, ""},
		{"short number not matched", "555-01", "555-01", nil, ""},
		{"anonymous", "anonymous", "anonymous", nil, ""},
		{"empty", "", "", nil, ""},
		{"unknown number", "+1 415 555 0142", "+14155550142", nil, ""},
		{"different area code is not a suffix match", "+1 415 555 0199", "+14155550199", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := d.Lookup(t.Context(), tt.number)
			if err != nil {
				t.Fatalf("Lookup(%q) = %v", tt.number, err)
			}
			var ids []int64
			for _, m := range res.Matches {
				ids = append(ids, m.ContactID)
				if m.Strength != tt.strength {
					t.Errorf("Lookup(%q) match %d strength = %q, want %q", tt.number, m.ContactID, m.Strength, tt.strength)
				}
				if m.Reason == "" {
					t.Errorf("Lookup(%q) match %d has no reason", tt.number, m.ContactID)
				}
			}
			if !slices.Equal(ids, tt.wantIDs) {
				t.Errorf("Lookup(%q) contacts = %v, want %v", tt.number, ids, tt.wantIDs)
			}
			if res.Number != tt.wantNumber {
				t.Errorf("Lookup(%q).Number = %q, want %q", tt.number, res.Number, tt.wantNumber)
			}
			if res.Matches == nil {
				t.Errorf("Lookup(%q).Matches = nil, want a non-nil slice", tt.number)
			}
		})
	}
}

func TestLookupDisplay(t *testing.T) {
	d := syncedFirm(t)
	tests := []struct{ in, want string }{
		{"+12125550123", "(212) 555-0123"},
		{"00442079460958", "+44 20 7946 0958"},
		{"anonymous", "Withheld"},
		{"4012", "4012"},
	}
	for _, tt := range tests {
		res, err := d.Lookup(t.Context(), tt.in)
		if err != nil || res.Display != tt.want {
			t.Errorf("Lookup(%q).Display = %q, %v, want %q", tt.in, res.Display, err, tt.want)
		}
	}
}

func TestLookupReasons(t *testing.T) {
	d := syncedFirm(t)
	res, err := d.Lookup(t.Context(), "212-555-0123")
	if err != nil {
		t.Fatalf("Lookup() = %v", err)
	}
	want := []string{
		"same number, client with open matters",
		"same number",
		"same number",
	}
	var got []string
	for _, m := range res.Matches {
		got = append(got, m.Reason)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Lookup(%q) reasons = %q, want %q", "212-555-0123", got, want)
	}
	// Ivy (pending, updated later) ranks above Bob (no matters, updated earlier).
	if res.Matches[1].Name != "Ivy Pending" || res.Matches[2].Name != "Bob Shared" {
		t.Errorf("Lookup(%q) order = %s, %s, want Ivy Pending, Bob Shared", "212-555-0123", res.Matches[1].Name, res.Matches[2].Name)
	}

	res, err = d.Lookup(t.Context(), "+1 718 555 0177")
	if err != nil || len(res.Matches) != 1 || res.Matches[0].Reason != "last 7 digits match" {
		t.Errorf("Lookup(%q) = %+v, %v, want one match with reason %q", "+1 718 555 0177", res.Matches, err, "last 7 digits match")
	}
}

func TestLookupClientStatusAndMatters(t *testing.T) {
	d := syncedFirm(t)
	tests := []struct {
		number, status string
		matters        []string // "id reason"
	}{
		{"(212) 555-0123", StatusActive, []string{"102 open, most recent activity", "101 open", "103 pending"}},
		{"+44 20 7946 0958", StatusPending, []string{"105 pending"}},
		{"+1 646 555 0199", StatusPast, nil},
		{"+1 303 555 0166", StatusNotClient, nil},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			res, err := d.Lookup(t.Context(), tt.number)
			if err != nil || len(res.Matches) == 0 {
				t.Fatalf("Lookup(%q) = %+v, %v, want a match", tt.number, res, err)
			}
			m := res.Matches[0]
			if m.ClientStatus != tt.status {
				t.Errorf("Lookup(%q) client status = %q, want %q", tt.number, m.ClientStatus, tt.status)
			}
			var got []string
			for _, mt := range m.Matters {
				got = append(got, fmt.Sprintf("%d %s", mt.ID, mt.Reason))
				if mt.ResponsibleAttorney != "Ann Attorney" || mt.PracticeArea != "Family" {
					t.Errorf("Lookup(%q) matter %d = %+v, want attorney and practice area", tt.number, mt.ID, mt)
				}
			}
			if !slices.Equal(got, tt.matters) {
				t.Errorf("Lookup(%q) matters = %q, want %q", tt.number, got, tt.matters)
			}
			if m.Matters == nil {
				t.Errorf("Lookup(%q) matters = nil, want a non-nil slice", tt.number)
			}
		})
	}
}

func TestLookupStatusCaseInsensitive(t *testing.T) {
	d := syncedFirm(t)
	res, err := d.Lookup(t.Context(), "212-555-0123")
	if err != nil {
		t.Fatalf("Lookup() = %v", err)
	}
	for _, m := range res.Matches {
		if m.ContactID == 9 && (m.ClientStatus != StatusPending || len(m.Matters) != 1 || m.Matters[0].Status != "Pending") {
			t.Errorf("Lookup() Ivy = %+v, want Pending with matter status %q", m, "Pending")
		}
	}
}

func TestLookupGBRegion(t *testing.T) {
	d, _ := openTest(t, Options{DefaultRegion: "GB"})
	if _, err := d.Sync(t.Context(), firmSource(), true); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	for _, n := range []string{"020 7946 0958", "00442079460958", "+44 (0)20 7946 0958"} {
		res, err := d.Lookup(t.Context(), n)
		if err != nil || len(res.Matches) != 1 || res.Matches[0].ContactID != 3 || res.Matches[0].Strength != StrengthExact {
			t.Errorf("Lookup(%q) = %+v, %v, want contact 3 exact", n, res.Matches, err)
		}
	}
}

func TestLookupMinDigits(t *testing.T) {
	d, _ := openTest(t, Options{MinDigits: 10})
	if _, err := d.Sync(t.Context(), firmSource(), true); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	// 7 digits is an internal extension when MinDigits is 10.
	res, err := d.Lookup(t.Context(), "555-0166")
	if err != nil || len(res.Matches) != 0 {
		t.Errorf("Lookup(%q) = %+v, %v, want no match", "555-0166", res.Matches, err)
	}
}

func TestLookupLocalFirmNumber(t *testing.T) {
	d, _ := openTest(t, Options{FirmNumbers: []string{"555-0177"}})
	if _, err := d.Sync(t.Context(), firmSource(), true); err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	// Erin's stored "555-0177" is the firm's local number now: never matched.
	res, err := d.Lookup(t.Context(), "+1 718 555 0177")
	if err != nil || len(res.Matches) != 0 {
		t.Errorf("Lookup(%q) = %+v, %v, want no match", "+1 718 555 0177", res.Matches, err)
	}
}

func TestNumbers(t *testing.T) {
	d := syncedFirm(t)
	got, err := d.Numbers(t.Context(), 3)
	if err != nil {
		t.Fatalf("Numbers(3) = %v", err)
	}
	want := []string{"+12125550123", "+442079460958", "+16465550199"}
	if !slices.Equal(got, want) {
		t.Errorf("Numbers(3) = %q, want %q", got, want)
	}
	all, err := d.Numbers(t.Context(), 100)
	if err != nil {
		t.Fatalf("Numbers(100) = %v", err)
	}
	if slices.Contains(all, "+12125550100") {
		t.Errorf("Numbers(100) = %q, want no firm number", all)
	}
	if len(all) != 4 {
		t.Errorf("Numbers(100) = %q, want 4 distinct numbers", all)
	}
	for _, n := range all {
		if res, err := d.Lookup(t.Context(), n); err != nil || len(res.Matches) == 0 {
			t.Errorf("Lookup(%q) = %+v, %v, want a match for a listed number", n, res, err)
		}
	}
	if got, err := d.Numbers(t.Context(), 0); err != nil || len(got) != 0 {
		t.Errorf("Numbers(0) = %q, %v, want none", got, err)
	}
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{
		"(212) 555-0123", "+1 212-555-0123", "212-555-0123 (Jane's cell)", "Mobile: 212 555 0123",
		"212 555 0123 #4", "001 212 555 0123", "011 44 20 7946 0958", "+44 (0)20 7946 0958",
		"44 20 7946 0958", "1-800-FLOWERS", "tel:+1-212-555-0123;ext=4",
		"<sip:+12125550123@pbx.example.com;user=phone>", "２１２５５５０１２３", "", "anonymous",
		"<sip:anonymous@anonymous.invalid>", "12", "4012", "555-0123", "1234567890123456789012",
		"call me", "--", "555-0166", "+1 718 555 0177", "020 7946 0111", "0000000", "99999999999999999999",
	} {
		f.Add(s)
	}
	d := syncedFirm(f)
	f.Fuzz(func(t *testing.T, number string) {
		res, err := d.Lookup(t.Context(), number)
		if err != nil {
			t.Fatalf("Lookup(%q) = %v", number, err)
		}
		if res.Matches == nil {
			t.Fatalf("Lookup(%q).Matches = nil", number)
		}
		for _, m := range res.Matches {
			if m.Strength != StrengthExact && m.Strength != StrengthNational && m.Strength != StrengthWeak {
				t.Fatalf("Lookup(%q) strength = %q", number, m.Strength)
			}
			if m.ContactID == 6 {
				t.Fatalf("Lookup(%q) matched the firm's own number", number)
			}
		}
		if strings.HasPrefix(res.Number, "+") && res.Display == "" {
			t.Fatalf("Lookup(%q).Display is empty", number)
		}
	})
}
