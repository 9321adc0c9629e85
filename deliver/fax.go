package deliver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// ensureFaxDocument files the fax: the folder, the document record, the
// upload and its completion, each recorded as it is done.
func (w *Writer) ensureFaxDocument(ctx context.Context, it queue.Item, folderName string, rec queue.Recorder) error {
	if it.Uploaded {
		return nil
	}
	f, err := os.Open(it.FilePath)
	if err != nil {
		return &queue.PermanentError{Err: fmt.Errorf("fax file cannot be read: %w", err)}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return &queue.PermanentError{Err: fmt.Errorf("fax file cannot be read: %w", err)}
	}

	folderID := it.FolderID
	if folderID == 0 && it.DocumentID == 0 {
		if folderID, err = w.faxFolder(ctx, it, folderName); err != nil {
			return err
		}
		if err := rec.RecordProgress(ctx, queue.Progress{FolderID: folderID}); err != nil {
			return recordError(err)
		}
	}

	docID, uuid := it.DocumentID, it.DocumentUUID
	var version *clio.DocumentVersion
	if it.Uncertain || docID != 0 {
		// Resuming a recorded document: its unfinished version's put_url
		// is there, or an earlier attempt finished without recording it.
		// Only a document tagged with this item's event id is taken: a
		// finished one is adopted as it is, a half-made one is finished
		// (a new version uploaded into it) rather than made again.
		var found []clio.Document
		err := w.call(ctx, false, "look for an earlier fax document", func(ctx context.Context) (*clio.Response, error) {
			var (
				resp *clio.Response
				err  error
			)
			found, resp, err = w.c.Documents.FindByExternalProperty(ctx, EventIDProperty, it.EventID)
			return resp, err
		})
		if err != nil {
			return err
		}
		if d, ok := ownDocument(found, it.EventID, docID); ok {
			docID, version = d.ID, d.LatestDocumentVersion
		}
	}
	if docID == 0 {
		name := faxName(it)
		err := w.call(ctx, true, "create the fax document", func(ctx context.Context) (*clio.Response, error) {
			doc, resp, err := w.c.Documents.Create(ctx, &clio.DocumentCreate{
				Name: name, Filename: name, ContentType: "application/pdf",
				Parent: clio.Parent{ID: folderID, Type: clio.ParentFolder}, ReceivedAt: it.StartedAt,
				CommunicationID:    it.CommunicationID,
				ExternalProperties: []clio.ExternalProperty{{Name: EventIDProperty, Value: it.EventID}},
			})
			if err == nil {
				docID, version = doc.ID, doc.LatestDocumentVersion
			}
			return resp, err
		})
		if err != nil {
			return err
		}
	}
	if version != nil && version.FullyUploaded {
		return recordError(rec.RecordProgress(ctx, queue.Progress{DocumentID: docID, Uploaded: true}))
	}
	if version == nil || version.PutURL == "" || version.UUID == "" {
		// Resuming: a put_url lasts 10 minutes and is not kept, so ask for
		// a new version of the same document to upload into.
		err := w.call(ctx, true, "ask Clio where to upload the fax", func(ctx context.Context) (*clio.Response, error) {
			doc, resp, err := w.c.Documents.Create(ctx, &clio.DocumentCreate{
				Name: faxName(it), Filename: faxName(it), ContentType: "application/pdf",
				Parent: clio.Parent{ID: docID, Type: clio.ParentDocument},
			})
			if err == nil {
				version = doc.LatestDocumentVersion
			}
			return resp, err
		})
		if err != nil {
			return err
		}
		if version == nil || version.PutURL == "" || version.UUID == "" {
			return fmt.Errorf("clio gave no upload address for the fax")
		}
	}
	uuid = version.UUID
	if err := rec.RecordProgress(ctx, queue.Progress{DocumentID: docID, DocumentUUID: uuid}); err != nil {
		return recordError(err)
	}

	// A PUT may be repeated safely. An expired put_url (a 403 from
	// storage) or a hiccup is retried; the next attempt asks for a fresh
	// address.
	if err := w.c.Documents.Upload(ctx, version.PutURL, version.PutHeaders, f, st.Size()); err != nil {
		return fmt.Errorf("upload the fax: %w", err)
	}
	err = w.call(ctx, true, "mark the fax uploaded", func(ctx context.Context) (*clio.Response, error) {
		_, resp, err := w.c.Documents.MarkUploaded(ctx, docID, uuid)
		return resp, err
	})
	if err != nil && clio.IsPermanent(err) && it.Uncertain {
		// Marking a finished version again is an error: an earlier attempt
		// may have done it. Check before giving up.
		var found []clio.Document
		if ferr := w.call(ctx, false, "check the fax document", func(ctx context.Context) (*clio.Response, error) {
			var (
				resp *clio.Response
				err  error
			)
			found, resp, err = w.c.Documents.FindByExternalProperty(ctx, EventIDProperty, it.EventID)
			return resp, err
		}); ferr == nil {
			if d, ok := ownDocument(found, it.EventID, docID); ok && d.ID == docID && fullyUploaded(d) {
				err = nil
			}
		}
	}
	if err != nil {
		return err
	}
	return recordError(rec.RecordProgress(ctx, queue.Progress{Uploaded: true}))
}

