package app

import (
	"testing"
	"time"

	"github.com/calldocket/calldocket/calls"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/ui"
)

// TestServiceDeclinedCalls: a call declined at the phone is logged as a
// rejected item when missed-call logging is on, waits in Review as
// "rejected" when it is off, and its card says Declined.
func TestServiceDeclinedCalls(t *testing.T) {
	for _, logMissed := range []bool{true, false} {
		name := "logging off"
		if logMissed {
			name = "logging on"
		}
		t.Run(name, func(t *testing.T) {
			svc, v, number := testService(t)
			svc.update(func(c *Config) { c.LogMissedCalls = logMissed })
			ctx := t.Context()
			svc.onEvent(ctx, tapi.Event{Source: "sip", CallID: "r1", State: tapi.StateRinging, Remote: number, At: time.Now()})
			svc.onEvent(ctx, tapi.Event{Source: "sip", CallID: "r1", State: tapi.StateEnded, Remote: number, At: time.Now(),
				Reason: tapi.EndRejected})
			cv := v.last()
			if !cv.Declined || !cv.CanCallBack {
				t.Errorf("card = %+v, want Declined with Call back", cv)
			}
			items, _ := svc.outbox.List(ctx, queue.ListOptions{})
			rows, _ := svc.reviewItems(ctx)
			if !logMissed {
				if len(items) != 0 {
					t.Fatalf("outbox = %+v, want nothing with logging off", items)
				}
				if len(rows) != 1 || rows[0].State != ui.StateRejected || rows[0].Kind != ui.KindRejected {
					t.Fatalf("review rows = %+v, want one rejected row", rows)
				}
				if cv.Logged != "Not logged (missed-call logging is off) — it is in Review" {
					t.Errorf("card logged = %q", cv.Logged)
				}
				return
			}
			if len(items) != 1 || items[0].Kind != queue.KindRejected || items[0].ContactID == 0 {
				t.Fatalf("outbox = %+v, want one rejected item with the matched contact", items)
			}
			if _, err := svc.flusher.Drain(ctx, true); err != nil {
				t.Fatal(err)
			}
			rec, err := svc.ledger.ByCallID(ctx, "r1")
			if err != nil {
				t.Fatal(err)
			}
			if rec.Kind != calls.KindRejected || rec.State != calls.StateDelivered {
				t.Fatalf("record = %s %s, want rejected delivered", rec.Kind, rec.State)
			}
			cv = callView(calls.Update{Record: rec}, true, "US")
			if cv.Logged != "Logged to Clio as a declined call" {
				t.Errorf("card logged = %q, want Logged to Clio as a declined call", cv.Logged)
			}
		})
	}
}
