-- Expense budgets (DESIGN §2.2): expense lines allocate money to a budget category;
-- expense transactions (facts, append-only) spend against them, optionally with a receipt.

CREATE TABLE budget_categories (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL COLLATE NOCASE,
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX budget_categories_code ON budget_categories (code);

CREATE TABLE budget_expenses (
    id          TEXT PRIMARY KEY,
    budget_id   TEXT NOT NULL REFERENCES budgets (id),
    category_id TEXT NOT NULL REFERENCES budget_categories (id),
    description TEXT NOT NULL DEFAULT '',
    allocated   TEXT NOT NULL, -- exact decimal
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL,
    UNIQUE (budget_id, category_id, description)
) STRICT;

CREATE TABLE expense_transactions (
    id           TEXT PRIMARY KEY,
    expense_id   TEXT NOT NULL REFERENCES budget_expenses (id),
    spent_on     TEXT NOT NULL CHECK (spent_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    amount       TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    receipt_name TEXT,
    receipt      BLOB,
    created_by   TEXT NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX expense_transactions_expense ON expense_transactions (expense_id);

CREATE TRIGGER expense_transactions_append_only_update BEFORE UPDATE ON expense_transactions
BEGIN
    SELECT RAISE(ABORT, 'expense transactions are append-only: post a reversing entry instead');
END;
CREATE TRIGGER expense_transactions_append_only_delete BEFORE DELETE ON expense_transactions
BEGIN
    SELECT RAISE(ABORT, 'expense transactions are append-only: post a reversing entry instead');
END;
