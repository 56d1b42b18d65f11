-- The rolling forecast (DESIGN §2.3). A series is product × branch × salesman
-- (no salesman for sales that name none). The baseline holds the latest run's
-- forecast per series; overrides adjust it with a reason and survive re-runs;
-- closing a month freezes its actual sales and keeps the forecast as it stood
-- then (a snapshot), which accuracy is later scored on.

CREATE TABLE forecast_runs (
    id          TEXT PRIMARY KEY,
    first_month TEXT NOT NULL CHECK (first_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    horizon     INTEGER NOT NULL CHECK (horizon BETWEEN 3 AND 24),
    method      TEXT NOT NULL,
    series      INTEGER NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE forecast_series (
    id             TEXT PRIMARY KEY,
    run_id         TEXT NOT NULL REFERENCES forecast_runs (id),
    product_id     TEXT NOT NULL REFERENCES products (id),
    location_id    TEXT NOT NULL REFERENCES locations (id),
    salesman_id    TEXT REFERENCES users (id),
    department_id  TEXT REFERENCES departments (id),
    method         TEXT NOT NULL,
    holdout_error  REAL,
    history_months INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX forecast_series_key ON forecast_series (product_id, location_id, IFNULL(salesman_id, ''));
CREATE INDEX forecast_series_salesman ON forecast_series (salesman_id);
CREATE INDEX forecast_series_location ON forecast_series (location_id);

-- Quantities as exact decimals rounded to 2 places; low/high: the 80 % interval, where the method gives one.
CREATE TABLE forecast_values (
    series_id TEXT NOT NULL REFERENCES forecast_series (id) ON DELETE CASCADE,
    month     TEXT NOT NULL,
    quantity  TEXT NOT NULL,
    low       TEXT,
    high      TEXT,
    PRIMARY KEY (series_id, month)
) STRICT, WITHOUT ROWID;

-- An override applies to every series its filters match (all null: the whole
-- company), for the months first_month..last_month: an absolute quantity for
-- their total, shared in proportion to the baseline, or a change in %.
CREATE TABLE forecast_overrides (
    id            TEXT PRIMARY KEY,
    product_id    TEXT REFERENCES products (id),
    category_id   TEXT REFERENCES product_categories (id),
    location_id   TEXT REFERENCES locations (id),
    salesman_id   TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    first_month   TEXT NOT NULL CHECK (first_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    last_month    TEXT NOT NULL CHECK (last_month >= first_month),
    kind          TEXT NOT NULL CHECK (kind IN ('absolute', 'percent')),
    value         TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    expires_on    TEXT,
    created_by    TEXT NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    removed_by    TEXT REFERENCES users (id),
    removed_at    TEXT,
    version       INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE forecast_closed_months (
    month     TEXT PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    closed_by TEXT NOT NULL REFERENCES users (id),
    closed_at TEXT NOT NULL
) STRICT;

-- The forecast as it stood when month as_of closed, one row per series and month forecast.
CREATE TABLE forecast_snapshots (
    as_of         TEXT NOT NULL REFERENCES forecast_closed_months (month),
    product_id    TEXT NOT NULL REFERENCES products (id),
    location_id   TEXT NOT NULL REFERENCES locations (id),
    salesman_id   TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    method        TEXT NOT NULL,
    month         TEXT NOT NULL,
    baseline      TEXT NOT NULL,
    final         TEXT NOT NULL
) STRICT;
CREATE INDEX forecast_snapshots_month ON forecast_snapshots (month);

CREATE TRIGGER forecast_snapshots_append_only_update BEFORE UPDATE ON forecast_snapshots
BEGIN
    SELECT RAISE(ABORT, 'forecast snapshots are kept as they were taken');
END;
CREATE TRIGGER forecast_snapshots_append_only_delete BEFORE DELETE ON forecast_snapshots
BEGIN
    SELECT RAISE(ABORT, 'forecast snapshots are kept as they were taken');
END;

-- A closed month's actual sales are frozen (the services say so first, with the month).
CREATE TRIGGER actual_sales_closed_month BEFORE INSERT ON actual_sales
WHEN NEW.period <= (SELECT MAX(month) FROM forecast_closed_months)
BEGIN
    SELECT RAISE(ABORT, 'the month of this sale is closed');
END;
