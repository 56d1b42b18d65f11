-- Suppliers and what they sell are imported like products (issue #14). SQLite
-- changes a CHECK by rebuilding the table, as V14 did; foreign keys are off
-- while migrations run and are checked whole after them (ledger/mod.rs).
CREATE TABLE imports_rebuilt (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('actuals', 'budget', 'products', 'customers', 'stock',
                                                'locations', 'departments', 'product_categories', 'budget_categories',
                                                'suppliers', 'supplier_products')),
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
INSERT INTO imports_rebuilt (id, kind, file_name, content_hash, sheet, mapping, target_id, rows_read,
                             rows_imported, rows_skipped, imported_by, imported_at, reverses, reversed_at)
    SELECT id, kind, file_name, content_hash, sheet, mapping, target_id, rows_read,
           rows_imported, rows_skipped, imported_by, imported_at, reverses, reversed_at
    FROM imports;
DROP TABLE imports;
ALTER TABLE imports_rebuilt RENAME TO imports;
CREATE INDEX imports_hash ON imports (content_hash);
CREATE UNIQUE INDEX imports_reversal ON imports (reverses) WHERE reverses IS NOT NULL;

CREATE TABLE watched_folders_rebuilt (
    id           TEXT PRIMARY KEY,
    path         TEXT NOT NULL CHECK (length(trim(path)) > 0),
    pattern      TEXT NOT NULL DEFAULT '*' CHECK (length(trim(pattern)) > 0),
    kind         TEXT NOT NULL CHECK (kind IN ('actuals', 'budget', 'products', 'customers', 'stock',
                                               'locations', 'departments', 'product_categories', 'budget_categories',
                                               'suppliers', 'supplier_products')),
    mapping_name TEXT,
    owner_id     TEXT NOT NULL REFERENCES users (id),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    archived_at  TEXT
) STRICT;
INSERT INTO watched_folders_rebuilt (id, path, pattern, kind, mapping_name, owner_id, version,
                                     created_at, updated_at, archived_at)
    SELECT id, path, pattern, kind, mapping_name, owner_id, version, created_at, updated_at, archived_at
    FROM watched_folders;
DROP TABLE watched_folders;
ALTER TABLE watched_folders_rebuilt RENAME TO watched_folders;