// faxFolder finds or creates the fax folder under the item's matter, else
// its contact: first by CallDocket's tag, then by name, then it makes one
// (tagged, so the next fax finds it).
func (w *Writer) faxFolder(ctx context.Context, it queue.Item, name string) (int64, error) {
	owner := clio.Parent{ID: it.ContactID, Type: clio.ParentContact}
	tag := fmt.Sprintf("contact-%d", it.ContactID)
	if it.MatterID != 0 {
		owner = clio.Parent{ID: it.MatterID, Type: clio.ParentMatter}
		tag = fmt.Sprintf("matter-%d", it.MatterID)
	}
	var tagged []clio.Folder
	err := w.call(ctx, false, "look for the fax folder", func(ctx context.Context) (*clio.Response, error) {
		var (
			resp *clio.Response
			err  error
		)
		tagged, resp, err = w.c.Folders.FindByExternalProperty(ctx, faxFolderProperty, tag)
		return resp, err
	})
	if err != nil {
		return 0, err
	}
	for _, f := range tagged {
		// A server that ignores the filter lists other owners' folders
		// too: only this owner's tag will do.
		if f.Name == name && f.ID > 0 && clio.HasExternalProperty(f.ExternalProperties, faxFolderProperty, tag) {
			return f.ID, nil
		}
	}
	var named []clio.Folder
	err = w.call(ctx, false, "look for the fax folder by name", func(ctx context.Context) (*clio.Response, error) {
		var err error
		named, err = w.c.Folders.Find(ctx, owner, name)
		return nil, err
	})
	if err != nil {
		return 0, err
	}
	if len(named) > 0 {
		return named[0].ID, nil
	}
	var id int64
	err = w.call(ctx, true, "create the fax folder", func(ctx context.Context) (*clio.Response, error) {
		f, resp, err := w.c.Folders.Create(ctx, &clio.FolderCreate{
			Name: name, Parent: owner,
			ExternalProperties: []clio.ExternalProperty{{Name: faxFolderProperty, Value: tag}},
		})
		if err == nil {
			id = f.ID
		}
		return resp, err
	})
	return id, err
}

// faxName is the document's name: "Fax from NAME 2026-05-04 14.03.pdf".
func faxName(it queue.Item) string {
	who := it.Name
	if who == "" {
		who = it.Number
	}
	when := it.StartedAt
	if when.IsZero() {
		when = it.CreatedAt
	}
	base := "Fax"
	if who != "" {
		base += " from " + who
	}
	base += " " + when.Format("2006-01-02 15.04")
	base = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || unicode.IsControl(r) {
			return '-'
		}
		return r
	}, base)
	ext := strings.ToLower(filepath.Ext(it.FilePath))
	if ext == "" {
		ext = ".pdf"
	}
	return base + ext
}
