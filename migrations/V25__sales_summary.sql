-- Sales summed by month, product, location, salesman and customer (issue #16:
-- dashboards, reports and insights fast on a 5-million-sale ledger). The sales
-- stay the facts; a trigger moves the cell of each sale added, changed or
-- removed (sync alone may change or remove one), in the same statement, with
-- the exact decimal_add and decimal_sub, and drops a cell no sale is left in.
-- tests/core/sales_summary.rs checks it equals the sales summed after hand
-- entries, imports, reversals, removals and sync.
CREATE TABLE sales_summary (
    period      TEXT NOT NULL,
    product_id  TEXT NOT NULL REFERENCES products (id),
    location_id TEXT NOT NULL REFERENCES locations (id),
    salesman_id TEXT REFERENCES users (id),
    customer_id TEXT REFERENCES customers (id),
    quantity    TEXT NOT NULL,
    amount      TEXT NOT NULL,
    sales       INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX sales_summary_cell ON sales_summary (
    period, product_id, location_id, coalesce(salesman_id, ''), coalesce(customer_id, '')
);
CREATE INDEX sales_summary_salesman ON sales_summary (salesman_id, period);
CREATE INDEX sales_summary_location ON sales_summary (location_id, period);

INSERT INTO sales_summary (period, product_id, location_id, salesman_id, customer_id, quantity, amount, sales)
SELECT period, product_id, location_id, salesman_id, customer_id,
       decimal_sum(quantity), decimal_sum(amount), count(*)
FROM actual_sales GROUP BY period, product_id, location_id, salesman_id, customer_id;

CREATE TRIGGER sales_summary_insert AFTER INSERT ON actual_sales
BEGIN
    INSERT INTO sales_summary (period, product_id, location_id, salesman_id, customer_id, quantity, amount, sales)
    VALUES (NEW.period, NEW.product_id, NEW.location_id, NEW.salesman_id, NEW.customer_id,
            decimal_add('0', NEW.quantity), decimal_add('0', NEW.amount), 1)
    ON CONFLICT (period, product_id, location_id, coalesce(salesman_id, ''), coalesce(customer_id, ''))
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount),
                  sales = sales + 1;
END;

CREATE TRIGGER sales_summary_delete AFTER DELETE ON actual_sales
BEGIN
    UPDATE sales_summary
    SET quantity = decimal_sub(quantity, OLD.quantity), amount = decimal_sub(amount, OLD.amount), sales = sales - 1
    WHERE period = OLD.period AND product_id = OLD.product_id AND location_id = OLD.location_id
      AND coalesce(salesman_id, '') = coalesce(OLD.salesman_id, '')
      AND coalesce(customer_id, '') = coalesce(OLD.customer_id, '');
    DELETE FROM sales_summary
    WHERE sales = 0 AND period = OLD.period AND product_id = OLD.product_id AND location_id = OLD.location_id
      AND coalesce(salesman_id, '') = coalesce(OLD.salesman_id, '')
      AND coalesce(customer_id, '') = coalesce(OLD.customer_id, '');
END;

CREATE TRIGGER sales_summary_update
AFTER UPDATE OF period, product_id, location_id, salesman_id, customer_id, quantity, amount ON actual_sales
BEGIN
    UPDATE sales_summary
    SET quantity = decimal_sub(quantity, OLD.quantity), amount = decimal_sub(amount, OLD.amount), sales = sales - 1
    WHERE period = OLD.period AND product_id = OLD.product_id AND location_id = OLD.location_id
      AND coalesce(salesman_id, '') = coalesce(OLD.salesman_id, '')
      AND coalesce(customer_id, '') = coalesce(OLD.customer_id, '');
    DELETE FROM sales_summary
    WHERE sales = 0 AND period = OLD.period AND product_id = OLD.product_id AND location_id = OLD.location_id
      AND coalesce(salesman_id, '') = coalesce(OLD.salesman_id, '')
      AND coalesce(customer_id, '') = coalesce(OLD.customer_id, '');
    INSERT INTO sales_summary (period, product_id, location_id, salesman_id, customer_id, quantity, amount, sales)
    VALUES (NEW.period, NEW.product_id, NEW.location_id, NEW.salesman_id, NEW.customer_id,
            decimal_add('0', NEW.quantity), decimal_add('0', NEW.amount), 1)
    ON CONFLICT (period, product_id, location_id, coalesce(salesman_id, ''), coalesce(customer_id, ''))
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount),
                  sales = sales + 1;
END;
