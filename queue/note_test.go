package queue

import (
	"errors"
	"testing"
)

// A note item keeps its text and the event id it refers to through
// Enqueue, Get, Claim and List, and its reference cannot be edited.
func TestNoteItemRoundTrip(t *testing.T) {
	o, _ := openTest(t)
	missed := call(4)
	missed.Kind, missed.DurationS, missed.EventID = KindMissed, 0, "cd-missed-1"
	mustEnqueue(t, o, missed)
	note := Item{Kind: KindNote, Text: "Wants a call back about the lease", RefEventID: "cd-missed-1", ContactID: 4}
	got := mustEnqueue(t, o, note)
	if got.Kind != KindNote || got.Text != note.Text || got.RefEventID != "cd-missed-1" {
		t.Errorf("Enqueue(note) = %+v, want the text and ref event id kept", got)
	}
	if again := mustGet(t, o, got.ID); again.RefEventID != "cd-missed-1" {
		t.Errorf("Get(note).RefEventID = %q, want cd-missed-1", again.RefEventID)
	}
	// The note waits behind the missed call of the same contact.
	if first := mustClaim(t, o, "a"); first.Kind != KindMissed {
		t.Fatalf("first claim = %s, want the missed call before its note", first.Kind)
	}
	items, err := o.List(t.Context(), ListOptions{})
	if err != nil || len(items) != 2 || items[0].RefEventID != "cd-missed-1" {
		t.Errorf("List() = %+v, %v, want the note first with its ref", items, err)
	}
	err = o.Update(t.Context(), got.ID, func(it *Item) { it.RefEventID = "cd-other" })
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("Update(ref event id) = %v, want ErrInvalid", err)
	}
}

func TestParseKindNote(t *testing.T) {
	for _, k := range kinds {
		got, err := ParseKind(string(k))
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v, want %q", k, got, err, k)
		}
	}
	if got, err := ParseKind("note"); err != nil || got != KindNote {
		t.Errorf("ParseKind(note) = %q, %v, want note", got, err)
	}
}
