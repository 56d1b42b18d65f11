-- Transfers (issue #15): a record between two locations is seen at both its
-- ends. `location_id` is where it goes; `other_location_id` where it leaves.
ALTER TABLE entities ADD COLUMN other_location_id UUID;
ALTER TABLE changes ADD COLUMN other_location_id UUID;
-- A transfer's lines, found by their transfer: head office decides a
-- transfer's step and each movement naming a line against all its lines.
CREATE INDEX entities_transfer_lines ON entities ((fields ->> 'transfer_id'))
    WHERE entity = 'transfer_line';
