-- A budget exported for editing in a spreadsheet (issue #19): the cells as the
-- file held them, with each line's version then, so a file coming back is
-- compared cell by cell with what it was given and with what the budget holds
-- now: an edit is told from an old value, and a cell changed on both sides is a
-- conflict. Local bookkeeping, never synced; the newest few per budget are kept.
CREATE TABLE budget_exports (
    id          TEXT PRIMARY KEY,
    budget_id   TEXT NOT NULL REFERENCES budgets (id),
    exported_at TEXT NOT NULL,
    exported_by TEXT REFERENCES users (id),
    -- [[product_id, period, quantity, version], …], a line per cell that had one.
    cells       TEXT NOT NULL CHECK (json_valid(cells))
) STRICT;

CREATE INDEX budget_exports_budget ON budget_exports (budget_id, exported_at);
