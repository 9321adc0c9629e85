package sip

import (
	"testing"
	"time"
)

// FuzzParseDialogInfo: no panic on any body, and a parsed document can be
// applied to the dialog state without panicking or emitting invalid events.
func FuzzParseDialogInfo(f *testing.F) {
	for _, tc := range fixtureTable {
		f.Add(notifyBody(f, tc.file))
	}
	for _, tc := range parseCases {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		info, err := ParseDialogInfo(body)
		if err != nil {
			return
		}
		s := newDialogState()
		for _, ev := range s.apply(info, time.Unix(0, 0)) {
			if err := ev.Validate(); err != nil {
				t.Fatalf("apply(%q) emitted invalid event %+v: %v", body, ev, err)
			}
		}
	})
}
