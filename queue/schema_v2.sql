-- Version 2 of the CallDocket outbox: SMS and fax items, multi-step
-- progress, the uncertain-outcome flag, and editable parked items. Never
-- edited once released; later versions are new files.

ALTER TABLE items ADD COLUMN text TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN file_path TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1));
ALTER TABLE items ADD COLUMN contact_created INTEGER NOT NULL DEFAULT 0 CHECK (contact_created IN (0, 1));
ALTER TABLE items ADD COLUMN folder_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN document_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN document_uuid TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1));

-- Version 1 delivered only after posting, and retried an attempt whose
-- outcome was unknown by looking first whenever attempts > 1: keep that
-- caution for items written by version 1 that are still on their way.
UPDATE items SET uncertain = 1 WHERE attempts > 0 AND state IN ('pending', 'delivering', 'failed');

-- The audit trail gains 'update' (an edit from the review list). SQLite
-- cannot alter a CHECK constraint, so the table is rebuilt.
CREATE TABLE events_v2 (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  what TEXT NOT NULL
    CHECK (what IN ('enqueue', 'claim', 'step', 'retry', 'park', 'ack', 'requeue', 'discard', 'update')),
  owner TEXT NOT NULL DEFAULT '',
  attempt INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO events_v2 (id, item_id, at, what, owner, attempt, detail)
  SELECT id, item_id, at, what, owner, attempt, detail FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_item ON events (item_id, id);
