//go:build unix

package sip

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// TestEndReasonEndToEnd: on the Kamailio rig, the attorney's desk phone
// (extension 1003, a sipp UAS) declines a call with 486 Busy Here and one
// with 603 Decline: both are rejected calls. One it lets ring until the
// caller gives up (CANCEL, 487) is missed. The PBX runs with
// WITH_END_EVENT, which adds RFC 4235's event and code attributes to the
// terminated state; stock Kamailio omits them, and then a declined call
// can only be reported as missed (the "stock" subtest pins that down).
func TestEndReasonEndToEnd(t *testing.T) {
	mpath := requirePeers(t)
	for _, tc := range []struct {
		name     string
		defines  []string
		desk     string // the UAS scenario
		caller   string // the UAC scenario
		rejected bool
		code     string // the final response the PBX annotated the terminated state with, "" for none
	}{
		{"486 busy here", []string{"WITH_END_EVENT"}, "desk_busy.xml", "caller_rejected.xml", true, "486"},
		{"603 decline", []string{"WITH_END_EVENT"}, "desk_decline.xml", "caller_declined.xml", true, "603"},
		{"cancelled by the caller", []string{"WITH_END_EVENT"}, "desk_ring.xml", "caller_cancel.xml", false, "487"},
		{"stock kamailio: 486 says nothing", nil, "desk_busy.xml", "caller_rejected.xml", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := startPBX(t, mpath, false, tc.defines...)
			rec, logs := newRecorder(), &logBuffer{}
			w, err := New(Config{Server: p.addr(), Transport: "udp", AOR: "sip:1003@127.0.0.1", Expires: 60 * time.Second},
				slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- w.Run(ctx, rec.emit) }()
			t.Cleanup(func() {
				cancel()
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					t.Errorf("Run did not return after cancel")
				}
				if t.Failed() {
					t.Logf("watcher log:\n%s", logs.tail(4000))
					t.Logf("kamailio log:\n%s", p.proc.out.tail(4000))
				}
			})
			waitFor(t, "subscription", func() bool { return logsContain(logs, "sip subscription active") })

			sctx, scancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer scancel()
			desk := startSipp(t, tc.desk, "-p", strconv.Itoa(p.deskPort))
			time.Sleep(300 * time.Millisecond) // let sipp bind its port
			caller := startSipp(t, tc.caller, "-s", "1003", "-p", strconv.Itoa(freePort(t)), p.addr())
			ring := rec.next(t, tapi.StateRinging, "")
			if ring.Direction != tapi.DirectionIn || ring.Remote != externalCaller || ring.Local != "1003" {
				t.Fatalf("ringing event = %+v, want inbound from %s to 1003", ring, externalCaller)
			}
			end := rec.next(t, tapi.StateEnded, ring.CallID)
			caller.wait(t, sctx)
			desk.wait(t, sctx)
			want := tapi.EndReason("")
			if tc.rejected {
				want = tapi.EndRejected
			}
			c := rec.call(ring.CallID)
			if end.Reason != want || c.Rejected() != tc.rejected || !c.Missed() || c.Duration() != 0 {
				t.Fatalf("ended event reason %q, call %+v: Rejected() = %v, Missed() = %v; want reason %q, rejected %v, missed",
					end.Reason, c, c.Rejected(), c.Missed(), want, tc.rejected)
			}
			rec.quiet(t, 300*time.Millisecond)
			if annotated := logsContain(p.proc.out, "END_EVENT 1003 code "+tc.code); annotated != (tc.code != "") {
				t.Errorf("PBX annotated the terminated state with %q: %v, want %v", tc.code, annotated, tc.code != "")
			}
		})
	}
}

func logsContain(b *logBuffer, s string) bool { return strings.Contains(b.String(), s) }
