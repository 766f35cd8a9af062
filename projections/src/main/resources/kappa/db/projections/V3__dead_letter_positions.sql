-- A projection fed by a Kafka topic has positions of its own (a partition's offset plus one) beside the events' log
-- offsets: a dead letter keeps its event's position in the segment, so that a replay can tell whether the segment has
-- gone back before the event (a reset), and so will apply it again itself. NULL means the log offset (letters of
-- projections that read the log, and letters parked before this migration).
ALTER TABLE kappa_projection_dead_letters
    ADD COLUMN event_position bigint;
