package tapi

import (
	"testing"
	"time"
)

func TestCallMissedAndDuration(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		call         Call
		wantMissed   bool
		wantDur      time.Duration
		wantRejected bool
	}{
		{"ringing", Call{Direction: DirectionIn, Phase: PhaseRinging, RingAt: t0}, false, 0, false},
		{"active", Call{Direction: DirectionIn, Phase: PhaseActive, RingAt: t0, AnsweredAt: t0}, false, 0, false},
		{"answered and ended", Call{Direction: DirectionIn, Phase: PhaseEnded, RingAt: t0,
			AnsweredAt: t0.Add(5 * time.Second), EndedAt: t0.Add(95 * time.Second)}, false, 90 * time.Second, false},
		{"missed inbound", Call{Direction: DirectionIn, Phase: PhaseEnded, RingAt: t0, EndedAt: t0.Add(time.Minute)}, true, 0, false},
		{"rejected inbound", Call{Direction: DirectionIn, Phase: PhaseEnded, RingAt: t0, EndedAt: t0.Add(time.Second),
			EndReason: EndRejected}, true, 0, true},
		{"rejected but still ringing", Call{Direction: DirectionIn, Phase: PhaseRinging, RingAt: t0,
			EndReason: EndRejected}, false, 0, false},
		{"answered then ended with a reject reason", Call{Direction: DirectionIn, Phase: PhaseEnded, RingAt: t0,
			AnsweredAt: t0, EndedAt: t0.Add(time.Second), EndReason: EndRejected}, false, time.Second, false},
		{"declined outbound is not rejected", Call{Direction: DirectionOut, Phase: PhaseEnded, RingAt: t0,
			EndedAt: t0.Add(time.Second), EndReason: EndRejected}, false, 0, false},
		{"unanswered outbound is not missed", Call{Direction: DirectionOut, Phase: PhaseEnded, RingAt: t0,
			EndedAt: t0.Add(time.Minute)}, false, 0, false},
		{"clock skew never negative", Call{Direction: DirectionIn, Phase: PhaseEnded, RingAt: t0,
			AnsweredAt: t0.Add(time.Minute), EndedAt: t0}, false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.call.Missed(); got != tt.wantMissed {
				t.Errorf("Missed(%+v) = %v, want %v", tt.call, got, tt.wantMissed)
			}
			if got := tt.call.Rejected(); got != tt.wantRejected {
				t.Errorf("Rejected(%+v) = %v, want %v", tt.call, got, tt.wantRejected)
			}
			if got := tt.call.Duration(); got != tt.wantDur {
				t.Errorf("Duration(%+v) = %v, want %v", tt.call, got, tt.wantDur)
			}
		})
	}
}
