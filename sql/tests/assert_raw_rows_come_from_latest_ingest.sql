-- Every raw and quarantine row of the latest as-of date was written by the
-- latest succeeded ingest run of that date, as recorded in runs.
WITH latest AS (
  SELECT as_of_date, run_id FROM `{{dataset}}.stg_runs` WHERE job = 'ingest' AND is_latest
),
raw AS (
  SELECT as_of_date, run_id, 'partners' AS tbl FROM (SELECT * FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}})
  UNION ALL SELECT as_of_date, run_id, 'deals' FROM (SELECT * FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}})
  UNION ALL SELECT as_of_date, run_id, 'deal_partners' FROM (SELECT * FROM `{{dataset}}.deal_partners` WHERE as_of_date = {{latest_as_of}})
  UNION ALL SELECT as_of_date, run_id, 'csat' FROM (SELECT * FROM `{{dataset}}.csat` WHERE as_of_date = {{latest_as_of}})
  UNION ALL SELECT as_of_date, run_id, 'churn' FROM (SELECT * FROM `{{dataset}}.churn` WHERE as_of_date = {{latest_as_of}})
  UNION ALL SELECT as_of_date, run_id, 'cost_to_serve' FROM (SELECT * FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}})
  UNION ALL SELECT as_of_date, run_id, 'quarantine' FROM `{{dataset}}.quarantine` WHERE as_of_date = {{latest_as_of}}
)
SELECT r.tbl, r.as_of_date, r.run_id, COUNT(*) AS n
FROM raw AS r
LEFT JOIN latest AS l ON l.as_of_date = r.as_of_date AND l.run_id = r.run_id
WHERE l.run_id IS NULL
GROUP BY r.tbl, r.as_of_date, r.run_id
