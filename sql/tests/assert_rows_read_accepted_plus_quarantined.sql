-- For the latest succeeded ingest of the latest as-of date: every file's rows
-- read = accepted + quarantined (runs.inputs), each source's accepted rows
-- are exactly the rows its table holds, and its quarantined rows exactly
-- the quarantine rows of that source. Returns the sources that disagree.
WITH declared AS (
  SELECT as_of_date, run_id, source,
    SUM(rows_read) AS rows_read,
    SUM(rows_accepted) AS rows_accepted,
    SUM(rows_quarantined) AS rows_quarantined,
    COUNTIF(rows_read != rows_accepted + rows_quarantined) AS files_unbalanced
  FROM `{{dataset}}.stg_run_inputs`
  WHERE is_latest AND as_of_date = {{latest_as_of}}
  GROUP BY as_of_date, run_id, source
),
loaded AS (
  SELECT as_of_date, 'partners' AS source, COUNT(*) AS n FROM (SELECT * FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}}) GROUP BY as_of_date
  UNION ALL SELECT as_of_date, 'deals', COUNT(*) FROM (SELECT * FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}}) GROUP BY as_of_date
  UNION ALL SELECT as_of_date, 'deal_partners', COUNT(*) FROM (SELECT * FROM `{{dataset}}.deal_partners` WHERE as_of_date = {{latest_as_of}}) GROUP BY as_of_date
  UNION ALL SELECT as_of_date, 'csat', COUNT(*) FROM (SELECT * FROM `{{dataset}}.csat` WHERE as_of_date = {{latest_as_of}}) GROUP BY as_of_date
  UNION ALL SELECT as_of_date, 'churn', COUNT(*) FROM (SELECT * FROM `{{dataset}}.churn` WHERE as_of_date = {{latest_as_of}}) GROUP BY as_of_date
  UNION ALL SELECT as_of_date, 'cost_to_serve', COUNT(*) FROM (SELECT * FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}}) GROUP BY as_of_date
  UNION ALL SELECT as_of_date, 'applications', COUNT(*) FROM (SELECT * FROM `{{dataset}}.applications` WHERE as_of_date = {{latest_as_of}}) GROUP BY as_of_date
  UNION ALL SELECT as_of_date, 'decisions', COUNT(*) FROM (SELECT * FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}}) GROUP BY as_of_date
),
rejected AS (
  SELECT as_of_date, source, COUNT(*) AS n FROM `{{dataset}}.quarantine` GROUP BY as_of_date, source
)
SELECT d.as_of_date, d.source, d.rows_read, d.rows_accepted, d.rows_quarantined,
  IFNULL(l.n, 0) AS rows_in_table, IFNULL(r.n, 0) AS rows_in_quarantine, d.files_unbalanced
FROM declared AS d
LEFT JOIN loaded AS l ON l.as_of_date = d.as_of_date AND l.source = d.source
LEFT JOIN rejected AS r ON r.as_of_date = d.as_of_date AND r.source = d.source
WHERE d.files_unbalanced > 0
  OR d.rows_read != d.rows_accepted + d.rows_quarantined
  OR d.rows_accepted != IFNULL(l.n, 0)
  OR d.rows_quarantined != IFNULL(r.n, 0)
