-- Version 1 of the CallDocket outbox. Times are INTEGER unix milliseconds,
-- 0 meaning "not set". Later versions are appended as new migrations in
-- migrate.go; this file is never edited once released.

CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'delivering', 'delivered', 'failed')),

  number TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  contact_id INTEGER NOT NULL DEFAULT 0,
  matter_id INTEGER NOT NULL DEFAULT 0,
  user_id INTEGER NOT NULL DEFAULT 0,
  direction TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL DEFAULT 0,
  duration_s INTEGER NOT NULL DEFAULT 0 CHECK (duration_s >= 0),
  billable INTEGER NOT NULL DEFAULT 0 CHECK (billable IN (0, 1)),
  note TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',

  owner TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  communication_id INTEGER NOT NULL DEFAULT 0,
  activity_id INTEGER NOT NULL DEFAULT 0,

  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  delivered_at INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE UNIQUE INDEX items_event_id ON items (event_id);
CREATE INDEX items_due ON items (state, next_attempt_at, id);
CREATE INDEX items_contact ON items (contact_id, state, id);

-- Audit trail. No foreign key: Discard deletes the item and keeps its events.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  what TEXT NOT NULL
    CHECK (what IN ('enqueue', 'claim', 'step', 'retry', 'park', 'ack', 'requeue', 'discard')),
  owner TEXT NOT NULL DEFAULT '',
  attempt INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX events_item ON events (item_id, id);
