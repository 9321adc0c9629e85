-- Directory schema, version 2: attorney ids, related-party matters,
-- what the user last logged, and name search.

ALTER TABLE matters ADD COLUMN responsible_attorney_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE matters ADD COLUMN originating_attorney_id INTEGER NOT NULL DEFAULT 0;

CREATE INDEX matters_responsible ON matters (responsible_attorney_id);

-- relationships are the matters a contact is a related party of (Clio's
-- /relationships.json), not the matters it is the client of.
CREATE TABLE relationships (
	id          INTEGER PRIMARY KEY,
	contact_id  INTEGER NOT NULL,
	matter_id   INTEGER NOT NULL,
	description TEXT    NOT NULL DEFAULT '',
	updated_at  INTEGER NOT NULL DEFAULT 0,
	sync_gen    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX relationships_contact ON relationships (contact_id, matter_id);

-- logged_numbers and logged_matters remember what the user confirmed:
-- the contact last logged for a number (its E.164, or national digits when
-- it has none) and the matter last logged for a contact. They are the
-- user's own history, never deleted by a sync.
CREATE TABLE logged_numbers (
	number     TEXT    PRIMARY KEY,
	contact_id INTEGER NOT NULL,
	at         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE logged_matters (
	contact_id INTEGER PRIMARY KEY,
	matter_id  INTEGER NOT NULL,
	at         INTEGER NOT NULL
) STRICT;

-- contacts_fts indexes contact and company names by trigram, so a
-- substring search of three or more characters is an index lookup.
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
	name, company, content = 'contacts', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
	INSERT INTO contacts_fts (rowid, name, company) VALUES (new.id, new.name, new.company);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
	INSERT INTO contacts_fts (contacts_fts, rowid, name, company) VALUES ('delete', old.id, old.name, old.company);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, company ON contacts BEGIN
	INSERT INTO contacts_fts (contacts_fts, rowid, name, company) VALUES ('delete', old.id, old.name, old.company);
	INSERT INTO contacts_fts (rowid, name, company) VALUES (new.id, new.name, new.company);
END;
INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');

CREATE INDEX contacts_name ON contacts (name COLLATE NOCASE);

-- Matters stored by version 1 lack the attorney ids: read everything again.
DELETE FROM sync_state WHERE key = 'last_sync_start';
