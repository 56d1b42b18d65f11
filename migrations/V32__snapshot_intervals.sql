-- A forecast snapshot keeps the 80 % interval its method gave each month
-- (issue #16: sales outside the forecast's interval are an insight, also once
-- the month is closed). low/high are the baseline's bounds, as forecast_values
-- holds them; none where the method gives no interval or for values kept
-- before this version. They travel with the snapshot value.
ALTER TABLE forecast_snapshots ADD COLUMN low TEXT;
ALTER TABLE forecast_snapshots ADD COLUMN high TEXT;
