package queue

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkOpenCheck10k measures what checking integrity on open costs
// on an outbox of 10,000 items: quick_check (done on every open) and the
// full integrity_check (not done).
func BenchmarkOpenCheck10k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "outbox.db")
	o, err := Open(b.Context(), path, nil)
	if err != nil {
		b.Fatal(err)
	}
	err = o.inTx(b.Context(), func(tx *sql.Tx) error {
		for i := range 10000 {
			it := call(int64(i + 1))
			it.EventID = fmt.Sprintf("ev-%d", i)
			if _, _, err := o.enqueueTx(b.Context(), tx, it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	o.Close()
	fi, _ := os.Stat(path)
	b.Logf("outbox of 10,000 items: %d KB", fi.Size()/1024)
	for _, pragma := range []string{"quick_check", "integrity_check"} {
		b.Run(pragma, func(b *testing.B) {
			db, err := sql.Open("sqlite", dsn(path))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			for b.Loop() {
				var s string
				if err := db.QueryRowContext(b.Context(), "PRAGMA "+pragma).Scan(&s); err != nil || s != "ok" {
					b.Fatal(s, err)
				}
			}
		})
	}
	b.Run("Open", func(b *testing.B) {
		for b.Loop() {
			o, err := Open(b.Context(), path, nil)
			if err != nil {
				b.Fatal(err)
			}
			o.Close()
		}
	})
}
