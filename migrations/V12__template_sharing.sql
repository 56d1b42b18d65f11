-- A template copies a budget's lines, so it is its maker's like the budget
-- (issue #23): others who may see the maker's budgets see it too, and everyone
-- who builds budgets once its maker (or someone who may edit the maker's
-- budgets) shares it.
ALTER TABLE budget_templates ADD COLUMN shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1));
