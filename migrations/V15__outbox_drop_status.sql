-- The outbox's status was never written after 'pending': what head office did
-- with each change is kept per user in sync_queue (V8). Dropped so nobody reads it.
ALTER TABLE outbox DROP COLUMN status;
