-- An application's second migration, added after Kappa's tables were created (SchemaIntegrationTest).
CREATE TABLE app_customers (
    id   text NOT NULL,
    name text NOT NULL,
    CONSTRAINT app_customers_pk PRIMARY KEY (id)
);
