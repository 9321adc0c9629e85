-- Directory schema, version 1. The directory is a rebuildable cache of the
-- user's Clio contacts and matters; times are Unix milliseconds (UTC).

CREATE TABLE contacts (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL DEFAULT '',
	company    TEXT    NOT NULL DEFAULT '',
	type       TEXT    NOT NULL DEFAULT '',
	is_client  INTEGER NOT NULL DEFAULT 0,
	updated_at INTEGER NOT NULL DEFAULT 0,
	sync_gen   INTEGER NOT NULL DEFAULT 0 -- full-sync generation that last saw the row
) STRICT;

-- phones holds every number of a contact as typed in Clio (raw) plus the
-- match keys derived from it: e164 ('' when the number cannot be normalised),
-- national (the national significant number, or the digits without trunk
-- zeros when unparseable) and rdigits (the number's digits reversed, so a
-- suffix lookup is an indexed prefix range scan).
CREATE TABLE phones (
	contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	pos        INTEGER NOT NULL,
	raw        TEXT    NOT NULL,
	e164       TEXT    NOT NULL DEFAULT '',
	national   TEXT    NOT NULL DEFAULT '',
	rdigits    TEXT    NOT NULL DEFAULT '',
	label      TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (contact_id, pos)
) STRICT, WITHOUT ROWID;

CREATE INDEX phones_e164 ON phones (e164);
CREATE INDEX phones_national ON phones (national);
CREATE INDEX phones_rdigits ON phones (rdigits);

-- matters.client_id has no foreign key: contacts and matters sync
-- separately, so a matter may arrive before its client.
CREATE TABLE matters (
	id                   INTEGER PRIMARY KEY,
	client_id            INTEGER,
	display_number       TEXT    NOT NULL DEFAULT '',
	description          TEXT    NOT NULL DEFAULT '',
	status               TEXT    NOT NULL DEFAULT '',
	responsible_attorney TEXT    NOT NULL DEFAULT '',
	originating_attorney TEXT    NOT NULL DEFAULT '',
	practice_area        TEXT    NOT NULL DEFAULT '',
	updated_at           INTEGER NOT NULL DEFAULT 0,
	last_activity_date   TEXT    NOT NULL DEFAULT '', -- YYYY-MM-DD
	sync_gen             INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX matters_client ON matters (client_id, status);

CREATE TABLE sync_state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
