package queue

import (
	"path/filepath"
	"testing"
	"time"
)

func BenchmarkEnqueue(b *testing.B) {
	o := openAt(b, filepath.Join(b.TempDir(), "outbox.db"), nil)
	it := call(1)
	for b.Loop() {
		if _, err := o.Enqueue(b.Context(), it); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClaimAck(b *testing.B) {
	o := openAt(b, filepath.Join(b.TempDir(), "outbox.db"), nil)
	for range b.N {
		mustEnqueue(b, o, call(0))
	}
	b.ResetTimer()
	for range b.N {
		it, err := o.Claim(b.Context(), "bench", time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if err := o.Ack(b.Context(), it.ID, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
