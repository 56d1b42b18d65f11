-- Each user's home screen: which widgets it shows, in what order (issue #16).
-- A preference of the person at this laptop: it stays here (never synced); a
-- user without a row sees their role's default.
CREATE TABLE home_layouts (
    user_id    TEXT PRIMARY KEY REFERENCES users (id),
    widgets    TEXT NOT NULL CHECK (json_valid(widgets) AND json_type(widgets) = 'array'),
    updated_at TEXT NOT NULL
) STRICT;
