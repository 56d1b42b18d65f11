-- Coarser sales summaries (issue #16): a report, the home screen and the
-- insights read the coarsest one that holds what they ask for, so a company's
-- year is thousands of cells instead of millions. Kept like V25's: triggers
-- move the cells of each sale added, changed or removed, in the same
-- statement, with the exact decimal_add and decimal_sub, and drop a cell no
-- sale is left in (a cell's text is a decimal, not always in its shortest
-- form: readers parse it). A key a sale has none of (no salesman, no customer, a
-- salesman without a department) is '' (a key column cannot be NULL).
--
--   sales_by_seller:   month × branch × salesman × the product's category
--   sales_by_product:  month × product × the salesman's department
--   sales_by_customer: month × customer × the salesman's department
--
-- A product's category and a salesman's department are read when the sale
-- is summed; when either changes, triggers move the sums they hold.
-- tests/core/sales_summary.rs checks each equals the sales summed the slow way.
CREATE TABLE sales_by_seller (
    period      TEXT NOT NULL,
    location_id TEXT NOT NULL,
    salesman_id TEXT NOT NULL,
    category_id TEXT NOT NULL,
    quantity    TEXT NOT NULL,
    amount      TEXT NOT NULL,
    sales       INTEGER NOT NULL,
    PRIMARY KEY (period, location_id, salesman_id, category_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sales_by_product (
    period        TEXT NOT NULL,
    product_id    TEXT NOT NULL,
    department_id TEXT NOT NULL,
    quantity      TEXT NOT NULL,
    amount        TEXT NOT NULL,
    sales         INTEGER NOT NULL,
    PRIMARY KEY (period, product_id, department_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sales_by_customer (
    period        TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    department_id TEXT NOT NULL,
    quantity      TEXT NOT NULL,
    amount        TEXT NOT NULL,
    sales         INTEGER NOT NULL,
    PRIMARY KEY (period, customer_id, department_id)
) STRICT, WITHOUT ROWID;

-- A product's sums, to move them when its category changes.
CREATE INDEX sales_summary_product ON sales_summary (product_id, period);

INSERT INTO sales_by_seller (period, location_id, salesman_id, category_id, quantity, amount, sales)
SELECT s.period, s.location_id, coalesce(s.salesman_id, ''), p.category_id,
       decimal_sum(s.quantity), decimal_sum(s.amount), count(*)
FROM actual_sales s JOIN products p ON p.id = s.product_id
GROUP BY 1, 2, 3, 4;

INSERT INTO sales_by_product (period, product_id, department_id, quantity, amount, sales)
SELECT s.period, s.product_id, coalesce(u.department_id, ''),
       decimal_sum(s.quantity), decimal_sum(s.amount), count(*)
FROM actual_sales s LEFT JOIN users u ON u.id = s.salesman_id
GROUP BY 1, 2, 3;

INSERT INTO sales_by_customer (period, customer_id, department_id, quantity, amount, sales)
SELECT s.period, coalesce(s.customer_id, ''), coalesce(u.department_id, ''),
       decimal_sum(s.quantity), decimal_sum(s.amount), count(*)
FROM actual_sales s LEFT JOIN users u ON u.id = s.salesman_id
GROUP BY 1, 2, 3;

-- A sale added: a new cell holds its quantity and amount as written (a
-- reader parses them; "12.50" is 12.5), an existing one adds them exactly.
CREATE TRIGGER sales_summaries_insert AFTER INSERT ON actual_sales
BEGIN
    INSERT INTO sales_by_seller (period, location_id, salesman_id, category_id, quantity, amount, sales)
    VALUES (NEW.period, NEW.location_id, coalesce(NEW.salesman_id, ''),
            (SELECT category_id FROM products WHERE id = NEW.product_id),
            NEW.quantity, NEW.amount, 1)
    ON CONFLICT (period, location_id, salesman_id, category_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + 1;
    INSERT INTO sales_by_product (period, product_id, department_id, quantity, amount, sales)
    VALUES (NEW.period, NEW.product_id,
            coalesce((SELECT department_id FROM users WHERE id = NEW.salesman_id), ''),
            NEW.quantity, NEW.amount, 1)
    ON CONFLICT (period, product_id, department_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + 1;
    INSERT INTO sales_by_customer (period, customer_id, department_id, quantity, amount, sales)
    VALUES (NEW.period, coalesce(NEW.customer_id, ''),
            coalesce((SELECT department_id FROM users WHERE id = NEW.salesman_id), ''),
            NEW.quantity, NEW.amount, 1)
    ON CONFLICT (period, customer_id, department_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + 1;
END;

CREATE TRIGGER sales_summaries_delete AFTER DELETE ON actual_sales
BEGIN
    UPDATE sales_by_seller
    SET quantity = decimal_sub(quantity, OLD.quantity), amount = decimal_sub(amount, OLD.amount), sales = sales - 1
    WHERE period = OLD.period AND location_id = OLD.location_id AND salesman_id = coalesce(OLD.salesman_id, '')
      AND category_id = (SELECT category_id FROM products WHERE id = OLD.product_id);
    UPDATE sales_by_product
    SET quantity = decimal_sub(quantity, OLD.quantity), amount = decimal_sub(amount, OLD.amount), sales = sales - 1
    WHERE period = OLD.period AND product_id = OLD.product_id
      AND department_id = coalesce((SELECT department_id FROM users WHERE id = OLD.salesman_id), '');
    UPDATE sales_by_customer
    SET quantity = decimal_sub(quantity, OLD.quantity), amount = decimal_sub(amount, OLD.amount), sales = sales - 1
    WHERE period = OLD.period AND customer_id = coalesce(OLD.customer_id, '')
      AND department_id = coalesce((SELECT department_id FROM users WHERE id = OLD.salesman_id), '');
    DELETE FROM sales_by_seller WHERE sales = 0 AND period = OLD.period AND location_id = OLD.location_id
      AND salesman_id = coalesce(OLD.salesman_id, '')
      AND category_id = (SELECT category_id FROM products WHERE id = OLD.product_id);
    DELETE FROM sales_by_product WHERE sales = 0 AND period = OLD.period AND product_id = OLD.product_id
      AND department_id = coalesce((SELECT department_id FROM users WHERE id = OLD.salesman_id), '');
    DELETE FROM sales_by_customer WHERE sales = 0 AND period = OLD.period
      AND customer_id = coalesce(OLD.customer_id, '')
      AND department_id = coalesce((SELECT department_id FROM users WHERE id = OLD.salesman_id), '');
END;

-- A changed sale (only sync changes one) is taken out of its old cells and
-- added to its new ones.
CREATE TRIGGER sales_summaries_update
AFTER UPDATE OF period, product_id, location_id, salesman_id, customer_id, quantity, amount ON actual_sales
BEGIN
    UPDATE sales_by_seller
    SET quantity = decimal_sub(quantity, OLD.quantity), amount = decimal_sub(amount, OLD.amount), sales = sales - 1
    WHERE period = OLD.period AND location_id = OLD.location_id AND salesman_id = coalesce(OLD.salesman_id, '')
      AND category_id = (SELECT category_id FROM products WHERE id = OLD.product_id);
    UPDATE sales_by_product
    SET quantity = decimal_sub(quantity, OLD.quantity), amount = decimal_sub(amount, OLD.amount), sales = sales - 1
    WHERE period = OLD.period AND product_id = OLD.product_id
      AND department_id = coalesce((SELECT department_id FROM users WHERE id = OLD.salesman_id), '');
    UPDATE sales_by_customer
    SET quantity = decimal_sub(quantity, OLD.quantity), amount = decimal_sub(amount, OLD.amount), sales = sales - 1
    WHERE period = OLD.period AND customer_id = coalesce(OLD.customer_id, '')
      AND department_id = coalesce((SELECT department_id FROM users WHERE id = OLD.salesman_id), '');
    DELETE FROM sales_by_seller WHERE sales = 0 AND period = OLD.period AND location_id = OLD.location_id
      AND salesman_id = coalesce(OLD.salesman_id, '')
      AND category_id = (SELECT category_id FROM products WHERE id = OLD.product_id);
    DELETE FROM sales_by_product WHERE sales = 0 AND period = OLD.period AND product_id = OLD.product_id
      AND department_id = coalesce((SELECT department_id FROM users WHERE id = OLD.salesman_id), '');
    DELETE FROM sales_by_customer WHERE sales = 0 AND period = OLD.period
      AND customer_id = coalesce(OLD.customer_id, '')
      AND department_id = coalesce((SELECT department_id FROM users WHERE id = OLD.salesman_id), '');
    INSERT INTO sales_by_seller (period, location_id, salesman_id, category_id, quantity, amount, sales)
    VALUES (NEW.period, NEW.location_id, coalesce(NEW.salesman_id, ''),
            (SELECT category_id FROM products WHERE id = NEW.product_id),
            NEW.quantity, NEW.amount, 1)
    ON CONFLICT (period, location_id, salesman_id, category_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + 1;
    INSERT INTO sales_by_product (period, product_id, department_id, quantity, amount, sales)
    VALUES (NEW.period, NEW.product_id,
            coalesce((SELECT department_id FROM users WHERE id = NEW.salesman_id), ''),
            NEW.quantity, NEW.amount, 1)
    ON CONFLICT (period, product_id, department_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + 1;
    INSERT INTO sales_by_customer (period, customer_id, department_id, quantity, amount, sales)
    VALUES (NEW.period, coalesce(NEW.customer_id, ''),
            coalesce((SELECT department_id FROM users WHERE id = NEW.salesman_id), ''),
            NEW.quantity, NEW.amount, 1)
    ON CONFLICT (period, customer_id, department_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + 1;
END;

-- A product moved to another category: its sums (from V25's summary) leave
-- the old category's cells and join the new one's.
CREATE TRIGGER sales_summaries_category AFTER UPDATE OF category_id ON products
WHEN OLD.category_id IS NOT NEW.category_id
BEGIN
    INSERT INTO sales_by_seller (period, location_id, salesman_id, category_id, quantity, amount, sales)
    SELECT period, location_id, coalesce(salesman_id, ''), OLD.category_id,
           decimal_sub('0', decimal_sum(quantity)), decimal_sub('0', decimal_sum(amount)), -sum(sales)
    FROM sales_summary WHERE product_id = NEW.id GROUP BY period, location_id, coalesce(salesman_id, '')
    ON CONFLICT (period, location_id, salesman_id, category_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + excluded.sales;
    DELETE FROM sales_by_seller WHERE sales = 0 AND category_id = OLD.category_id;
    INSERT INTO sales_by_seller (period, location_id, salesman_id, category_id, quantity, amount, sales)
    SELECT period, location_id, coalesce(salesman_id, ''), NEW.category_id,
           decimal_sum(quantity), decimal_sum(amount), sum(sales)
    FROM sales_summary WHERE product_id = NEW.id GROUP BY period, location_id, coalesce(salesman_id, '')
    ON CONFLICT (period, location_id, salesman_id, category_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + excluded.sales;
END;

-- A salesman moved to another department: his sums leave the old
-- department's cells and join the new one's.
CREATE TRIGGER sales_summaries_department AFTER UPDATE OF department_id ON users
WHEN OLD.department_id IS NOT NEW.department_id
BEGIN
    INSERT INTO sales_by_product (period, product_id, department_id, quantity, amount, sales)
    SELECT period, product_id, coalesce(OLD.department_id, ''),
           decimal_sub('0', decimal_sum(quantity)), decimal_sub('0', decimal_sum(amount)), -sum(sales)
    FROM sales_summary WHERE salesman_id = NEW.id GROUP BY period, product_id
    ON CONFLICT (period, product_id, department_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + excluded.sales;
    INSERT INTO sales_by_customer (period, customer_id, department_id, quantity, amount, sales)
    SELECT period, coalesce(customer_id, ''), coalesce(OLD.department_id, ''),
           decimal_sub('0', decimal_sum(quantity)), decimal_sub('0', decimal_sum(amount)), -sum(sales)
    FROM sales_summary WHERE salesman_id = NEW.id GROUP BY period, coalesce(customer_id, '')
    ON CONFLICT (period, customer_id, department_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + excluded.sales;
    DELETE FROM sales_by_product WHERE sales = 0 AND department_id = coalesce(OLD.department_id, '');
    DELETE FROM sales_by_customer WHERE sales = 0 AND department_id = coalesce(OLD.department_id, '');
    INSERT INTO sales_by_product (period, product_id, department_id, quantity, amount, sales)
    SELECT period, product_id, coalesce(NEW.department_id, ''),
           decimal_sum(quantity), decimal_sum(amount), sum(sales)
    FROM sales_summary WHERE salesman_id = NEW.id GROUP BY period, product_id
    ON CONFLICT (period, product_id, department_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + excluded.sales;
    INSERT INTO sales_by_customer (period, customer_id, department_id, quantity, amount, sales)
    SELECT period, coalesce(customer_id, ''), coalesce(NEW.department_id, ''),
           decimal_sum(quantity), decimal_sum(amount), sum(sales)
    FROM sales_summary WHERE salesman_id = NEW.id GROUP BY period, coalesce(customer_id, '')
    ON CONFLICT (period, customer_id, department_id)
    DO UPDATE SET quantity = decimal_add(quantity, excluded.quantity),
                  amount = decimal_add(amount, excluded.amount), sales = sales + excluded.sales;
END;
