package directory

import (
	"slices"
	"testing"
)

func TestSearch(t *testing.T) {
	d := rankFirm(t, firmOptions)
	tests := []struct {
		query string
		want  []int64
	}{
		{"alice", []int64{1}},
		{"ALI", []int64{1}},
		{"a", []int64{1}}, // short: name prefix only
		{"london", []int64{3}},
		{"  dan   past ", []int64{4}},
		{"", nil},
		{"zzz", nil},
		{`"%_`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := d.Search(t.Context(), tt.query, 10)
			if err != nil {
				t.Fatalf("Search(%q) = %v", tt.query, err)
			}
			var ids []int64
			for _, m := range got {
				ids = append(ids, m.ContactID)
				if m.Strength != StrengthName || m.Reason == "" || m.Matters == nil {
					t.Errorf("Search(%q) match = %+v, want strength name, a reason and matters", tt.query, m)
				}
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.query, ids, tt.want)
			}
		})
	}
}

func TestSearchSubstringAndRanking(t *testing.T) {
	d := rankFirm(t, firmOptions)
	// "an" is short: prefix only, none of the names starts with it.
	got, err := d.Search(t.Context(), "an", 10)
	if err != nil || len(got) != 0 {
		t.Errorf("Search(%q) = %+v, %v, want none", "an", got, err)
	}
	// "nver" occurs inside a name only.
	got, err = d.Search(t.Context(), "nver", 10)
	if err != nil || len(got) != 1 || got[0].ContactID != 8 || got[0].Reason != "name contains the search" {
		t.Errorf("Search(%q) = %+v, %v, want Hal Denver by substring", "nver", got, err)
	}
	got, err = d.Search(t.Context(), "Ivy", 10)
	if err != nil || len(got) != 1 || got[0].Reason != "name starts with the search" || got[0].ClientStatus != StatusPending {
		t.Errorf("Search(%q) = %+v, %v, want Ivy, pending client", "Ivy", got, err)
	}
	got, err = d.Search(t.Context(), "e", 2)
	if err != nil || len(got) != 1 || got[0].ContactID != 5 {
		t.Errorf("Search(%q, 2) = %+v, %v, want Erin only", "e", got, err)
	}
}

var searchSeeds = []string{"alice", "ALI", "a", "london", "  dan   past ", "", "zzz", `"%_`, `a"b`, "NEAR(", "*", "o'brien", "ab\\"}

func FuzzSearch(f *testing.F) {
	for _, s := range searchSeeds {
		f.Add(s)
	}
	d := syncedFirm(f)
	f.Fuzz(func(t *testing.T, query string) {
		got, err := d.Search(t.Context(), query, 5)
		if err != nil {
			t.Fatalf("Search(%q) = %v", query, err)
		}
		if got == nil || len(got) > 5 {
			t.Fatalf("Search(%q) = %d results (nil %v), want a slice of at most 5", query, len(got), got == nil)
		}
	})
}
