-- How did the latest load go? Rows read, loaded and quarantined per source
-- for the most recent as-of date.
SELECT source, files, rows_read, rows_accepted, rows_quarantined,
  ROUND(100 * quarantine_rate, 2) AS quarantine_pct, top_problem_column
FROM `{{dataset}}.mart_data_quality_by_source`
WHERE as_of_date = (SELECT MAX(as_of_date) FROM `{{dataset}}.mart_data_quality_by_source`)
ORDER BY source
