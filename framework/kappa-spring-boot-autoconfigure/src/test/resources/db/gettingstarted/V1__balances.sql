CREATE TABLE balances (account_id text PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL);
