package calls

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/calldocket/calldocket/queue"
	"github.com/calldocket/calldocket/tapi"
)

// Digester appends a text message to its contact's daily digest
// (queue.Outbox.AppendDigest); the core uses it when the outbox has it.
type Digester interface {
	AppendDigest(ctx context.Context, key string, it queue.Item, due time.Time) (queue.Item, error)
}

// HandleMessage records a text message and queues it for Clio (a
// Communication, never a time entry), filed under the confident contact and,
// with Matter Association on, the suggested matter. With SMS logging off it
// is not recorded.
func (c *Core) HandleMessage(ctx context.Context, m tapi.Message) (Record, error) {
	s := c.o.Settings()
	if !s.SMSLogging {
		c.log.Info("text message not logged: SMS logging is off", "source", m.Source)
		return Record{}, nil
	}
	id := "sms-" + m.Source + "-" + m.ID
	if m.ID == "" {
		id = "sms-" + randomID()
	}
	r := Record{CallID: id, Kind: KindSMS, State: StateQueued, Source: m.Source, Direction: string(m.Direction),
		Number: m.Remote, E164: m.RemoteE164, CallerName: m.RemoteName, StartedAt: m.At, Text: m.Text,
		DurationKnown: true, Decided: true, EventID: id}
	if r.Direction == "" {
		r.Direction = string(tapi.DirectionIn)
	}
	if r.E164 == "" && c.o.Normalize != nil {
		if e, err := c.o.Normalize(m.Remote, s.DefaultRegion); err == nil {
			r.E164 = e
		}
	}
	if r.StartedAt.IsZero() {
		r.StartedAt = c.o.Now()
	}
	associate(&r, c.lookup(ctx, r.RemoteNumber()), s.MatterAssociation)
	r, created, err := c.o.Ledger.Insert(ctx, r, "text message from "+m.Source)
	if err != nil {
		return Record{}, fmt.Errorf("record text message: %w", err)
	}
	if !created && r.OutboxID != 0 {
		return r, nil // a repeat
	}
	if d, ok := c.o.Outbox.(Digester); ok && s.SMSDailyDigest && r.ContactID != 0 {
		return c.digest(ctx, d, r)
	}
	return c.enqueue(ctx, r)
}

// digest appends the message to its contact's daily digest, delivered as
// one Communication shortly after the day ends.
func (c *Core) digest(ctx context.Context, d Digester, r Record) (Record, error) {
	at := r.StartedAt.In(time.Local)
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.Local)
	arrow := "←"
	if r.Direction == "out" {
		arrow = "→"
	}
	it := queue.Item{EventID: r.EventID}
	c.fillItem(&it, r)
	it.Text = fmt.Sprintf("%s %s %s", at.Format("15:04"), arrow, r.Text)
	key := fmt.Sprintf("sms-%d-%s", r.ContactID, day.Format(time.DateOnly))
	got, err := d.AppendDigest(ctx, key, it, day.AddDate(0, 0, 1).Add(5*time.Minute))
	if err != nil {
		return r, errorf(r.ID, "queue text message", err)
	}
	r, err = c.o.Ledger.Mutate(ctx, r.ID, func(x *Record) (Change, error) {
		x.OutboxID = got.ID
		return Change{}, nil
	})
	if err != nil {
		return r, err
	}
	c.emit(ctx, r)
	return r, nil
}

// Fax is a received fax to log.
type Fax struct {
	Key       string // stable id of the document (its content hash)
	Path      string // the kept copy of the PDF
	Name      string // shown name
	Number    string // the sender, if known
	At        time.Time
	Source    string
	ContactID int64
	MatterID  int64
}

// AddFax records a fax and queues it: a Document in the fax folder of its
// matter, else its contact, linked to a Communication.
func (c *Core) AddFax(ctx context.Context, f Fax) (Record, error) {
	if f.Key == "" || f.Path == "" {
		return Record{}, fmt.Errorf("record fax: %w: no file", ErrInvalid)
	}
	id := "fax-" + f.Key
	r := Record{CallID: id, EventID: id, Kind: KindFax, State: StateQueued, Source: f.Source, Direction: "in",
		Number: f.Number, CallerName: f.Name, StartedAt: f.At, FilePath: f.Path, ContactID: f.ContactID,
		MatterID: f.MatterID, DurationKnown: true, Decided: true}
	if r.StartedAt.IsZero() {
		r.StartedAt = c.o.Now()
	}
	r, created, err := c.o.Ledger.Insert(ctx, r, "fax from "+f.Source)
	if err != nil {
		return Record{}, fmt.Errorf("record fax: %w", err)
	}
	if !created && r.OutboxID != 0 {
		return r, nil
	}
	return c.enqueue(ctx, r)
}

// Entry is a call logged by hand (`calldocket log`), already decided.
type Entry struct {
	Number    string
	Name      string
	Direction string
	At        time.Time
	Duration  time.Duration
	ContactID int64
	MatterID  int64
	Billable  bool
	Note      string
	Source    string
}

// Log records a call logged by hand and queues it, filed under the given
// contact and matter, else the confident match and (Matter Association)
// the suggested matter.
func (c *Core) Log(ctx context.Context, e Entry) (Record, error) {
	s := c.o.Settings()
	if e.Duration < 0 || e.Duration > 24*time.Hour {
		return Record{}, fmt.Errorf("log call: %w: duration %s is not between 0 and 24h", ErrInvalid, e.Duration)
	}
	id := "log-" + randomID()
	r := Record{CallID: id, EventID: "cd-" + strings.TrimPrefix(id, "log-"), Kind: KindCall, State: StateQueued,
		Source: e.Source, Direction: e.Direction, Number: e.Number, CallerName: e.Name, StartedAt: e.At,
		DurationS: int64(e.Duration / time.Second), DurationKnown: true, ContactID: e.ContactID, MatterID: e.MatterID,
		Decided: true, Billable: e.Billable, Note: e.Note}
	if r.Direction == "" {
		r.Direction = string(tapi.DirectionIn)
	}
	if c.o.Normalize != nil {
		if n, err := c.o.Normalize(e.Number, s.DefaultRegion); err == nil {
			r.E164 = n
		}
	}
	if r.MatterID != 0 {
		r.MatterReason = "given on the command line"
	}
	res := c.lookup(ctx, r.RemoteNumber())
	if r.ContactID == 0 {
		associate(&r, res, s.MatterAssociation)
	} else if r.ContactName == "" {
		for _, m := range res.Matches {
			if m.ContactID == r.ContactID {
				r.ContactName = m.Name
			}
		}
	}
	r, _, err := c.o.Ledger.Insert(ctx, r, "logged by hand")
	if err != nil {
		return Record{}, fmt.Errorf("log call: %w", err)
	}
	return c.enqueue(ctx, r)
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
