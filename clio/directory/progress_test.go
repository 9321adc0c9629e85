package directory

import "testing"

func TestProgressString(t *testing.T) {
	tests := []struct {
		in   Progress
		want string
	}{
		{Progress{Phase: PhaseContacts, Done: 4200, Estimate: 12000}, "Syncing contacts 4,200 / ~12,000"},
		{Progress{Phase: PhaseMatters, Done: 0}, "Syncing matters 0"},
		{Progress{Phase: PhaseContacts, Done: 1234567}, "Syncing contacts 1,234,567"},
		{Progress{Phase: PhaseContacts, Done: 13000, Estimate: 12000}, "Syncing contacts 13,000 / ~13,000"},
		{Progress{Phase: PhaseRelationships, Done: 999, Estimate: 1000}, "Syncing relationships 999 / ~1,000"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}
