-- Stock alerts (issue #14) are derived on the laptop from the stock, the
-- policies and the forecast, never stored or sent. What is kept is who has
-- read which: an alert's key (its kind, location and product) per user, while
-- the alert holds (marking one read forgets the user's reads of alerts that
-- no longer hold, so an alert that clears and comes back is new again).
CREATE TABLE stock_alert_reads (
    user_id TEXT NOT NULL REFERENCES users (id),
    key     TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT, WITHOUT ROWID;
