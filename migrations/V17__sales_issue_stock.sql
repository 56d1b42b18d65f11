-- Sales issue stock (issue #14): a sale posted at a location takes its
-- quantity out of that location's stock, in the same statement. Whether it
-- does is decided once, where the sale is posted, by the company setting
-- `sales_issue_stock` (off for a company whose stock comes only from its
-- ERP's exports), and kept on the sale as `issues_stock`: the sale travels
-- with it, so every ledger that holds the sale derives the same issue, and a
-- setting changed while a sale is on its way changes nothing already posted.
--
-- The issue is the sale's own consequence, not a fact of its own: it has the
-- sale's id, is never queued or sent, and goes when the sale goes (head office
-- refused it, or a restore of head office no longer holds it). Reversing a
-- sale (a reversing entry, an import reversed) posts a sale with the opposite
-- quantity, whose issue puts the stock back. tests/core/stock.rs checks all of it.
ALTER TABLE company_settings ADD COLUMN sales_issue_stock INTEGER NOT NULL DEFAULT 1
    CHECK (sales_issue_stock IN (0, 1));
ALTER TABLE actual_sales ADD COLUMN issues_stock INTEGER NOT NULL DEFAULT 0
    CHECK (issues_stock IN (0, 1));

-- The day stock left: the day sold when known, else the day it was posted
-- within its month (a sale of a past month on the month's last day, one of a
-- month ahead on its first), so a count taken today sees today's sales.
CREATE TRIGGER actual_sales_issue_stock AFTER INSERT ON actual_sales
WHEN NEW.issues_stock = 1
BEGIN
    INSERT INTO stock_movements (id, moved_on, location_id, product_id, quantity, reason, note,
                                 import_id, fingerprint, created_by, created_at)
    VALUES (NEW.id,
            coalesce(NEW.sold_on,
                     max(NEW.period || '-01',
                         min(date(NEW.period || '-01', '+1 month', '-1 day'), substr(NEW.created_at, 1, 10)))),
            NEW.location_id, NEW.product_id, decimal_sub('0', NEW.quantity), 'sale', '',
            NULL, NULL, NEW.created_by, NEW.created_at);
END;

CREATE TRIGGER actual_sales_issue_stock_removed AFTER DELETE ON actual_sales
WHEN OLD.issues_stock = 1
BEGIN
    DELETE FROM stock_movements WHERE id = OLD.id AND reason = 'sale';
END;
