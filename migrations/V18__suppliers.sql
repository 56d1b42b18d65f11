-- Suppliers (issue #14): reference data Supply Chain keeps, in the shape
-- every reference table has (id, natural key, version, timestamps, tombstone).
-- The lead time is what an order takes to arrive on average, in days (1-365);
-- its variability the standard deviation of that, in days; the order cost what
-- placing one order costs (the EOQ's fixed cost), in the supplier's currency.
CREATE TABLE suppliers (
    id                  TEXT PRIMARY KEY,
    code                TEXT NOT NULL COLLATE NOCASE,
    name                TEXT NOT NULL,
    contact             TEXT NOT NULL DEFAULT '',
    currency            TEXT NOT NULL CHECK (length(currency) = 3),
    lead_time_days      INTEGER NOT NULL CHECK (lead_time_days BETWEEN 1 AND 365),
    lead_time_sd_days   TEXT NOT NULL DEFAULT '0',
    order_cost          TEXT NOT NULL DEFAULT '0',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    deleted_at          TEXT
) STRICT;
CREATE UNIQUE INDEX suppliers_code ON suppliers (code);

-- What a supplier sells of a product, and on what terms: its own SKU, the cost
-- price (in the supplier's currency), the pack it ships in (orders are whole
-- packs), the minimum order, a lead time of its own when it differs from the
-- supplier's, and whether it is the product's primary source. One line per
-- supplier and product; archived (deleted_at) when no longer bought there.
CREATE TABLE supplier_products (
    id              TEXT PRIMARY KEY,
    supplier_id     TEXT NOT NULL REFERENCES suppliers (id),
    product_id      TEXT NOT NULL REFERENCES products (id),
    supplier_sku    TEXT NOT NULL DEFAULT '',
    cost_price      TEXT NOT NULL,
    pack_size       TEXT NOT NULL DEFAULT '1',
    min_order       TEXT NOT NULL DEFAULT '0',
    lead_time_days  INTEGER CHECK (lead_time_days BETWEEN 1 AND 365),
    is_primary      INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
) STRICT;
CREATE UNIQUE INDEX supplier_products_item ON supplier_products (supplier_id, product_id);
CREATE INDEX supplier_products_product ON supplier_products (product_id);
