-- A person's alert rules (issue #16): a measure in a scope, a condition and a
-- threshold, checked after each import, sync or close and daily while the app
-- runs. Each rule keeps the state of its last check (ok, triggered, error),
-- the value and sentence it found, and whether its owner has read it. Rules
-- are a person's own and stay on this laptop (never synced).
CREATE TABLE alert_rules (
    id            TEXT PRIMARY KEY,
    owner_id      TEXT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    measure       TEXT NOT NULL CHECK (measure IN ('sales_month', 'sales_year_to_date', 'change_vs_last_year',
                                                    'change_vs_last_month', 'variance_vs_budget', 'stock_alerts')),
    within_level  TEXT CHECK (within_level IN ('branch', 'salesman', 'product')),
    within_key    TEXT,
    condition     TEXT NOT NULL CHECK (condition IN ('above', 'below', 'beyond')),
    threshold     TEXT NOT NULL,
    stock_kind    TEXT,
    notify        TEXT NOT NULL CHECK (notify IN ('first', 'every')),
    snoozed_until TEXT,
    state         TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'triggered', 'error')),
    value         TEXT,
    message       TEXT,
    checked_at    TEXT,
    triggered_at  TEXT,
    read          INTEGER NOT NULL DEFAULT 1 CHECK (read IN (0, 1)),
    created_at    TEXT NOT NULL,
    CHECK ((within_level IS NULL) = (within_key IS NULL))
) STRICT;
CREATE INDEX alert_rules_owner ON alert_rules (owner_id);
