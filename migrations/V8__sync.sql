-- Sync with head office (DESIGN §5), the laptop's side.

-- One row: the server this ledger syncs with, the server epoch it last
-- bootstrapped from and the cursor of the last feed page applied. The sign-in
-- token is never here: it lives in the OS keychain.
CREATE TABLE sync_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    server_url     TEXT,
    username       TEXT,
    epoch          TEXT,
    cursor         INTEGER NOT NULL DEFAULT 0,
    -- Outbox records up to this one were turned into queue rows.
    queued_through INTEGER NOT NULL DEFAULT 0,
    -- Queue rows are numbered on the wire from 1 per client id: wire id = seq - wire_base.
    wire_base      INTEGER NOT NULL DEFAULT 0,
    last_push_at   TEXT,
    last_pull_at   TEXT,
    last_error     TEXT,
    last_error_at  TEXT,
    -- 1 while the feed is read again after head office was restored from a backup.
    sweeping       INTEGER NOT NULL DEFAULT 0 CHECK (sweeping IN (0, 1))
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

-- What this laptop sends, in order: one row per synced change, with the row as
-- the ledger holds it (columns and values) and the scope facts the server
-- checks. An import's rows each get their own. `status` is the server's answer.
CREATE TABLE sync_queue (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id     INTEGER NOT NULL REFERENCES outbox (mutation_id),
    op_uuid       TEXT NOT NULL UNIQUE,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL CHECK (json_valid(payload)),
    base_version  INTEGER,
    hlc           TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    owner_id      TEXT,
    department_id TEXT,
    location_id   TEXT,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
    reason        TEXT,
    answered_at   TEXT
) STRICT;
CREATE INDEX sync_queue_pending ON sync_queue (entity, entity_id) WHERE status = 'pending';
CREATE INDEX sync_queue_rejected ON sync_queue (seq) WHERE status = 'rejected';

-- Fields from head office this version does not know yet: kept, and applied
-- again after an upgrade adds them.
CREATE TABLE sync_parked (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) STRICT;

-- The records the feed named while it is read again after a restore; what the
-- laptop holds beyond them was lost at head office (sync::sweep).
CREATE TABLE sync_seen (
    entity TEXT NOT NULL,
    key    TEXT NOT NULL,
    PRIMARY KEY (entity, key)
) STRICT, WITHOUT ROWID;
