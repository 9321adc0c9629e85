package directory

import (
	"fmt"
	"strings"
	"testing"
)

// TestQueryPlans checks that every match step is an index search, never a
// scan of phones.
func TestQueryPlans(t *testing.T) {
	d, _ := openTest(t, Options{})
	in := make([]string, weakSlots)
	for i := range in {
		in[i] = "'1234567'"
	}
	steps := map[string]string{
		"direct": "p.e164 = ?1 OR p.national = ?2",
		"weak":   fmt.Sprintf("p.rdigits IN (%s) OR (p.rdigits >= '3210555' AND p.rdigits < '3210555:')", strings.Join(in, ", ")),
	}
	for name, where := range steps {
		t.Run(name, func(t *testing.T) {
			rows, err := d.db.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+fmt.Sprintf(candidateSQL, where, maxCandidates), "+12125550123", "2125550123")
			if err != nil {
				t.Fatalf("explain: %v", err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatalf("scan plan: %v", err)
				}
				plan = append(plan, detail)
			}
			all := strings.Join(plan, "\n")
			t.Logf("%s:\n%s", name, all)
			if strings.Contains(all, "SCAN p") || !strings.Contains(all, "USING INDEX phones_") {
				t.Errorf("plan of %s step =\n%s\nwant an index search on phones", name, all)
			}
		})
	}
}
