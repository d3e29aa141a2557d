-- Why were rows rejected in the latest load? The commonest reasons per
-- source, with one example row each.
SELECT source, column_name, reason, COUNT(*) AS rows_rejected,
  ANY_VALUE(record) AS example
FROM `{{dataset}}.stg_quarantine`
WHERE as_of_date = (SELECT MAX(as_of_date) FROM `{{dataset}}.stg_quarantine`)
GROUP BY source, column_name, reason
ORDER BY rows_rejected DESC, source, column_name, reason
LIMIT 20
