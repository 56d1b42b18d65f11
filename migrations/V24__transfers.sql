-- Transfers (issue #15): stock moved from one location to another. The status
-- is people's steps (requested, approved, shipped, closed, cancelled); what
-- left and what arrived are stock movements naming the line, so what is in
-- transit is derived, and the laptop that ships and the one that receives
-- never overwrite each other. A line says what it shipped (set as it ships),
-- so the receiving end knows what is on its way without the source's stock.
-- Head office decides each step and movement against the transfer it holds
-- (`salesplan_domain::transfers`).
CREATE TABLE transfers (
    id               TEXT PRIMARY KEY,
    from_location_id TEXT NOT NULL REFERENCES locations (id),
    to_location_id   TEXT NOT NULL REFERENCES locations (id),
    status           TEXT NOT NULL
                     CHECK (status IN ('requested', 'approved', 'shipped', 'closed', 'cancelled')),
    note             TEXT NOT NULL DEFAULT '',
    created_by       TEXT NOT NULL REFERENCES users (id),
    created_at       TEXT NOT NULL,
    approved_by      TEXT REFERENCES users (id),
    approved_at      TEXT,
    shipped_by       TEXT REFERENCES users (id),
    shipped_at       TEXT,
    closed_by        TEXT REFERENCES users (id),
    closed_at        TEXT,
    cancelled_by     TEXT REFERENCES users (id),
    cancelled_at     TEXT,
    cancel_reason    TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    updated_at       TEXT NOT NULL,
    CHECK (from_location_id <> to_location_id)
) STRICT;
CREATE INDEX transfers_from ON transfers (from_location_id, status);
CREATE INDEX transfers_to ON transfers (to_location_id, status);

-- One line per product: how many to move, and once shipped, how many did.
CREATE TABLE transfer_lines (
    id          TEXT PRIMARY KEY,
    transfer_id TEXT NOT NULL REFERENCES transfers (id),
    product_id  TEXT NOT NULL REFERENCES products (id),
    quantity    TEXT NOT NULL,
    shipped     TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;
CREATE UNIQUE INDEX transfer_lines_item ON transfer_lines (transfer_id, product_id);

-- A transfer's movements name its line; what arrived other than as shipped
-- says so (short, damaged, surplus), with the reason in the note.
ALTER TABLE stock_movements ADD COLUMN transfer_line_id TEXT REFERENCES transfer_lines (id);
ALTER TABLE stock_movements ADD COLUMN discrepancy TEXT
    CHECK (discrepancy IN ('short', 'damaged', 'surplus'));
CREATE INDEX stock_movements_transfer_line ON stock_movements (transfer_line_id)
    WHERE transfer_line_id IS NOT NULL;

-- A record between two locations is queued for head office with both.
ALTER TABLE sync_queue ADD COLUMN other_location_id TEXT;

-- Whether stock may be shipped that the books say is not there (a company
-- whose counts lag behind its shelves), and how long a branch plans ahead
-- between deliveries on top of the lane's lead time (the replenishment
-- proposal's review period).
ALTER TABLE company_settings ADD COLUMN allow_negative_stock INTEGER NOT NULL DEFAULT 0
    CHECK (allow_negative_stock IN (0, 1));
ALTER TABLE company_settings ADD COLUMN review_days INTEGER NOT NULL DEFAULT 7
    CHECK (review_days BETWEEN 0 AND 90);

