-- Watched folders (DESIGN §2.6): while the app runs, new or changed files in a
-- folder that match a pattern are imported with a saved mapping; what was seen
-- is remembered, and a failure becomes an alert for the folder's owner.

CREATE TABLE watched_folders (
    id           TEXT PRIMARY KEY,
    path         TEXT NOT NULL CHECK (length(trim(path)) > 0),
    pattern      TEXT NOT NULL DEFAULT '*' CHECK (length(trim(pattern)) > 0),
    kind         TEXT NOT NULL CHECK (kind IN ('actuals', 'budget', 'products', 'customers', 'stock')),
    mapping_name TEXT,
    owner_id     TEXT NOT NULL REFERENCES users (id),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    archived_at  TEXT
) STRICT;

-- A file seen in a watched folder, by content: the same content is never looked at twice.
CREATE TABLE watched_files (
    folder_id    TEXT NOT NULL REFERENCES watched_folders (id),
    file_name    TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('imported', 'nothing_new', 'failed')),
    import_id    TEXT REFERENCES imports (id),
    message      TEXT NOT NULL DEFAULT '',
    seen_at      TEXT NOT NULL,
    PRIMARY KEY (folder_id, file_name, content_hash)
) STRICT;

CREATE TABLE alerts (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    subject    TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT
) STRICT;
CREATE INDEX alerts_user ON alerts (user_id, created_at);
