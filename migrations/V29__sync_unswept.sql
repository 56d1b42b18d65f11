-- Records the sweep after a head-office restore found lost but could not
-- remove, because a change of this laptop's that waits to be sent still
-- referred to them (a manager's edit of a line of a budget head office lost).
-- Once head office has answered that change (a refusal takes it out), they go,
-- unless the feed has named them again since (then head office holds them).
CREATE TABLE sync_unswept (
    entity TEXT NOT NULL,
    key    TEXT NOT NULL,
    PRIMARY KEY (entity, key)
) STRICT, WITHOUT ROWID;
