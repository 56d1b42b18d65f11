-- A purchase order's lines, found by their order: head office decides an
-- order's step and each receipt against all of its lines (what each ordered
-- and has received).
CREATE INDEX entities_order_lines ON entities ((fields ->> 'order_id'))
    WHERE entity = 'purchase_order_line';
