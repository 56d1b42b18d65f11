-- Sales budgets (DESIGN §2.2): a budget per fiscal year, scenario and owner
-- scope, with product × month lines, and the append-only record of its workflow.

CREATE TABLE budgets (
    id            TEXT PRIMARY KEY,
    fiscal_year   INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1900 AND 2999),
    -- The scenario or version: "Base", "Stretch"…
    scenario      TEXT NOT NULL CHECK (length(trim(scenario)) > 0),
    owner_kind    TEXT NOT NULL CHECK (owner_kind IN ('salesman', 'department', 'location')),
    -- The scope facts of the owner, copied onto the budget so scope checks need no joins:
    -- a salesman's budget carries his id, his department and his branch.
    salesman_id   TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    location_id   TEXT REFERENCES locations (id),
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'locked')),
    copied_from   TEXT REFERENCES budgets (id),
    created_by    TEXT NOT NULL REFERENCES users (id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK ((owner_kind = 'salesman' AND salesman_id IS NOT NULL)
        OR (owner_kind = 'department' AND department_id IS NOT NULL AND salesman_id IS NULL)
        OR (owner_kind = 'location' AND location_id IS NOT NULL AND salesman_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX budgets_owner_scenario ON budgets (
    fiscal_year, scenario COLLATE NOCASE, owner_kind,
    coalesce(salesman_id, ''), coalesce(department_id, ''), coalesce(location_id, '')
);

-- A line is one product in one month. The amount is quantity × unit price,
-- unless it was typed directly (amount_entered = 1).
CREATE TABLE budget_lines (
    id             TEXT PRIMARY KEY,
    budget_id      TEXT NOT NULL REFERENCES budgets (id),
    product_id     TEXT NOT NULL REFERENCES products (id),
    period         TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    quantity       TEXT NOT NULL,
    unit_price     TEXT NOT NULL,
    amount         TEXT NOT NULL,
    amount_entered INTEGER NOT NULL DEFAULT 0 CHECK (amount_entered IN (0, 1)),
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TEXT NOT NULL,
    UNIQUE (budget_id, product_id, period)
) STRICT;

-- Every workflow step: facts, append-only.
CREATE TABLE budget_approvals (
    id          TEXT PRIMARY KEY,
    budget_id   TEXT NOT NULL REFERENCES budgets (id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor_id    TEXT NOT NULL REFERENCES users (id),
    comment     TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX budget_approvals_budget ON budget_approvals (budget_id, recorded_at);

CREATE TRIGGER budget_approvals_append_only_update BEFORE UPDATE ON budget_approvals
BEGIN
    SELECT RAISE(ABORT, 'approval steps are append-only');
END;
CREATE TRIGGER budget_approvals_append_only_delete BEFORE DELETE ON budget_approvals
BEGIN
    SELECT RAISE(ABORT, 'approval steps are append-only');
END;
