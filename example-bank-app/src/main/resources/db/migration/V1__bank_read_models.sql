-- The bank's read models. Each is derived from the log by a projection and can be thrown away and rebuilt.

CREATE TABLE account_summary (
    account_id text   PRIMARY KEY,
    owner      text   NOT NULL,
    currency   text   NOT NULL,
    balance    bigint NOT NULL,
    status     text   NOT NULL,
    version    bigint NOT NULL
);

CREATE TABLE account_transactions (
    log_offset  bigint      PRIMARY KEY,
    account_id  text        NOT NULL,
    kind        text        NOT NULL,
    amount      bigint      NOT NULL,
    transfer_id text,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX account_transactions_by_account ON account_transactions (account_id, log_offset DESC);

CREATE TABLE transfers (
    transfer_id     text   PRIMARY KEY,
    from_account_id text   NOT NULL,
    to_account_id   text   NOT NULL,
    amount          bigint NOT NULL,
    currency        text   NOT NULL,
    status          text   NOT NULL,
    reason          text
);

CREATE TABLE customer_profile (
    customer_id text PRIMARY KEY,
    name        text NOT NULL,
    email       text NOT NULL
);
