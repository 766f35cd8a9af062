-- An application's own first migration, run by its own Flyway beside Kappa's (SchemaIntegrationTest).
CREATE TABLE app_orders (
    id       bigint NOT NULL,
    customer text   NOT NULL,
    CONSTRAINT app_orders_pk PRIMARY KEY (id)
);
