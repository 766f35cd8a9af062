-- Kappa's projection bookkeeping. Each projection has generations (builds of its read model); readers use the
-- active one, a blue-green rebuild builds another beside it. Each generation has one row per segment holding its
-- checkpoint and its lease.

CREATE TABLE kappa_projections (
    projection        text        NOT NULL,
    -- the generation readers use; NULL until a blue-green projection's first build has caught up
    active_generation integer,
    -- the highest generation number ever given out: numbers are never reused, even after a generation is dropped
    last_generation   integer     NOT NULL,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT kappa_projections_pk PRIMARY KEY (projection)
);

CREATE TABLE kappa_projection_generations (
    projection    text        NOT NULL,
    generation    integer     NOT NULL,
    -- the projection code version the generation is built with
    version       integer     NOT NULL,
    segment_count integer     NOT NULL,
    state         text        NOT NULL,
    -- the logical tables of a blue-green projection: the generation writes <table>_g<generation>
    tables        text[]      NOT NULL,
    created_at    timestamptz NOT NULL,
    activated_at  timestamptz,
    retired_at    timestamptz,
    CONSTRAINT kappa_projection_generations_pk PRIMARY KEY (projection, generation),
    CONSTRAINT kappa_projection_generations_projection_fk FOREIGN KEY (projection)
        REFERENCES kappa_projections (projection) ON DELETE CASCADE,
    CONSTRAINT kappa_projection_generations_state CHECK (state IN ('BUILDING', 'ACTIVE', 'RETIRED')),
    CONSTRAINT kappa_projection_generations_segments CHECK (segment_count > 0)
);

-- At most one generation serves readers and at most one is being built.
CREATE UNIQUE INDEX kappa_projection_generations_one_active ON kappa_projection_generations (projection)
    WHERE state = 'ACTIVE';
CREATE UNIQUE INDEX kappa_projection_generations_one_building ON kappa_projection_generations (projection)
    WHERE state = 'BUILDING';

-- One row per segment of a live generation. A worker holds the lease (owner, lease_until, judged by the
-- database's clock) and moves the checkpoint with a compare-and-set on (owner, checkpoint) in the transaction that
-- writes the read model: a worker that lost its lease, or whose checkpoint was reset, cannot commit. Retiring a
-- generation deletes its rows, which fences its workers out the same way.
CREATE TABLE kappa_projection_segments (
    projection      text        NOT NULL,
    generation      integer     NOT NULL,
    segment         integer     NOT NULL,
    checkpoint      bigint      NOT NULL,
    -- whether the last batch committed reached the head of the log
    caught_up       boolean     NOT NULL,
    owner           text,
    lease_until     timestamptz,
    -- the event the segment stopped at, while it is FAILED
    failed_offset   bigint,
    failed_type     text,
    error_type      text,
    error_message   text,
    failed_attempts integer,
    failed_at       timestamptz,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT kappa_projection_segments_pk PRIMARY KEY (projection, generation, segment),
    CONSTRAINT kappa_projection_segments_generation_fk FOREIGN KEY (projection, generation)
        REFERENCES kappa_projection_generations (projection, generation) ON DELETE CASCADE,
    CONSTRAINT kappa_projection_segments_checkpoint CHECK (checkpoint >= 0)
);

-- Events a dead-letter projection gave up on; written with the checkpoint that moves past them.
CREATE TABLE kappa_projection_dead_letters (
    projection    text        NOT NULL,
    generation    integer     NOT NULL,
    segment       integer     NOT NULL,
    event_offset  bigint      NOT NULL,
    stream_id     text        NOT NULL,
    event_type    text        NOT NULL,
    error_type    text        NOT NULL,
    error_message text        NOT NULL,
    attempts      integer     NOT NULL,
    failed_at     timestamptz NOT NULL,
    CONSTRAINT kappa_projection_dead_letters_pk PRIMARY KEY (projection, generation, event_offset)
);

-- The runtimes that run each generation, by heartbeat: their number sets each one's fair share of the generation's
-- segments. Only the instances that run a generation's code count, so that an instance still on older code does not
-- leave part of a new generation unprocessed.
CREATE TABLE kappa_projection_members (
    projection      text        NOT NULL,
    generation      integer     NOT NULL,
    instance_id     text        NOT NULL,
    heartbeat_until timestamptz NOT NULL,
    CONSTRAINT kappa_projection_members_pk PRIMARY KEY (projection, generation, instance_id),
    CONSTRAINT kappa_projection_members_generation_fk FOREIGN KEY (projection, generation)
        REFERENCES kappa_projection_generations (projection, generation) ON DELETE CASCADE
);
