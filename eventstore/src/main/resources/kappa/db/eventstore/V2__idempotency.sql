-- Idempotency keys: an append made with a key records its results here, in the same transaction as its events, so
-- that a retry with the same key is answered with the first results instead of appending again. One row per stream
-- of the append, in the order the streams were given.
CREATE TABLE kappa_idempotency (
    idempotency_key text        NOT NULL,
    position        integer     NOT NULL,
    stream_id       text        NOT NULL,
    from_offset     bigint      NOT NULL,
    to_offset       bigint      NOT NULL,
    stream_version  bigint      NOT NULL,
    recorded_at     timestamptz NOT NULL,
    CONSTRAINT kappa_idempotency_pk PRIMARY KEY (idempotency_key, position)
);
