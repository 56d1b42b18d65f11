-- What `salesplan-server verify --quarantine` moved aside: stored records and
-- facts that no longer pass the rules head office applies to a pushed change
-- (taken before it checked every change). Kept whole, with the reason, so an
-- operator can look at them and put right what the laptops should hold.
CREATE TABLE quarantine (
    id             BIGSERIAL PRIMARY KEY,
    entity         TEXT NOT NULL,
    entity_id      UUID NOT NULL,
    -- 'record' (a merged record of `entities`) or 'fact' (a change of the feed).
    source         TEXT NOT NULL CHECK (source IN ('record', 'fact')),
    body           JSONB NOT NULL,
    reason         TEXT NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
