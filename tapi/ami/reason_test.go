package ami

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/tapi"
)

// withCause is a transcript whose Hangup of extension 201's channel carries
// the given cause (the transcripts' own say 16, Normal Clearing).
func withCause(t *testing.T, name, cause, causeText string) []Frame {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	// The first Hangup in each transcript is the one of PJSIP/201.
	s := strings.Replace(string(b), "Cause: 16\nCause-txt: Normal Clearing", "Cause: "+cause+"\nCause-txt: "+causeText, 1)
	frames, skipped, err := readAll(bytes.NewReader([]byte(s)))
	if !errors.Is(err, io.EOF) || skipped != 0 {
		t.Fatalf("transcript %s: %v, %d skipped", name, err, skipped)
	}
	return frames
}

// TestMapperHangupCause: the cause of the Hangup of the attorney's own
// unanswered channel says whether the call was declined at the phone.
func TestMapperHangupCause(t *testing.T) {
	for _, tc := range []struct {
		transcript, cause, text string
		want                    tapi.EndReason
	}{
		{"inbound_missed.txt", "21", "Call Rejected", tapi.EndRejected},
		{"inbound_missed.txt", "17", "User busy", tapi.EndRejected},
		{"inbound_missed.txt", "16", "Normal Clearing", ""},
		{"inbound_missed.txt", "19", "No answer", ""},
		{"inbound_missed.txt", "", "", ""},
		{"inbound_answered.txt", "17", "User busy", ""}, // answered: never declined
	} {
		t.Run(tc.transcript+" cause "+tc.cause, func(t *testing.T) {
			m := newMapper("201")
			var ended []tapi.Event
			for _, f := range withCause(t, tc.transcript, tc.cause, tc.text) {
				for _, ev := range m.handle(f, t0) {
					if ev.State == tapi.StateEnded {
						ended = append(ended, ev)
					}
				}
			}
			if len(ended) != 1 || ended[0].Reason != tc.want {
				t.Fatalf("ended events = %+v, want one with reason %q", ended, tc.want)
			}
			tr := tapi.NewTracker(tapi.TrackerOptions{})
			var c tapi.Call
			m = newMapper("201")
			for _, f := range withCause(t, tc.transcript, tc.cause, tc.text) {
				for _, ev := range m.handle(f, t0) {
					c, _ = tr.Apply(ev)
				}
			}
			if c.Rejected() != (tc.want == tapi.EndRejected) {
				t.Errorf("call %+v: Rejected() = %v, want %v", c, c.Rejected(), tc.want == tapi.EndRejected)
			}
		})
	}
}
