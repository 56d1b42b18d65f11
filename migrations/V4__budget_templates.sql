-- Reusable budget templates (DESIGN §2.2): a set of product lines (a yearly
-- quantity at a unit price) and a seasonality profile that spreads them over
-- the twelve months of whichever fiscal year a budget is made for.

CREATE TABLE budget_templates (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    -- Twelve weights, first month of the fiscal year first: a JSON array of decimal strings.
    seasonality TEXT NOT NULL CHECK (json_valid(seasonality) AND json_array_length(seasonality) = 12),
    created_by  TEXT NOT NULL REFERENCES users (id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    archived_at  TEXT
) STRICT;
-- A name is unique among the templates in use; an archived one frees its name.
CREATE UNIQUE INDEX budget_templates_name ON budget_templates (name COLLATE NOCASE) WHERE archived_at IS NULL;

CREATE TABLE budget_template_lines (
    id          TEXT PRIMARY KEY,
    template_id TEXT NOT NULL REFERENCES budget_templates (id),
    product_id  TEXT NOT NULL REFERENCES products (id),
    quantity    TEXT NOT NULL, -- per year, exact decimal
    unit_price  TEXT NOT NULL,
    UNIQUE (template_id, product_id)
) STRICT;
