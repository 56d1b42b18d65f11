-- Purchase orders (issue #14): what is ordered from a supplier for delivery at
-- a location. The status is a person's steps (draft, sent, cancelled); what
-- has arrived is the receipts, stock movements naming the line they deliver
-- against, so an order's state (partially received, received) is derived and
-- two laptops receiving the same order never overwrite each other. Head
-- office decides each step and each receipt against the order it holds
-- (`salesplan_domain::purchasing`).
CREATE TABLE purchase_orders (
    id            TEXT PRIMARY KEY,
    supplier_id   TEXT NOT NULL REFERENCES suppliers (id),
    location_id   TEXT NOT NULL REFERENCES locations (id),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'cancelled')),
    note          TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    sent_by       TEXT REFERENCES users (id),
    sent_at       TEXT,
    cancelled_by  TEXT REFERENCES users (id),
    cancelled_at  TEXT,
    cancel_reason TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX purchase_orders_location ON purchase_orders (location_id, status);

-- One line per product of an order: how many, at what unit cost (the
-- supplier's currency), expected when. A line taken off a draft is archived.
CREATE TABLE purchase_order_lines (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES purchase_orders (id),
    product_id  TEXT NOT NULL REFERENCES products (id),
    quantity    TEXT NOT NULL,
    unit_cost   TEXT NOT NULL,
    expected_on TEXT NOT NULL CHECK (expected_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;
CREATE UNIQUE INDEX purchase_order_lines_item ON purchase_order_lines (order_id, product_id);

-- A receipt names the order line it delivers against.
ALTER TABLE stock_movements ADD COLUMN order_line_id TEXT REFERENCES purchase_order_lines (id);
CREATE INDEX stock_movements_order_line ON stock_movements (order_line_id) WHERE order_line_id IS NOT NULL;
