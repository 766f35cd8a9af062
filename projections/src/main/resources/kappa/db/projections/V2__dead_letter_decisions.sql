-- Dead letters keep the event itself and the decision that put them there, so that an operator can skip the event a
-- stopped projection failed on, see what was skipped, and replay it once the handler is fixed.

-- An operator's decision to skip the event a FAILED segment stopped at (failed_offset). The worker holding the segment
-- parks the event as a dead letter in the transaction that moves its checkpoint past it, and clears the failure and
-- the decision there. Recording a new failure clears a decision, so that one only ever applies to the failure it was
-- taken on.
ALTER TABLE kappa_projection_segments
    ADD COLUMN skip_decided_by text,
    ADD COLUMN skip_note       text,
    ADD COLUMN skip_decided_at timestamptz;

-- The event as it was in the log (a compaction may remove it from there later), and what became of it:
-- PARKED by the projection's DEAD_LETTER failure mode, SKIPPED by an operator, or REPLAYED (applied again). A replay
-- that fails leaves the state as it was and records its error as the last one. Letters parked before this migration
-- have no copy of the event.
ALTER TABLE kappa_projection_dead_letters
    ADD COLUMN stream_version bigint,
    ADD COLUMN payload        jsonb,
    ADD COLUMN event_id       uuid,
    ADD COLUMN correlation_id text,
    ADD COLUMN causation_id   text,
    ADD COLUMN recorded_at    timestamptz,
    ADD COLUMN metadata       jsonb,
    ADD COLUMN state          text NOT NULL DEFAULT 'PARKED',
    ADD COLUMN decided_by     text NOT NULL DEFAULT 'failure mode DEAD_LETTER',
    ADD COLUMN note           text NOT NULL DEFAULT '',
    ADD COLUMN decided_at     timestamptz,
    ADD COLUMN replayed_by    text,
    ADD COLUMN replayed_at    timestamptz,
    ADD CONSTRAINT kappa_projection_dead_letters_state CHECK (state IN ('PARKED', 'SKIPPED', 'REPLAYED'));

UPDATE kappa_projection_dead_letters SET decided_at = failed_at;
ALTER TABLE kappa_projection_dead_letters ALTER COLUMN decided_at SET NOT NULL;
