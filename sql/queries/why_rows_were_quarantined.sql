-- Why were rows rejected in the load of the latest as-of date? The
-- commonest reasons per source, with one example row each (the first in
-- sort order, so the answer is the same on every run and engine).
SELECT source, column_name, reason, COUNT(*) AS rows_rejected,
  MIN(record) AS example
FROM `{{dataset}}.stg_quarantine`
WHERE as_of_date = {{latest_as_of}}
GROUP BY source, column_name, reason
ORDER BY rows_rejected DESC, source, column_name, reason
LIMIT 20
