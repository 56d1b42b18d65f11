-- The laptop (client) that first sent each record. A month is closed once for
-- the whole company: the close that reaches head office first wins, and only
-- the laptop that made it may add the snapshot values taken at that close.
ALTER TABLE entities ADD COLUMN origin_client UUID;

CREATE INDEX entities_closed_month ON entities ((fields ->> 'month')) WHERE entity = 'closed_month';
