package directory

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

const (
	benchContacts = 100_000
	benchNumbers  = 250_000
)

// benchPhone is one generated number: how it is stored and how a call
// from it could arrive.
type benchPhone struct {
	raw            string
	e164, national string
	call           string // as the phone system would present it
}

// genPhone makes the i-th number deterministically: mostly US numbers,
// every 20th a London number, every 25th a local number without area code,
// every 50th shared with the number before it (a company's main line).
func genPhone(i int) benchPhone {
	if i%50 == 11 {
		return genPhone(i - 1)
	}
	x := uint64(i)*2654435761 + 12345
	areas := []string{"212", "646", "718", "303", "415", "312", "617", "202", "305", "512"}
	area := areas[x%uint64(len(areas))]
	local := fmt.Sprintf("%03d%04d", 200+(x/10)%800, (x/8000)%10000)
	switch {
	case i%20 == 7:
		sub := fmt.Sprintf("%04d%04d", (x/7)%10000, i%10000)
		return benchPhone{raw: "+44 (0)20 " + sub[:4] + " " + sub[4:], e164: "+4420" + sub, national: "20" + sub, call: "+4420" + sub}
	case i%25 == 3:
		return benchPhone{raw: local[:3] + "-" + local[3:], national: local, call: "+1" + area + local}
	}
	e := "+1" + area + local
	return benchPhone{raw: "(" + area + ") " + local[:3] + "-" + local[3:], e164: e, national: area + local, call: e}
}

func (p benchPhone) row() phoneRow {
	digits := p.national
	if p.e164 != "" {
		digits = p.e164[1:]
	}
	return phoneRow{e164: p.e164, national: p.national, rdigits: reverse(digits)}
}

// buildBenchDirectory fills d with benchContacts contacts holding
// benchNumbers numbers and about 50,000 matters, in one transaction.
func buildBenchDirectory(tb testing.TB, ctx context.Context, d *Directory) []benchPhone {
	tb.Helper()
	phones := make([]benchPhone, benchNumbers)
	for i := range phones {
		phones[i] = genPhone(i)
	}
	// The shortcut keys above must agree with the real normaliser.
	for _, i := range []int{0, 1, 3, 7, 28, 47} {
		if got, want := phoneRowFor(phones[i].raw, "US"), phones[i].row(); got != want {
			tb.Fatalf("phoneRowFor(%q) = %+v, want %+v", phones[i].raw, got, want)
		}
	}
	err := inTx(ctx, d.db, func(tx *sql.Tx) error {
		// Build the indexes after the rows (a sort instead of random
		// inserts), from the schema's own definitions.
		indexes, err := dropIndexes(ctx, tx)
		if err != nil {
			return err
		}
		insC, err := tx.PrepareContext(ctx, upsertContactSQL)
		if err != nil {
			return err
		}
		insP, err := tx.PrepareContext(ctx, insertPhoneSQL)
		if err != nil {
			return err
		}
		insM, err := tx.PrepareContext(ctx, upsertMatterSQL)
		if err != nil {
			return err
		}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
		p, mid := 0, int64(1)
		statuses := []string{"Open", "Pending", "Closed", "Open", "Closed"}
		for c := range benchContacts {
			id := int64(c + 1)
			if _, err := insC.ExecContext(ctx, id, fmt.Sprintf("Contact %d", id), "", "Person", c%3 == 0, base+int64(c)*1000, 1); err != nil {
				return err
			}
			n := 2 + c%2 // 2 or 3 numbers: 250,000 over 100,000 contacts
			if c%2 == 1 && p+n > benchNumbers-(benchContacts-c-1)*2 {
				n = 2
			}
			for j := 0; j < n && p < benchNumbers; j++ {
				r := phones[p].row()
				if _, err := insP.ExecContext(ctx, id, j, phones[p].raw, r.e164, r.national, r.rdigits, "Work"); err != nil {
					return err
				}
				p++
			}
			if c%2 == 0 {
				for k := range 1 + c%3 {
					st := statuses[(c+k)%len(statuses)]
					if _, err := insM.ExecContext(ctx, mid, id, fmt.Sprintf("%05d", mid), "Matter", st, "Ann Attorney", "", "Family",
						base+int64(mid)*1000, fmt.Sprintf("2026-%02d-%02d", 1+mid%12, 1+mid%28), 1, 1+mid%3, 0); err != nil {
						return err
					}
					mid++
				}
			}
		}
		for _, ix := range indexes {
			if _, err := tx.ExecContext(ctx, ix); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "ANALYZE")
		return err
	})
	if err != nil {
		tb.Fatalf("build bench directory: %v", err)
	}
	return phones
}

// dropIndexes drops the schema's explicit indexes and returns their SQL.
func dropIndexes(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

// BenchmarkLookup measures Lookup on a directory of 100,000 contacts and
// 250,000 numbers, per kind of match, reporting p50 and p99 latency.
func BenchmarkLookup(b *testing.B) {
	ctx := b.Context()
	d, err := Open(ctx, filepath.Join(b.TempDir(), "directory.db"), Options{DefaultRegion: "US"}, nil)
	if err != nil {
		b.Fatalf("Open() = %v", err)
	}
	defer d.Close()
	start := time.Now()
	phones := buildBenchDirectory(b, ctx, d)
	b.Logf("built %d contacts / %d numbers in %v", benchContacts, benchNumbers, time.Since(start).Round(time.Millisecond))

	var exact, national, weak, miss []string
	for i := 0; len(exact) < 1000 || len(national) < 1000 || len(weak) < 1000; i += 7 {
		p := phones[i%len(phones)]
		switch {
		case p.e164 != "" && p.e164[:3] == "+44":
			national = append(national, "0"+p.national) // GB number dialled nationally, read as US
		case p.e164 == "":
			weak = append(weak, p.call)
		case i%2 == 0:
			exact = append(exact, p.raw)
		default:
			exact = append(exact, p.call)
		}
	}
	for i := range 1000 {
		miss = append(miss, fmt.Sprintf("+1 907 %03d %04d", 200+i%800, i))
	}
	mixed := slices.Concat(exact[:600], national[:100], weak[:100], miss[:200])

	for _, bc := range []struct {
		name    string
		numbers []string
	}{
		{"exact", exact}, {"national", national}, {"weak", weak}, {"miss", miss}, {"mixed", mixed},
	} {
		b.Run(bc.name, func(b *testing.B) {
			// Every number of the kind must behave as its kind.
			for _, n := range bc.numbers[:20] {
				res, err := d.Lookup(ctx, n)
				if err != nil {
					b.Fatalf("Lookup(%q) = %v", n, err)
				}
				if bc.name != "mixed" && bc.name != "miss" && (len(res.Matches) == 0 || res.Matches[0].Strength != bc.name) {
					b.Fatalf("Lookup(%q) = %+v, want a %s match", n, res.Matches, bc.name)
				}
				if bc.name == "miss" && len(res.Matches) != 0 {
					b.Fatalf("Lookup(%q) = %+v, want no match", n, res.Matches)
				}
			}
			durs := make([]time.Duration, 0, 1<<16)
			i := 0
			for b.Loop() {
				t := time.Now()
				if _, err := d.Lookup(ctx, bc.numbers[i%len(bc.numbers)]); err != nil {
					b.Fatalf("Lookup() = %v", err)
				}
				durs = append(durs, time.Since(t))
				i++
			}
			slices.Sort(durs)
			pct := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Nanoseconds()) }
			b.ReportMetric(pct(0.50), "p50-ns/op")
			b.ReportMetric(pct(0.99), "p99-ns/op")
		})
	}
}
