// Package deliver writes CallDocket's outbox items to Clio Manage. A
// [Writer] is the queue.Deliverer the outbox flusher runs:
//
//   - a call becomes a PhoneCommunication plus a TimeEntry (none below the
//     Settings' MinDurationS);
//   - a missed call or an SMS becomes a PhoneCommunication only;
//   - a fax becomes a PhoneCommunication, then a Document in the fax folder
//     under its matter, else its contact, uploaded in Clio's three steps;
//   - a note (queue.KindNote) is added to the body of the Communication an
//     earlier item created, found by that item's event id.
//
// Every completed step is recorded through the queue.Recorder, so a retry
// resumes where the last attempt stopped. After an attempt whose outcome is
// unknown (queue.Item.Uncertain) the writer first looks for what that
// attempt may have created, by the [EventIDProperty] external property (or,
// for the time entry, by its communication), and adopts it instead of
// posting again. Adoption checks what the lookup returned, since a server
// may ignore the filter and list unrelated records first: a communication
// or document must carry the item's own event id, a time entry must name
// the item's communication, and the fax folder must carry its owner's tag.
// A document found fully uploaded is adopted as it is; a half-made one (no
// version marked fully_uploaded) is finished by uploading a new version
// into it, not made again.
//
// Requests are paced by Clio's X-RateLimit-* headers, short 429 waits are
// spent inside the attempt, and Clio's typed errors are mapped onto the
// outbox's retry semantics (queue.PermanentError, queue.RetryError,
// queue.ErrAuth, queue.ErrUncertain). [PlainError] turns a refusal into the
// one line a person reads.
//
// The package never imports Fyne; it depends on clio, queue and settings.
package deliver
