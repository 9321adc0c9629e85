package calls

import (
	"testing"

	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
)

// TestMissedCallItemNumberIsE164: a missed call logged on its own goes to
// the outbox with its number in E.164 (the settings' region reads numbers
// without a country code), like every other kind, even when its source
// handed over a formatted number as the E.164 one; a number that cannot be
// normalised (withheld) is kept as it came.
func TestMissedCallItemNumberIsE164(t *testing.T) {
	tests := []struct {
		name, region, remote, e164 string
		want                       string
	}{
		{"formatted, given as E.164 by the source", "US", "(917) 555-0255", "(917) 555-0255", "+19175550255"},
		{"formatted, no E.164", "US", "(917) 555-0255", "", "+19175550255"},
		{"the settings' region", "GB", "020 7946 0958", "020 7946 0958", "+442079460958"},
		{"already E.164", "US", "+19175550255", "+19175550255", "+19175550255"},
		{"withheld stays raw", "US", "anonymous", "anonymous", "anonymous"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.set(func(s *settings.Settings) { s.DefaultRegion, s.LogMissedCalls = tt.region, true })
			r.core.o.Normalize = phone.Normalize
			for _, st := range []tapi.State{tapi.StateRinging, tapi.StateEnded} {
				if _, _, err := r.core.HandleEvent(t.Context(), tapi.Event{Source: "hook", CallID: "m1", State: st,
					Direction: tapi.DirectionIn, Remote: tt.remote, RemoteE164: tt.e164, At: r.now()}); err != nil {
					t.Fatal(err)
				}
			}
			if rec := r.get("m1"); rec.Kind != KindMissed || rec.State != StateQueued {
				t.Fatalf("record = %s %s, want a missed call queued", rec.Kind, rec.State)
			}
			items := r.items()
			if len(items) != 1 {
				t.Fatalf("outbox items = %d, want 1", len(items))
			}
			if got := items[0].Number; got != tt.want {
				t.Errorf("missed-call item number = %q, want %q", got, tt.want)
			}
		})
	}
}
