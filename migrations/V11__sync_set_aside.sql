-- Changes from head office this ledger could not take (issue #23): one that
-- does not parse, breaks a rule or fails to apply is never stored half-way and
-- never silently skipped. It is kept here with its reason, shown in `sync
-- status` and the conflicts list, and the sync that met it says so.
CREATE TABLE sync_set_aside (
    seq          INTEGER PRIMARY KEY,
    op_uuid      TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    set_aside_at TEXT NOT NULL
) STRICT;

-- The head-office address a sync last succeeded with. A ledger whose address
-- changed since asks before any password is sent to the new one.
ALTER TABLE sync_state ADD COLUMN confirmed_url TEXT;
UPDATE sync_state SET confirmed_url = server_url;
