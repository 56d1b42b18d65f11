-- Stock availability (issue #14): how much of each product each location
-- holds, as head office summed it from every laptop's movements and sales at
-- the last sync. A laptop that holds only some of the sales (a salesman's, a
-- branch's) shows these; one that does not sync sums its own. Replaced whole
-- at each sync; derived, never sent.
CREATE TABLE stock_availability (
    location_id TEXT NOT NULL,
    product_id  TEXT NOT NULL,
    on_hand     TEXT NOT NULL,
    PRIMARY KEY (location_id, product_id)
) STRICT;

CREATE TABLE stock_availability_as_of (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    as_of TEXT NOT NULL
) STRICT;
