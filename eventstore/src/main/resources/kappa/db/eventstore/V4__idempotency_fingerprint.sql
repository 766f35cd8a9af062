-- What identifies the request an idempotency key was first used for (a digest of it, say): a key that comes back with
-- another fingerprint is refused instead of answered as a repeat. Null for keys recorded without one, which are never
-- checked.
ALTER TABLE kappa_idempotency ADD COLUMN request_fingerprint text;

-- Keys are kept for a retention period; compaction removes the older ones by this index.
CREATE INDEX kappa_idempotency_recorded_at_idx ON kappa_idempotency (recorded_at);
