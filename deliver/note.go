package deliver

import (
	"context"
	"strings"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// noteSep introduces a note added to a communication's body.
const noteSep = "\n\nNote: "

// deliverNote adds a note item's text to the body of the communication the
// item it refers to created, found by that item's event id (its recorded
// CommunicationID is another item's progress). The body becomes the
// original plus "\n\nNote: <text>"; a body that already ends a paragraph
// with that note is left alone, so a repeated attempt changes nothing. A
// communication not in Clio yet gives ErrNoteTargetMissing (retryable).
func (w *Writer) deliverNote(ctx context.Context, it queue.Item, rec queue.Recorder) error {
	text := strings.TrimSpace(it.Text)
	if it.RefEventID == "" || text == "" {
		return &queue.PermanentError{Err: errNoteEmpty}
	}
	var found []clio.Communication
	err := w.call(ctx, false, "look for the communication the note is for", func(ctx context.Context) (*clio.Response, error) {
		var (
			resp *clio.Response
			err  error
		)
		found, resp, err = w.c.Communications.ListByExternalProperty(ctx, EventIDProperty, it.RefEventID)
		return resp, err
	})
	if err != nil {
		return err
	}
	comm, ok := ownCommunication(found, it.RefEventID)
	if !ok {
		return ErrNoteTargetMissing
	}
	if it.CommunicationID != comm.ID {
		if err := rec.RecordProgress(ctx, queue.Progress{CommunicationID: comm.ID}); err != nil {
			return recordError(err)
		}
	}
	if hasNote(comm.Body, text) {
		return nil
	}
	return w.call(ctx, true, "add the note to the communication", func(ctx context.Context) (*clio.Response, error) {
		_, resp, err := w.c.Communications.Update(ctx, comm.ID, &clio.CommunicationUpdate{Body: withNote(comm.Body, text)})
		return resp, err
	})
}

// withNote is body with the note text added as its last paragraph.
func withNote(body, text string) string {
	return body + noteSep + text
}

// hasNote reports whether body holds the note text as a paragraph of its
// own ("\n\nNote: text" followed by the end or a new line), so that "call"
// is not taken for "call back".
func hasNote(body, text string) bool {
	mark := noteSep + text
	for i := 0; i <= len(body); {
		j := strings.Index(body[i:], mark)
		if j < 0 {
			return false
		}
		end := i + j + len(mark)
		if end == len(body) || body[end] == '\n' || body[end] == '\r' {
			return true
		}
		i += j + 1
	}
	return false
}
