-- Saved reports (issue #16): what a report asks (measures, rows, columns,
-- filters, period, comparison, chart: the JSON of a domain ReportDefinition),
-- never its figures. A person's own; shared, every user may run it, each in
-- their own scope. Synced (entity saved_report); deleted by a tombstone so
-- the deletion travels too. A person's live reports have different names.
CREATE TABLE saved_reports (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    definition  TEXT NOT NULL,
    shared      INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_by  TEXT NOT NULL REFERENCES users (id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;
CREATE UNIQUE INDEX saved_reports_name ON saved_reports (created_by, name COLLATE NOCASE)
    WHERE deleted_at IS NULL;
