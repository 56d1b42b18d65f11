-- Each item's on-hand kept beside its movements (issue #14: on-hand for every
-- item of 5 million movements in under 500 ms). The movements stay the facts;
-- a trigger moves the item's balance by each movement added, changed or
-- removed (sync alone may change or remove one), in the same statement, with
-- the exact decimal_add. tests/core/stock.rs checks it equals the sum of the
-- movements after random writes, imports, reversals and sync.
CREATE TABLE stock_balances (
    location_id TEXT NOT NULL REFERENCES locations (id),
    product_id  TEXT NOT NULL REFERENCES products (id),
    quantity    TEXT NOT NULL,
    PRIMARY KEY (location_id, product_id)
) STRICT, WITHOUT ROWID;

INSERT INTO stock_balances (location_id, product_id, quantity)
SELECT location_id, product_id, decimal_sum(quantity)
FROM stock_movements GROUP BY location_id, product_id;

CREATE TRIGGER stock_balances_insert AFTER INSERT ON stock_movements
BEGIN
    INSERT INTO stock_balances (location_id, product_id, quantity)
    VALUES (NEW.location_id, NEW.product_id, decimal_add('0', NEW.quantity))
    ON CONFLICT (location_id, product_id) DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity);
END;

CREATE TRIGGER stock_balances_delete AFTER DELETE ON stock_movements
BEGIN
    UPDATE stock_balances SET quantity = decimal_sub(quantity, OLD.quantity)
    WHERE location_id = OLD.location_id AND product_id = OLD.product_id;
END;

CREATE TRIGGER stock_balances_update AFTER UPDATE OF location_id, product_id, quantity ON stock_movements
BEGIN
    UPDATE stock_balances SET quantity = decimal_sub(quantity, OLD.quantity)
    WHERE location_id = OLD.location_id AND product_id = OLD.product_id;
    INSERT INTO stock_balances (location_id, product_id, quantity)
    VALUES (NEW.location_id, NEW.product_id, decimal_add('0', NEW.quantity))
    ON CONFLICT (location_id, product_id) DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity);
END;
