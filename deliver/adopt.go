package deliver

import "github.com/calldocket/calldocket/clio"

// Adoption after an uncertain write takes only a record that is certainly
// this item's: a server may ignore the lookup filter (the spec lets it drop
// query parameters it does not know) and list unrelated records first, so
// what a lookup returns is checked again here.

// ownCommunication returns the first communication whose external
// property EventIDProperty is eventID.
func ownCommunication(found []clio.Communication, eventID string) (clio.Communication, bool) {
	for _, c := range found {
		if c.ID > 0 && clio.HasExternalProperty(c.ExternalProperties, EventIDProperty, eventID) {
			return c, true
		}
	}
	return clio.Communication{}, false
}

// ownTimeEntry returns the id of the first time entry linked to
// communication commID, or 0. Time entries have no external properties;
// the link to the item's own communication is what identifies them.
func ownTimeEntry(found []clio.Activity, commID int64) int64 {
	for _, a := range found {
		if a.ID > 0 && a.Communication != nil && a.Communication.ID == commID &&
			(a.Type == "" || a.Type == clio.ActivityTimeEntry) {
			return a.ID
		}
	}
	return 0
}

// ownDocument returns the document whose external property EventIDProperty
// is eventID: the recorded one (recorded, when not 0) if it is among them,
// else the first.
func ownDocument(found []clio.Document, eventID string, recorded int64) (clio.Document, bool) {
	var (
		first clio.Document
		ok    bool
	)
	for _, d := range found {
		if d.ID <= 0 || !clio.HasExternalProperty(d.ExternalProperties, EventIDProperty, eventID) {
			continue
		}
		if d.ID == recorded {
			return d, true
		}
		if !ok {
			first, ok = d, true
		}
	}
	return first, ok
}

// fullyUploaded reports whether d's latest version is complete.
func fullyUploaded(d clio.Document) bool {
	return d.LatestDocumentVersion != nil && d.LatestDocumentVersion.FullyUploaded
}
