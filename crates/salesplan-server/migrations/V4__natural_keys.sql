-- What no two records of a kind may share, as the laptops' unique indexes
-- say (a product's SKU, a budget line's budget, product and month): head
-- office refuses a change that would make two, since no laptop could hold
-- both. Written from the record by salesplan_domain::changes::Record::natural_key;
-- a record stored before this column has none until it changes again (or
-- `salesplan-server verify` fills it).
ALTER TABLE entities ADD COLUMN natural_key TEXT;
CREATE INDEX entities_natural_key ON entities (entity, natural_key) WHERE natural_key IS NOT NULL;
