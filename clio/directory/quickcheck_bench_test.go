package directory

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/calldocket/calldocket/internal/sqlitefile"
)

// BenchmarkOpenCheck: what the integrity check on open costs on a large
// directory (100,000 contacts, 250,000 numbers).
func BenchmarkOpenCheck(b *testing.B) {
	path := filepath.Join(b.TempDir(), "directory.db")
	d, err := Open(b.Context(), path, Options{DefaultRegion: "US"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	buildBenchDirectory(b, b.Context(), d)
	d.Close()
	fi, _ := os.Stat(path)
	b.Logf("directory: %d MB", fi.Size()>>20)
	b.Run("Open", func(b *testing.B) {
		for b.Loop() {
			d, err := Open(b.Context(), path, Options{DefaultRegion: "US"}, nil)
			if err != nil {
				b.Fatal(err)
			}
			d.Close()
		}
	})
	b.Run("quick_check", func(b *testing.B) {
		d, err := Open(b.Context(), path, Options{DefaultRegion: "US"}, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer d.Close()
		for b.Loop() {
			if err := sqlitefile.Check(b.Context(), d.db, "directory", path); err != nil {
				b.Fatal(err)
			}
		}
	})
}
