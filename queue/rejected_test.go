package queue

import "testing"

// A call declined at the phone is its own kind: it is stored, read back
// and claimed as rejected, and a note can refer to it like a missed call.
func TestRejectedItemRoundTrip(t *testing.T) {
	if got, err := ParseKind("rejected"); err != nil || got != KindRejected {
		t.Fatalf("ParseKind(rejected) = %q, %v, want rejected", got, err)
	}
	o, _ := openTest(t)
	declined := call(5)
	declined.Kind, declined.DurationS, declined.EventID = KindRejected, 0, "rejected-x"
	got := mustEnqueue(t, o, declined)
	if again := mustGet(t, o, got.ID); again.Kind != KindRejected {
		t.Errorf("Get(rejected).Kind = %q, want rejected", again.Kind)
	}
	mustEnqueue(t, o, Item{Kind: KindNote, Text: "Call back after 3", RefEventID: "rejected-x", ContactID: 5})
	if first := mustClaim(t, o, "a"); first.Kind != KindRejected || first.EventID != "rejected-x" {
		t.Fatalf("first claim = %s %s, want the rejected call before its note", first.Kind, first.EventID)
	}
}
