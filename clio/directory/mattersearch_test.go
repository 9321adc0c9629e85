package directory

import "testing"

func TestSearchMatters(t *testing.T) {
	d := syncedFirm(t)
	tests := []struct {
		q         string
		wantFirst int64
		wantN     int
	}{
		{"alice", 102, 4},  // by client name: open first (most recent activity), then pending, then closed
		{"carol", 105, 2},  // pending before closed
		{"nobody", 0, 0},   //
		{"", 0, 0},         //
		{`%_\`, 0, 0},      // LIKE wildcards are literal
		{"matter", 102, 8}, // description
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got, err := d.SearchMatters(t.Context(), tt.q, 20)
			if err != nil {
				t.Fatalf("SearchMatters(%q) = %v", tt.q, err)
			}
			if len(got) != tt.wantN {
				t.Fatalf("SearchMatters(%q) = %d matters %+v, want %d", tt.q, len(got), got, tt.wantN)
			}
			if tt.wantN > 0 && got[0].ID != tt.wantFirst {
				t.Errorf("SearchMatters(%q)[0] = %d, want %d", tt.q, got[0].ID, tt.wantFirst)
			}
			for _, h := range got {
				if h.ClientID == 0 || h.ClientName == "" {
					t.Errorf("SearchMatters(%q) hit %+v has no client", tt.q, h)
				}
			}
		})
	}
}
