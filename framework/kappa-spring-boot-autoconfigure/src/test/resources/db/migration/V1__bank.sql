-- The test application's own tables, migrated by its own Flyway before Kappa's.
CREATE TABLE account_summary (
    account_id text PRIMARY KEY,
    owner      text   NOT NULL,
    balance    bigint NOT NULL,
    version    bigint NOT NULL
);

CREATE TABLE audit (
    entry text NOT NULL
);
