-- Version 3 of the CallDocket outbox: note items. A note refers to the
-- item whose Communication it is added to by that item's event id. Never
-- edited once released; later versions are new files.

ALTER TABLE items ADD COLUMN ref_event_id TEXT NOT NULL DEFAULT '';
