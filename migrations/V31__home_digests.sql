-- What each user's home screen keeps between openings (issue #16): the
-- figures that take long to work out on a big ledger — the movers, the
-- landing, the forecast accuracy, the stock alerts and the insights — worked
-- out once and read back until the ledger changes. Derived from the ledger, kept on this laptop, never
-- synced; a digest worked out for another role or scope (a user moved to
-- another branch) is never shown, and one from another day or an older
-- revision of the ledger is shown as out of date until it is worked out again.
CREATE TABLE home_digests (
    user_id     TEXT PRIMARY KEY REFERENCES users (id),
    -- The role, department and branch it was worked out for.
    scope       TEXT NOT NULL,
    -- The day it read as of, and the ledger's revision then.
    day         TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    computed_at TEXT NOT NULL,
    figures     TEXT NOT NULL CHECK (json_valid(figures) AND json_type(figures) = 'object')
) STRICT;

-- The ledger's revision: one more for every write that changed the ledger's
-- figures (Ledger::write), so what is worked out from them knows whether it
-- still holds.
INSERT INTO ledger_meta (key, value) VALUES ('revision', '0');
