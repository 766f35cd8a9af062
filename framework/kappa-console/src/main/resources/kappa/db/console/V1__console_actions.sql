-- Every action attempted in the operator console, whatever came of it: who, when, on what, and the outcome.
CREATE TABLE kappa_console_actions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    by_user      text,
    projection   text        NOT NULL,
    action       text        NOT NULL,
    event_offset bigint,
    note         text,
    outcome      text        NOT NULL CHECK (outcome IN ('DONE', 'REFUSED', 'FAILED')),
    detail       text        NOT NULL
);
