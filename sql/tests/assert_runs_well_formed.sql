-- Every run is well formed: a known outcome, an error exactly when it
-- failed, and a finish no earlier than its start.
SELECT run_id, job, as_of_date, outcome, error
FROM `{{dataset}}.runs`
WHERE outcome NOT IN ('succeeded', 'failed')
  OR (outcome = 'failed') != (error IS NOT NULL)
  OR finished_at < started_at
  OR duration_ms < 0
