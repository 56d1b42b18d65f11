-- Data sources (issue #17): connections to databases, web APIs and document
-- stores whose rows come into the ledger through the import pipeline. A
-- source's definition (connection without its secret, query, import kind and
-- mapping, refresh, schedule, quality rules) is kept as JSON, read back by the
-- same checks that took it in. Its cursor (how far an incremental source has
-- read, and the rows tied at that point) changes only in the transaction that
-- imports the rows it brought. Sources and their jobs stay on this laptop
-- (never synced); the secrets live in the OS keychain, never here.
CREATE TABLE data_sources (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    definition  TEXT NOT NULL CHECK (json_valid(definition) AND json_type(definition) = 'object'),
    owner_id    TEXT NOT NULL REFERENCES users (id),
    cursor      TEXT CHECK (cursor IS NULL OR json_valid(cursor)),
    -- The newest date the source has brought so far (freshness rule).
    newest_date TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    archived_at TEXT
) STRICT;
CREATE UNIQUE INDEX data_sources_name ON data_sources (lower(name)) WHERE archived_at IS NULL;

-- One run of a source, ended: what it read, imported, found in the ledger
-- already and rejected, the cursor before and after, the import it made (if
-- any) and the error or the rules' warnings.
CREATE TABLE source_jobs (
    id            TEXT PRIMARY KEY,
    source_id     TEXT NOT NULL REFERENCES data_sources (id),
    run_by        TEXT NOT NULL REFERENCES users (id),
    started_at    TEXT NOT NULL,
    ended_at      TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('imported', 'nothing_new', 'stopped', 'failed')),
    rows_read     INTEGER NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
    rows_imported INTEGER NOT NULL DEFAULT 0 CHECK (rows_imported >= 0),
    rows_already  INTEGER NOT NULL DEFAULT 0 CHECK (rows_already >= 0),
    rows_rejected INTEGER NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    cursor_before TEXT,
    cursor_after  TEXT,
    import_id     TEXT REFERENCES imports (id),
    attempts      INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    message       TEXT NOT NULL DEFAULT '',
    warnings      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings) AND json_type(warnings) = 'array')
) STRICT;
CREATE INDEX source_jobs_source ON source_jobs (source_id, started_at);
