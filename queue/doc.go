// Package queue is CallDocket's durable outbox: every confirmed call that
// must reach Clio is written here first, in one SQLite transaction, and a
// [Flusher] delivers it later through a [Deliverer] that the app provides.
//
// The design follows maragudk/goqite: an embedded schema.sql with STRICT
// tables and versioned migrations (PRAGMA user_version), and a claim done by
// one UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING … statement that takes
// a time-limited lease and counts the attempt. Every later write for a claimed
// item (progress, ack, retry, park) succeeds only while the claimer still
// holds an unexpired lease, so two flushers, or a flusher that crashed and
// came back, never both finish the same item. Delivery progress
// (communication and activity ids) is recorded as it happens, so a retry
// resumes where the last attempt stopped instead of posting twice.
//
// The database is opened with journal_mode=WAL and synchronous=FULL: an
// enqueued billable call survives a power cut once Enqueue returns. The file
// is created 0600 in a 0700 directory. Times are stored as INTEGER unix
// milliseconds (0 for the zero time) and come back in the local time zone.
//
// The package imports only the standard library and modernc.org/sqlite; it
// knows nothing of Clio, telephony or the UI.
package queue
