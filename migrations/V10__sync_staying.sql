-- What a first connection sends (issue #24): every change the ledger holds that
-- the connected account may send, also those other local accounts made. A change
-- that cannot go yet stays on the laptop with its reason, and is looked at again
-- when head office's accounts change (an account it did not know arrives).
CREATE TABLE sync_staying (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox (mutation_id),
    -- The record the change is about: a later change that names it stays too.
    entity_id TEXT NOT NULL,
    reason    TEXT NOT NULL
) STRICT;

-- 1 when the changes staying here are to be looked at again.
ALTER TABLE sync_state ADD COLUMN recheck_staying INTEGER NOT NULL DEFAULT 1 CHECK (recheck_staying IN (0, 1));

-- The outbox is read once more from its start: changes other local accounts
-- made were passed over until now. Rows already queued are not queued twice.
UPDATE sync_state SET queued_through = 0;
