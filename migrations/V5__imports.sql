-- Data sources (DESIGN §2.6): every file import is recorded, its rows carry the
-- import's id, and named column mappings are kept for reuse.

CREATE TABLE imports (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('actuals', 'budget', 'products', 'customers', 'stock')),
    file_name     TEXT NOT NULL,
    -- BLAKE2b-256 of the file's bytes, hex: the same content is recognised on re-import.
    content_hash  TEXT NOT NULL,
    sheet         TEXT,
    mapping       TEXT NOT NULL CHECK (json_valid(mapping)),
    -- Where the rows went when the kind needs a target (a budget's id).
    target_id     TEXT,
    rows_read     INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    rows_skipped  INTEGER NOT NULL,
    imported_by   TEXT NOT NULL REFERENCES users (id),
    imported_at   TEXT NOT NULL,
    -- A reversal is itself recorded: it points to the import it reverses.
    reverses      TEXT REFERENCES imports (id),
    reversed_at   TEXT
) STRICT;
CREATE INDEX imports_hash ON imports (content_hash);
CREATE UNIQUE INDEX imports_reversal ON imports (reverses) WHERE reverses IS NOT NULL;

-- Imported facts name their import; a fingerprint of a sale's content finds a
-- row that is already in the ledger (64 bits of BLAKE2b over its fields).
ALTER TABLE actual_sales ADD COLUMN import_id TEXT REFERENCES imports (id);
-- The day of the sale, when the source gave one (the period is its month).
ALTER TABLE actual_sales ADD COLUMN sold_on TEXT;
ALTER TABLE actual_sales ADD COLUMN fingerprint INTEGER;
CREATE INDEX actual_sales_import ON actual_sales (import_id) WHERE import_id IS NOT NULL;

-- Rows of mutable records an import changed, as they were before it: reversing
-- the import puts them back (a NULL before-image: the import created the row).
CREATE TABLE import_before_images (
    import_id TEXT NOT NULL REFERENCES imports (id),
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before    TEXT CHECK (before IS NULL OR json_valid(before)),
    PRIMARY KEY (import_id, entity, entity_id)
) STRICT;

CREATE TABLE import_mappings (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind       TEXT NOT NULL,
    mapping    TEXT NOT NULL CHECK (json_valid(mapping)),
    created_by TEXT NOT NULL REFERENCES users (id),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX import_mappings_name ON import_mappings (kind, name COLLATE NOCASE);

-- Stock movements (DESIGN §2.4): facts, append-only. On-hand stock is their sum.
CREATE TABLE stock_movements (
    id          TEXT PRIMARY KEY,
    moved_on    TEXT NOT NULL CHECK (moved_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    location_id TEXT NOT NULL REFERENCES locations (id),
    product_id  TEXT NOT NULL REFERENCES products (id),
    -- Signed: a receipt adds, an issue or a sale takes away.
    quantity    TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('receipt', 'issue', 'sale', 'transfer_in', 'transfer_out', 'adjustment', 'count')),
    note        TEXT NOT NULL DEFAULT '',
    import_id   TEXT REFERENCES imports (id),
    fingerprint INTEGER,
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX stock_movements_item ON stock_movements (location_id, product_id, moved_on);
CREATE INDEX stock_movements_import ON stock_movements (import_id) WHERE import_id IS NOT NULL;

CREATE TRIGGER stock_movements_append_only_update BEFORE UPDATE ON stock_movements
BEGIN
    SELECT RAISE(ABORT, 'stock movements are append-only: post a reversing movement instead');
END;
CREATE TRIGGER stock_movements_append_only_delete BEFORE DELETE ON stock_movements
BEGIN
    SELECT RAISE(ABORT, 'stock movements are append-only: post a reversing movement instead');
END;
