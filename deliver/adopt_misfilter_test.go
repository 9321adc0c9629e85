package deliver

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// misbehaving serves the Clio emulator over real HTTP in the mode that
// ignores the lookup filters (external_property_name/value, and
// communication_id on activities) and lists unrelated records first.
func misbehaving(t testing.TB) (*fake.Server, *clio.Client) {
	t.Helper()
	f, err := fake.NewServer(fake.SampleFirm(), fake.Options{Token: "tok", IgnoreExternalFilter: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.Handler())
	t.Cleanup(func() { ts.Close(); f.Close() })
	c, err := clio.NewClient(clio.TokenHTTPClient(t.Context(), "tok"), ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

// otherParty is an open matter of the sample firm, and its client, that
// differ from sampleCall's.
func otherParty(t testing.TB) (contact, matter int64) {
	t.Helper()
	mine := sampleCall()
	for _, m := range fake.SampleFirm().Matters {
		if m.Status == clio.MatterOpen && m.Client != nil && m.Client.ID != mine.ContactID {
			return m.Client.ID, m.ID
		}
	}
	t.Fatal("the sample firm has no second open matter with a client")
	return 0, 0
}

// testFax writes a small PDF and returns its path and bytes.
func testFax(t testing.TB) (string, []byte) {
	t.Helper()
	pdf := filepath.Join(t.TempDir(), "fax.pdf")
	content := []byte("%PDF-1.4\n% CallDocket adoption test fax\n%%EOF\n")
	if err := os.WriteFile(pdf, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return pdf, content
}

// kindItem is sampleCall turned into an item of kind k with event id id.
func kindItem(k queue.Kind, id, pdf string) queue.Item {
	it := sampleCall()
	it.EventID, it.Kind = id, k
	switch k {
	case queue.KindMissed:
		it.DurationS, it.Billable, it.Note = 0, false, ""
	case queue.KindSMS:
		it.DurationS, it.Billable, it.Note, it.Text = 0, false, "", "Running 10 minutes late"
	case queue.KindFax:
		it.DurationS, it.Billable, it.Note, it.FilePath, it.Source = 0, false, "", pdf, "folder"
	}
	return it
}

// seedUnrelated delivers a call, a missed call, an SMS and a fax of
// another client and matter, so Clio holds records (communications, a
// time entry, a tagged fax folder, a finished document) that a lookup
// ignoring its filter returns first.
func seedUnrelated(t *testing.T, ob *queue.Outbox, w *Writer, pdf string) {
	t.Helper()
	contact, matter := otherParty(t)
	for _, k := range []queue.Kind{queue.KindCall, queue.KindMissed, queue.KindSMS, queue.KindFax} {
		it := kindItem(k, "other-"+string(k), pdf)
		it.ContactID, it.MatterID, it.Name = contact, matter, "Bo Other"
		mustEnqueue(t, ob, it)
	}
	if res := drainWith(t, ob, w); res.Delivered != 4 {
		t.Fatalf("seeding the unrelated records: Drain = %+v, want 4 delivered", res)
	}
}

// TestAdoptOnlyOwnRecordsAgainstIgnoredFilter: against a server that
// ignores the lookup filters and lists unrelated records first, a write
// whose answer is lost after Clio stored it is retried. The retry must
// adopt the record it made (its external property holds the item's event
// id; a time entry names its communication; a document is fully uploaded)
// and nothing else: Clio ends with exactly one record of each kind for the
// item, correctly linked, and the unrelated records are left alone.
func TestAdoptOnlyOwnRecordsAgainstIgnoredFilter(t *testing.T) {
	tests := []struct {
		name   string
		kind   queue.Kind
		method string
		path   string
	}{
		{"call, communication answer lost", queue.KindCall, http.MethodPost, "/api/v4/communications"},
		{"call, time entry answer lost", queue.KindCall, http.MethodPost, "/api/v4/activities"},
		{"missed call, communication answer lost", queue.KindMissed, http.MethodPost, "/api/v4/communications"},
		{"sms, communication answer lost", queue.KindSMS, http.MethodPost, "/api/v4/communications"},
		{"fax, communication answer lost", queue.KindFax, http.MethodPost, "/api/v4/communications"},
		{"fax, document answer lost", queue.KindFax, http.MethodPost, "/api/v4/documents"},
		{"fax, upload-complete answer lost", queue.KindFax, http.MethodPatch, "/api/v4/documents"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, c := misbehaving(t)
			ob := testOutbox(t)
			w := New(c, fixed(settings.Default()))
			pdf, content := testFax(t)
			seedUnrelated(t, ob, w, pdf)
			before := snapshot(f)

			f.InjectFaults(fake.Fault{Method: tc.method, PathPrefix: tc.path, Kind: fake.FaultCommitThenDrop, Times: 1})
			const eventID = "mine-1"
			stored := mustEnqueue(t, ob, kindItem(tc.kind, eventID, pdf))
			if res := drainWith(t, ob, w); res.Retrying != 1 {
				t.Fatalf("first Drain = %+v, want a retry after the lost answer", res)
			}
			if got := mustGet(t, ob, stored.ID); !got.Uncertain {
				t.Fatalf("after the lost answer the item is not uncertain: %+v", got)
			}
			if res := drainWith(t, ob, w); res.Delivered != 1 {
				t.Fatalf("second Drain = %+v (last error %q), want 1 delivered", res, mustGet(t, ob, stored.ID).LastError)
			}
			got := mustGet(t, ob, stored.ID)

			// Exactly one communication carries the event id, and the
			// item is pinned to it.
			var mine []clio.Communication
			for _, cm := range f.Communications() {
				if clio.HasExternalProperty(cm.ExternalProperties, EventIDProperty, eventID) {
					mine = append(mine, cm)
				}
			}
			if len(mine) != 1 {
				t.Fatalf("communications with event id %s = %d, want exactly 1", eventID, len(mine))
			}
			comm := mine[0]
			if got.CommunicationID != comm.ID {
				t.Errorf("item pinned to communication %d, want its own %d", got.CommunicationID, comm.ID)
			}
			if n := len(f.Communications()); n != before.comms+1 {
				t.Errorf("communications = %d, want %d (the unrelated ones and one new)", n, before.comms+1)
			}

			acts := f.Activities()
			var linked []clio.Activity
			for _, a := range acts {
				if a.Communication != nil && a.Communication.ID == comm.ID {
					linked = append(linked, a)
				}
			}
			wantActs := 0
			if tc.kind == queue.KindCall {
				wantActs = 1
			}
			if len(linked) != wantActs || len(acts) != before.acts+wantActs {
				t.Errorf("time entries: %d linked to communication %d, %d in all; want %d linked, %d in all",
					len(linked), comm.ID, len(acts), wantActs, before.acts+wantActs)
			}
			if wantActs == 1 && len(linked) == 1 && got.ActivityID != linked[0].ID {
				t.Errorf("item records time entry %d, want its own %d", got.ActivityID, linked[0].ID)
			}

			docs := f.Documents()
			if tc.kind != queue.KindFax {
				if len(docs) != before.docs {
					t.Errorf("documents = %d, want %d (none for a %s)", len(docs), before.docs, tc.kind)
				}
				return
			}
			var myDocs []fake.Document
			for _, d := range docs {
				if clio.HasExternalProperty(d.ExternalProperties, EventIDProperty, eventID) {
					myDocs = append(myDocs, d)
				}
			}
			if len(myDocs) != 1 || len(docs) != before.docs+1 {
				t.Fatalf("documents with event id %s = %d, %d in all; want exactly 1, %d in all", eventID, len(myDocs), len(docs), before.docs+1)
			}
			d := myDocs[0]
			if !d.Uploaded || string(d.Bytes) != string(content) {
				t.Errorf("document %d: uploaded %t, %d bytes; want the fax uploaded", d.ID, d.Uploaded, len(d.Bytes))
			}
			if d.CommunicationID != comm.ID {
				t.Errorf("document %d linked to communication %d, want %d", d.ID, d.CommunicationID, comm.ID)
			}
			if d.MatterID != stored.MatterID {
				t.Errorf("document %d filed under matter %d, want %d (not the other client's fax folder)", d.ID, d.MatterID, stored.MatterID)
			}
			if got.DocumentID != d.ID || !got.Uploaded {
				t.Errorf("item records document %d uploaded %t, want its own %d uploaded", got.DocumentID, got.Uploaded, d.ID)
			}
		})
	}
}

type counts struct{ comms, acts, docs int }

func snapshot(f *fake.Server) counts {
	return counts{len(f.Communications()), len(f.Activities()), len(f.Documents())}
}

// TestNoteFindsItsOwnCommunicationAgainstIgnoredFilter: a note is added to
// the communication of the item it refers to, not to the first one a
// server that ignores the filter lists.
func TestNoteFindsItsOwnCommunicationAgainstIgnoredFilter(t *testing.T) {
	f, c := misbehaving(t)
	ob := testOutbox(t)
	w := New(c, fixed(settings.Default()))
	pdf, _ := testFax(t)
	seedUnrelated(t, ob, w, pdf)
	mustEnqueue(t, ob, kindItem(queue.KindMissed, "mine-missed", pdf))
	mustEnqueue(t, ob, queue.Item{Kind: queue.KindNote, RefEventID: "mine-missed", Text: "called back, all fine"})
	if res := drainWith(t, ob, w); res.Delivered != 2 {
		t.Fatalf("Drain = %+v, want the missed call and its note delivered", res)
	}
	for _, cm := range f.Communications() {
		own := clio.HasExternalProperty(cm.ExternalProperties, EventIDProperty, "mine-missed")
		if has := strings.Contains(cm.Body, "called back, all fine"); has != own {
			t.Errorf("communication %d (own %t) has the note: %t", cm.ID, own, has)
		}
	}
}

// TestUnfinishedFaxDocumentIsFinished: an earlier attempt created the fax
// document but never finished its upload; the retry finishes that document
// (a new version uploaded into it) rather than making a second one, and
// does not take another client's finished document for it.
func TestUnfinishedFaxDocumentIsFinished(t *testing.T) {
	f, c := misbehaving(t)
	ob := testOutbox(t)
	w := New(c, fixed(settings.Default()))
	pdf, content := testFax(t)
	seedUnrelated(t, ob, w, pdf)
	before := snapshot(f)

	// The upload PUT fails once after the document was created: the item
	// has its document recorded, unfinished.
	f.InjectFaults(fake.Fault{Method: http.MethodPut, PathPrefix: "/upload/", Kind: fake.FaultStatus, Status: 503, Times: 1})
	stored := mustEnqueue(t, ob, kindItem(queue.KindFax, "mine-fax", pdf))
	if res := drainWith(t, ob, w); res.Retrying != 1 {
		t.Fatalf("first Drain = %+v, want a retry after the failed upload", res)
	}
	half := mustGet(t, ob, stored.ID)
	if half.DocumentID == 0 || half.Uploaded {
		t.Fatalf("after the failed upload: document %d uploaded %t, want a recorded, unfinished document", half.DocumentID, half.Uploaded)
	}
	if res := drainWith(t, ob, w); res.Delivered != 1 {
		t.Fatalf("second Drain = %+v (last error %q), want 1 delivered", res, mustGet(t, ob, stored.ID).LastError)
	}
	docs := f.Documents()
	if len(docs) != before.docs+1 {
		t.Fatalf("documents = %d, want %d: the unfinished one finished, not a second", len(docs), before.docs+1)
	}
	for _, d := range docs {
		if d.ID == half.DocumentID && (!d.Uploaded || string(d.Bytes) != string(content)) {
			t.Errorf("document %d: uploaded %t, %d bytes; want it finished with the fax", d.ID, d.Uploaded, len(d.Bytes))
		}
	}
	if got := mustGet(t, ob, stored.ID); got.DocumentID != half.DocumentID || !got.Uploaded {
		t.Errorf("item records document %d uploaded %t, want %d uploaded", got.DocumentID, got.Uploaded, half.DocumentID)
	}
}
