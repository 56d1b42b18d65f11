-- Forecast snapshots travel to head office (DESIGN §5): each value is a fact
-- with its own id, so other laptops score the same past forecasts.
ALTER TABLE forecast_snapshots ADD COLUMN id TEXT;

-- Values kept before this version get ids now (random, in UUID form).
DROP TRIGGER forecast_snapshots_append_only_update;
UPDATE forecast_snapshots
SET id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
               || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
CREATE TRIGGER forecast_snapshots_append_only_update BEFORE UPDATE ON forecast_snapshots
BEGIN
    SELECT RAISE(ABORT, 'forecast snapshots are kept as they were taken');
END;

CREATE UNIQUE INDEX forecast_snapshots_id ON forecast_snapshots (id);
CREATE INDEX forecast_snapshots_as_of ON forecast_snapshots (as_of);

-- Changes other laptops made, as received from head office: the audit trail
-- reads them beside this laptop's own outbox ("who changed what, when").
CREATE TABLE sync_received (
    op_uuid     TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    user_id     TEXT,
    -- When it was made (its clock stamp's wall time), UTC.
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX sync_received_recorded ON sync_received (recorded_at);

-- The next rows to push, and the first still waiting, without reading every row ever sent.
CREATE INDEX sync_queue_waiting ON sync_queue (seq) WHERE status = 'pending';
