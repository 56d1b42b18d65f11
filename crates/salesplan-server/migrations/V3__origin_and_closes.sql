-- The laptop (client) that first sent each record. A month is closed once for
-- the whole company: the close that reaches head office first wins, and only
-- the laptop that made it may add the snapshot values taken at that close.
ALTER TABLE entities ADD COLUMN origin_client UUID;

CREATE INDEX entities_closed_month ON entities ((fields ->> 'month')) WHERE entity = 'closed_month';

-- A fact (a sale, a stock movement, a spending, a snapshot value) is only ever
-- added: it is kept once, as its change in the feed, and found there by id.
CREATE INDEX changes_facts ON changes (entity_id) WHERE kind = 'appended';
DELETE FROM entities
WHERE entity IN ('actual_sale', 'stock_movement', 'expense_transaction', 'forecast_snapshot');

-- A mutation is only written in the push that locked (or added) its client's
-- row, so the per-row foreign-key check bought nothing but time.
ALTER TABLE mutations DROP CONSTRAINT mutations_client_id_fkey;

-- The feed's payloads are stored and sent back as they came: kept as JSON
-- text, they are neither taken apart on the way in nor put together on the
-- way out (jsonb did both).
ALTER TABLE changes ALTER COLUMN payload TYPE json USING payload::json;
