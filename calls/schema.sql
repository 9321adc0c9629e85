CREATE TABLE calls (
  id               INTEGER PRIMARY KEY,
  call_id          TEXT    NOT NULL UNIQUE,
  kind             TEXT    NOT NULL,
  state            TEXT    NOT NULL,
  prev_state       TEXT    NOT NULL DEFAULT '',
  source           TEXT    NOT NULL DEFAULT '',
  source_call_id   TEXT    NOT NULL DEFAULT '',
  direction        TEXT    NOT NULL DEFAULT 'in',
  number           TEXT    NOT NULL DEFAULT '',
  e164             TEXT    NOT NULL DEFAULT '',
  caller_name      TEXT    NOT NULL DEFAULT '',
  started_at       INTEGER NOT NULL,
  answered_at      INTEGER NOT NULL DEFAULT 0,
  ended_at         INTEGER NOT NULL DEFAULT 0,
  duration_s       INTEGER NOT NULL DEFAULT 0,
  duration_known   INTEGER NOT NULL DEFAULT 1,
  contact_id       INTEGER NOT NULL DEFAULT 0,
  contact_name     TEXT    NOT NULL DEFAULT '',
  not_client       INTEGER NOT NULL DEFAULT 0,
  matter_id        INTEGER NOT NULL DEFAULT 0,
  matter_reason    TEXT    NOT NULL DEFAULT '',
  decided          INTEGER NOT NULL DEFAULT 0,
  billable         INTEGER NOT NULL DEFAULT 0,
  note             TEXT    NOT NULL DEFAULT '',
  text             TEXT    NOT NULL DEFAULT '',
  file_path        TEXT    NOT NULL DEFAULT '',
  reason           TEXT    NOT NULL DEFAULT '',
  restored         INTEGER NOT NULL DEFAULT 0,
  outbox_id        INTEGER NOT NULL DEFAULT 0,
  event_id         TEXT    NOT NULL DEFAULT '',
  communication_id INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  changed_at       INTEGER NOT NULL,
  discarded_at     INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX calls_state ON calls (state);
CREATE INDEX calls_started ON calls (started_at);
CREATE INDEX calls_outbox ON calls (outbox_id) WHERE outbox_id != 0;

-- Every change of state, with when and why.
CREATE TABLE call_history (
  id        INTEGER PRIMARY KEY,
  call_row  INTEGER NOT NULL REFERENCES calls (id),
  at        INTEGER NOT NULL,
  action    TEXT    NOT NULL,
  from_state TEXT   NOT NULL,
  to_state  TEXT    NOT NULL,
  detail    TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX call_history_row ON call_history (call_row);
