-- account_summary is rebuilt blue-green by its projection (AccountSummaryProjection): each generation writes a table
-- of its own, account_summary_g<N>, and readers query the view account_summary, which Kappa points at the generation
-- that has caught up. The table V1 created goes (the log rebuilds it); until the first generation has caught up,
-- the view shows no accounts rather than failing.
DROP TABLE account_summary;

CREATE VIEW account_summary AS
SELECT CAST(NULL AS text)   AS account_id,
       CAST(NULL AS text)   AS owner,
       CAST(NULL AS text)   AS currency,
       CAST(NULL AS bigint) AS balance,
       CAST(NULL AS text)   AS status,
       CAST(NULL AS bigint) AS version
 WHERE false;
