-- The log. One row per event; log_offset is the global position, assigned densely in commit order under the
-- head lock (kappa_log_head), so a reader never finds a committed record below an offset it has already seen.
CREATE TABLE kappa_log (
    log_offset     bigint      NOT NULL,
    stream_id      text        NOT NULL,
    stream_version bigint      NOT NULL,
    event_type     text        NOT NULL,
    payload        jsonb       NOT NULL,
    event_id       uuid        NOT NULL,
    correlation_id text,
    causation_id   text,
    recorded_at    timestamptz NOT NULL,
    metadata       jsonb,
    compaction_key text,
    tombstone      boolean     NOT NULL DEFAULT false,
    CONSTRAINT kappa_log_pk PRIMARY KEY (log_offset),
    CONSTRAINT kappa_log_stream_version_uq UNIQUE (stream_id, stream_version),
    CONSTRAINT kappa_log_offset_positive CHECK (log_offset > 0),
    CONSTRAINT kappa_log_version_positive CHECK (stream_version > 0),
    CONSTRAINT kappa_log_tombstone_keyed CHECK (NOT tombstone OR compaction_key IS NOT NULL)
);

-- Compaction looks up earlier records of a key; only keyed records pay for this index.
CREATE INDEX kappa_log_compaction_key_idx ON kappa_log (compaction_key, log_offset) WHERE compaction_key IS NOT NULL;
CREATE INDEX kappa_log_tombstone_idx ON kappa_log (log_offset) WHERE tombstone;

-- The head of the log: the highest offset committed. Its single row is the log's append lock: every appending
-- transaction locks it first and holds it until commit, which is what makes offsets follow commit order.
CREATE TABLE kappa_log_head (
    id   smallint NOT NULL,
    head bigint   NOT NULL,
    CONSTRAINT kappa_log_head_pk PRIMARY KEY (id),
    CONSTRAINT kappa_log_head_single_row CHECK (id = 1)
);
INSERT INTO kappa_log_head (id, head) VALUES (1, 0);

-- Each stream's version, kept apart from the log because compaction may delete a stream's latest record.
CREATE TABLE kappa_streams (
    stream_id text   NOT NULL,
    version   bigint NOT NULL,
    CONSTRAINT kappa_streams_pk PRIMARY KEY (stream_id)
);

-- How far compaction has gone: every superseded record at or below compacted_through is gone.
CREATE TABLE kappa_compaction (
    id                smallint NOT NULL,
    compacted_through bigint   NOT NULL,
    CONSTRAINT kappa_compaction_pk PRIMARY KEY (id),
    CONSTRAINT kappa_compaction_single_row CHECK (id = 1)
);
INSERT INTO kappa_compaction (id, compacted_through) VALUES (1, 0);

-- The latest snapshot of each stream.
CREATE TABLE kappa_snapshots (
    stream_id      text        NOT NULL,
    stream_version bigint      NOT NULL,
    state_type     text        NOT NULL,
    state          jsonb       NOT NULL,
    taken_at       timestamptz NOT NULL,
    CONSTRAINT kappa_snapshots_pk PRIMARY KEY (stream_id)
);
