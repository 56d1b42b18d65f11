-- Foundation: installation identity, company settings, reference data, users,
-- append-only actual sales, and the outbox that every service write appends to.

-- Key/value facts about this ledger file: client_id (DESIGN §5), last HLC stamp.
CREATE TABLE ledger_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row: the company this ledger belongs to and its fiscal calendar.
CREATE TABLE company_settings (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    company_name            TEXT    NOT NULL CHECK (length(trim(company_name)) > 0),
    currency                TEXT    NOT NULL CHECK (length(currency) = 3),
    fiscal_year_start_month INTEGER NOT NULL CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
    version                 INTEGER NOT NULL DEFAULT 1,
    updated_at              TEXT    NOT NULL
) STRICT;

-- Reference tables share one shape: id (UUID v7), a natural key, a version
-- bumped on every edit (the sync base_version), timestamps and a tombstone.
CREATE TABLE departments (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL COLLATE NOCASE,
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX departments_code ON departments (code);

CREATE TABLE locations (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL COLLATE NOCASE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('branch', 'warehouse')),
    city       TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX locations_code ON locations (code);

CREATE TABLE product_categories (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL COLLATE NOCASE,
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX product_categories_code ON product_categories (code);

CREATE TABLE products (
    id          TEXT PRIMARY KEY,
    sku         TEXT NOT NULL COLLATE NOCASE,
    name        TEXT NOT NULL,
    category_id TEXT NOT NULL REFERENCES product_categories (id),
    unit        TEXT NOT NULL,
    list_price  TEXT NOT NULL, -- exact decimal, never REAL
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;
CREATE UNIQUE INDEX products_sku ON products (sku);
CREATE INDEX products_category ON products (category_id);

CREATE TABLE customers (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL COLLATE NOCASE,
    name        TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('retail', 'wholesale', 'online', 'distributor')),
    location_id TEXT REFERENCES locations (id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;
CREATE UNIQUE INDEX customers_code ON customers (code);

-- Roles are the ids of DESIGN §1: 1 administrator, 2 salesman, 3 manager,
-- 4 supply chain, 5 branch manager. Scope comes from department/location.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    role          INTEGER NOT NULL CHECK (role BETWEEN 1 AND 5),
    department_id TEXT REFERENCES departments (id),
    location_id   TEXT REFERENCES locations (id),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_username ON users (username);

-- Posted actual sales: facts, append-only (DESIGN §4). A mistake is corrected
-- by a reversing entry, so UPDATE and DELETE are refused by the ledger itself.
CREATE TABLE actual_sales (
    id          TEXT PRIMARY KEY,
    period      TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    product_id  TEXT NOT NULL REFERENCES products (id),
    location_id TEXT NOT NULL REFERENCES locations (id),
    salesman_id TEXT REFERENCES users (id),
    customer_id TEXT REFERENCES customers (id),
    quantity    TEXT NOT NULL,
    unit_price  TEXT NOT NULL,
    amount      TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX actual_sales_period ON actual_sales (period);
CREATE INDEX actual_sales_salesman ON actual_sales (salesman_id, period);
CREATE INDEX actual_sales_location ON actual_sales (location_id, period);

CREATE TRIGGER actual_sales_append_only_update BEFORE UPDATE ON actual_sales
BEGIN
    SELECT RAISE(ABORT, 'actual sales are append-only: post a reversing entry instead');
END;
CREATE TRIGGER actual_sales_append_only_delete BEFORE DELETE ON actual_sales
BEGIN
    SELECT RAISE(ABORT, 'actual sales are append-only: post a reversing entry instead');
END;

-- The outbox (DESIGN §5): one record per service write, appended in the same
-- transaction as the write. The audit trail reads these records.
CREATE TABLE outbox (
    mutation_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    op_uuid        TEXT NOT NULL UNIQUE,
    entity         TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    payload        TEXT NOT NULL CHECK (json_valid(payload)),
    base_version   INTEGER,
    hlc            TEXT NOT NULL,
    user_id        TEXT REFERENCES users (id),
    schema_version INTEGER NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acknowledged', 'rejected')),
    recorded_at    TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_entity ON outbox (entity, entity_id);
CREATE INDEX outbox_recorded_at ON outbox (recorded_at);
