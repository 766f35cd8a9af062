-- The account-activity read model, derived from the bank's log on Kafka; thrown away and rebuilt by a reset.

CREATE TABLE account_activity (
    account_id       text        PRIMARY KEY,
    owner            text,
    deposits         bigint      NOT NULL DEFAULT 0,
    withdrawals      bigint      NOT NULL DEFAULT 0,
    transfers_out    bigint      NOT NULL DEFAULT 0,
    transfers_in     bigint      NOT NULL DEFAULT 0,
    opened_at        timestamptz,
    last_activity_at timestamptz NOT NULL,
    last_offset      bigint      NOT NULL
);
