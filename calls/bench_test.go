package calls

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// BenchmarkEventToLedgerCommit measures the durable write every call event
// pays before it is shown: tracker, ledger transaction (WAL,
// synchronous=FULL) and the view update, for a ringing call. It reports
// p50 and p99 in ms, and the same percentiles of the floor measured in the
// same run, alternating with it: one row inserted and committed on a file
// with the same pragmas. "x-floor-p50/p99" are the ratios.
func BenchmarkEventToLedgerCommit(b *testing.B) {
	r := newRig(b)
	floor, err := sql.Open("sqlite", dsn(filepath.Join(b.TempDir(), "floor.db")))
	if err != nil {
		b.Fatal(err)
	}
	defer floor.Close()
	floor.SetMaxOpenConns(1)
	if _, err := floor.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT"); err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	var lat, base []time.Duration
	i := 0
	for b.Loop() {
		i++
		start := time.Now()
		if _, _, err := r.core.HandleEvent(ctx, tapi.Event{Source: "bench", CallID: fmt.Sprint("b", i),
			State: tapi.StateRinging, Remote: ann, RemoteE164: ann, At: r.now()}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		start = time.Now()
		tx, err := floor.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO t (v) VALUES (?)", fmt.Sprint("b", i)); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		base = append(base, time.Since(start))
	}
	p := func(d []time.Duration, q float64) float64 {
		slices.Sort(d)
		return float64(d[min(len(d)-1, int(float64(len(d))*q))]) / float64(time.Millisecond)
	}
	b.ReportMetric(p(lat, 0.50), "p50-ms")
	b.ReportMetric(p(lat, 0.99), "p99-ms")
	b.ReportMetric(p(base, 0.50), "floor-p50-ms")
	b.ReportMetric(p(base, 0.99), "floor-p99-ms")
	b.ReportMetric(p(lat, 0.50)/p(base, 0.50), "x-floor-p50")
	b.ReportMetric(p(lat, 0.99)/p(base, 0.99), "x-floor-p99")
}
