package calls

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/calldocket/calldocket/queue"
)

// AddNote adds the attorney's note to a record. It is kept in the ledger;
// a record already on its way to Clio (or in Clio, like a missed call
// logged on its own) gets a note item that updates its Communication
// there, once: the same note twice is one item.
func (c *Core) AddNote(ctx context.Context, id int64, text string) (Record, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Record{}, fmt.Errorf("add note to call %d: %w: the note is empty", id, ErrInvalid)
	}
	if len(text) > 4000 {
		return Record{}, fmt.Errorf("add note to call %d: %w: the note is longer than 4,000 characters", id, ErrInvalid)
	}
	r, err := c.o.Ledger.Mutate(ctx, id, func(x *Record) (Change, error) {
		if x.State == StateDiscarded {
			return Change{}, &TransitionError{ID: x.ID, From: x.State, Action: "note"}
		}
		for _, line := range strings.Split(x.Note, "\n") {
			if line == text {
				return Change{}, errNoChange // the same note again
			}
		}
		x.Note = strings.TrimSpace(x.Note + "\n" + text)
		return Change{}, nil
	})
	if err != nil {
		return Record{}, errorf(id, "add note to", err)
	}
	if r.OutboxID != 0 && r.EventID != "" {
		sum := sha256.Sum256([]byte(text))
		it := queue.Item{EventID: "note-" + r.EventID + "-" + hex.EncodeToString(sum[:6]), Kind: queue.KindNote,
			RefEventID: r.EventID, Text: text, Number: r.RemoteNumber(), ContactID: r.ContactID,
			Direction: r.Direction, StartedAt: r.StartedAt, Source: r.Source, UserID: c.o.UserID()}
		if _, err := c.o.Outbox.Enqueue(ctx, it); err != nil {
			return r, errorf(id, "queue the note of", err)
		}
		c.kick()
	}
	c.emit(ctx, r)
	return r, nil
}
