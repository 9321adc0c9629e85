package deliver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/settings"
)

// TestDeliverFax: a fax becomes a Communication, then a Document in the
// "CallDocket Fax" folder under the matter (else the contact), uploaded in
// three steps and linked to the communication. A second fax reuses the
// folder; a fax whose document create answer is lost is adopted, not
// duplicated; a fax with nowhere to go is parked; faxes never create
// contacts.
func TestDeliverFax(t *testing.T) {
	// The first document create is committed but its answer lost.
	f, c := emulator(t, commitThenDrop("/api/v4/documents"))
	ob := testOutbox(t)
	pdf := filepath.Join(t.TempDir(), "fax.pdf")
	content := []byte("%PDF-1.4\n% CallDocket test fax\n%%EOF\n")
	if err := os.WriteFile(pdf, content, 0o600); err != nil {
		t.Fatal(err)
	}
	call := sampleCall()
	fax := func(id string, contact, matter int64) queue.Item {
		return queue.Item{EventID: id, Kind: queue.KindFax, Number: "+12125550142", Name: "Ann Lee",
			ContactID: contact, MatterID: matter, Direction: "in", StartedAt: call.StartedAt, FilePath: pdf, Source: "folder"}
	}
	opts := settings.Default()
	opts.ContactCreation = true // must not apply to faxes
	mustEnqueue(t, ob, fax("fax-1", call.ContactID, call.MatterID))
	mustEnqueue(t, ob, fax("fax-2", call.ContactID, call.MatterID))
	mustEnqueue(t, ob, fax("fax-3", call.ContactID, 0))
	nowhere := mustEnqueue(t, ob, fax("fax-4", 0, 0))
	for range 3 {
		drainAll(t, ob, c, opts)
	}
	got := mustGet(t, ob, nowhere.ID)
	if got.State != queue.StateFailed || got.LastError != errFaxNowhere.Error() {
		t.Errorf("fax with no contact or matter = %s %q, want parked with %q", got.State, got.LastError, errFaxNowhere)
	}
	docs := f.Documents()
	if len(docs) != 3 {
		t.Fatalf("documents = %d, want 3 (one per filed fax)", len(docs))
	}
	comms := map[int64]clio.Communication{}
	for _, cm := range f.Communications() {
		comms[cm.ID] = cm
	}
	folders := map[int64]bool{}
	for _, d := range docs {
		if !d.Uploaded || string(d.Bytes) != string(content) {
			t.Errorf("document %d: uploaded %t, %d bytes; want the fax uploaded", d.ID, d.Uploaded, len(d.Bytes))
		}
		cm, ok := comms[d.CommunicationID]
		if !ok || !strings.HasPrefix(cm.Subject, "Fax from Ann Lee") {
			t.Errorf("document %d: communication %d (%+v), want a linked fax communication", d.ID, d.CommunicationID, cm)
		}
		folders[d.FolderID] = true
	}
	if len(folders) != 2 {
		t.Errorf("faxes went to %d folders, want 2 (the matter's and the contact's)", len(folders))
	}
	for _, fo := range f.Folders() {
		if fo.Root || !folders[fo.ID] {
			continue
		}
		if fo.Name != settings.DefaultFaxFolder {
			t.Errorf("fax folder named %q, want %q", fo.Name, settings.DefaultFaxFolder)
		}
	}
	if n := len(f.Communications()); n != 3 {
		t.Errorf("communications = %d, want 3", n)
	}
	found, _, _ := c.Contacts.List(t.Context(), &clio.ContactListOptions{Query: "+12125550142"})
	for _, ct := range found {
		if ct.ID > 0 && ct.FirstName == "Ann" && ct.LastName == "Lee" && ct.ID != call.ContactID {
			t.Errorf("a contact was created for a fax: %+v", ct)
		}
	}
}

func TestFaxName(t *testing.T) {
	call := sampleCall()
	tests := []struct {
		name string
		it   queue.Item
		want string
	}{
		{"named", queue.Item{Name: "Ann Lee", StartedAt: call.StartedAt, FilePath: "/x/a.PDF"}, "Fax from Ann Lee 2026-05-04 14.03.pdf"},
		{"number only", queue.Item{Number: "+12125550142", StartedAt: call.StartedAt}, "Fax from +12125550142 2026-05-04 14.03.pdf"},
		{"slashes made safe", queue.Item{Name: "A/B: C", StartedAt: call.StartedAt, FilePath: "f.pdf"}, "Fax from A-B- C 2026-05-04 14.03.pdf"},
		{"nobody, created time", queue.Item{CreatedAt: call.StartedAt}, "Fax 2026-05-04 14.03.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.it.StartedAt = tt.it.StartedAt.UTC()
			tt.it.CreatedAt = tt.it.CreatedAt.UTC()
			if got := faxName(tt.it); got != tt.want {
				t.Errorf("faxName(%+v) = %q, want %q", tt.it, got, tt.want)
			}
		})
	}
}
