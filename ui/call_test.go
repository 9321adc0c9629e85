package ui

import (
	"testing"
	"time"
)

// TestTalkTimeAgreesWithLedger: the card shows the duration the ledger,
// the outbox and Clio's Time Entry get (rounded to the second): a call of
// 17.6 s is 0:18 everywhere, never 0:17 on the card.
func TestTalkTimeAgreesWithLedger(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		talk time.Duration
		want time.Duration
	}{
		{17600 * time.Millisecond, 18 * time.Second},
		{17400 * time.Millisecond, 17 * time.Second},
		{500 * time.Millisecond, time.Second},
		{0, 0},
	} {
		v := CallView{AnsweredAt: t0, EndedAt: t0.Add(tt.talk)}
		if got, ledger := talkTime(v), tt.talk.Round(time.Second); got != tt.want || got != ledger {
			t.Errorf("talkTime(%v) = %v, want %v (the ledger's %v)", tt.talk, got, tt.want, ledger)
		}
	}
}
