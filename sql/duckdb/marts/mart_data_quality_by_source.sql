-- Data quality by source and as-of date, from the latest succeeded ingest
-- run: rows read, loaded and quarantined, the quarantine rate, and the most
-- common problem column. Sources: stg_run_inputs, stg_quarantine.
CREATE OR REPLACE VIEW mart_data_quality_by_source AS
WITH inputs AS (
  SELECT as_of_date, run_id, source,
    COUNT(*) AS files,
    SUM(rows_read) AS rows_read,
    SUM(rows_accepted) AS rows_accepted,
    SUM(rows_quarantined) AS rows_quarantined
  FROM stg_run_inputs
  WHERE is_latest
  GROUP BY as_of_date, run_id, source
),
problems AS (
  SELECT as_of_date, source, IFNULL(column_name, '(whole row)') AS column_name, COUNT(*) AS n
  FROM stg_quarantine
  GROUP BY as_of_date, source, column_name
),
top_problem AS (
  SELECT as_of_date, source, column_name, n
  FROM problems
  QUALIFY ROW_NUMBER() OVER (PARTITION BY as_of_date, source ORDER BY n DESC, column_name) = 1
)
SELECT
  i.as_of_date,
  i.source,
  i.run_id,
  i.files,
  i.rows_read,
  i.rows_accepted,
  i.rows_quarantined,
  i.rows_quarantined / NULLIF(i.rows_read, 0) AS quarantine_rate,
  t.column_name AS top_problem_column,
  t.n AS top_problem_rows
FROM inputs AS i
LEFT JOIN top_problem AS t
  ON t.as_of_date = i.as_of_date AND t.source = i.source;
