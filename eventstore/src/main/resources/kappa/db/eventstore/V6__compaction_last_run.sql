-- The last compaction run that did its work (one that found another in progress leaves it alone), kept in the single
-- row of kappa_compaction, so that every instance on the database, and an operator, sees the same one. Null until the
-- first run. last_run_by names the process that ran it: its connection's application_name if it set one, else "pid@host".
ALTER TABLE kappa_compaction
    ADD COLUMN last_run_finished_at    timestamptz,
    ADD COLUMN last_run_millis         bigint,
    ADD COLUMN last_superseded_removed bigint,
    ADD COLUMN last_tombstones_removed bigint,
    ADD COLUMN last_keys_expired       bigint,
    ADD COLUMN last_compacted_through  bigint,
    ADD COLUMN last_run_by             text;
