-- Every raw and quarantine row was written by the latest succeeded ingest
-- run of its as-of date, as recorded in runs.
WITH latest AS (
  SELECT as_of_date, run_id FROM `{{dataset}}.stg_runs` WHERE job = 'ingest' AND is_latest
),
raw AS (
  SELECT as_of_date, run_id, 'partners' AS tbl FROM `{{dataset}}.partners`
  UNION ALL SELECT as_of_date, run_id, 'deals' FROM `{{dataset}}.deals`
  UNION ALL SELECT as_of_date, run_id, 'deal_partners' FROM `{{dataset}}.deal_partners`
  UNION ALL SELECT as_of_date, run_id, 'csat' FROM `{{dataset}}.csat`
  UNION ALL SELECT as_of_date, run_id, 'churn' FROM `{{dataset}}.churn`
  UNION ALL SELECT as_of_date, run_id, 'cost_to_serve' FROM `{{dataset}}.cost_to_serve`
  UNION ALL SELECT as_of_date, run_id, 'quarantine' FROM `{{dataset}}.quarantine`
)
SELECT r.tbl, r.as_of_date, r.run_id, COUNT(*) AS n
FROM raw AS r
LEFT JOIN latest AS l ON l.as_of_date = r.as_of_date AND l.run_id = r.run_id
WHERE l.run_id IS NULL
GROUP BY r.tbl, r.as_of_date, r.run_id
