-- Stock policies (issue #14): how much to keep of each product at each
-- location, and when and how much to order, worked out from the forecast.
--
-- The company's rules: a service level target per ABC class (percent, 50 to
-- 99.9), the yearly holding cost (percent of cost, for the EOQ), the most
-- months of demand one order may bring, the cover above which an item is
-- overstocked, the months without an issue after which stock is dead, and the
-- days stock takes from the warehouse to a branch.
ALTER TABLE company_settings ADD COLUMN service_level_a TEXT NOT NULL DEFAULT '98';
ALTER TABLE company_settings ADD COLUMN service_level_b TEXT NOT NULL DEFAULT '95';
ALTER TABLE company_settings ADD COLUMN service_level_c TEXT NOT NULL DEFAULT '90';
ALTER TABLE company_settings ADD COLUMN holding_cost_percent INTEGER NOT NULL DEFAULT 20
    CHECK (holding_cost_percent BETWEEN 1 AND 100);
ALTER TABLE company_settings ADD COLUMN order_cover_months INTEGER NOT NULL DEFAULT 3
    CHECK (order_cover_months BETWEEN 1 AND 24);
ALTER TABLE company_settings ADD COLUMN overstock_months INTEGER NOT NULL DEFAULT 6
    CHECK (overstock_months BETWEEN 1 AND 60);
ALTER TABLE company_settings ADD COLUMN dead_stock_months INTEGER NOT NULL DEFAULT 6
    CHECK (dead_stock_months BETWEEN 1 AND 60);
ALTER TABLE company_settings ADD COLUMN branch_lead_time_days INTEGER NOT NULL DEFAULT 7
    CHECK (branch_lead_time_days BETWEEN 1 AND 365);

-- The computed policy of each product at each location, with every number it
-- was made of (JSON: demand, lead time, σ and where it came from, z, method,
-- safety stock, reorder point, order quantity). Derived from the forecast and
-- the stock on this laptop, replaced whole after each forecast run and month
-- close; never sent (each ledger works out its own).
CREATE TABLE stock_policies (
    location_id TEXT NOT NULL REFERENCES locations (id),
    product_id  TEXT NOT NULL REFERENCES products (id),
    policy      TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (location_id, product_id)
) STRICT, WITHOUT ROWID;

-- A person's override of a computed policy, with the reason, kept until
-- removed (archived: deleted_at), like a forecast override. Either number may
-- be left to the computation. Synced as plain fields: the last writer wins.
CREATE TABLE stock_policy_overrides (
    id              TEXT PRIMARY KEY,
    location_id     TEXT NOT NULL REFERENCES locations (id),
    product_id      TEXT NOT NULL REFERENCES products (id),
    reorder_point   TEXT,
    order_quantity  TEXT,
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_by      TEXT NOT NULL REFERENCES users (id),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
) STRICT;
CREATE UNIQUE INDEX stock_policy_overrides_item ON stock_policy_overrides (location_id, product_id);
