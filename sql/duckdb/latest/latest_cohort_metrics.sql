-- Generated from transforms/schema by local.DuckDBLatestView: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- cohort_metrics at the latest as-of date only (the newest scored one): one
-- snapshot, so joins of latest_ views count each row once.
-- Source: stg_cohort_metrics.
CREATE OR REPLACE VIEW latest_cohort_metrics AS
SELECT * FROM stg_cohort_metrics
WHERE as_of_date = COALESCE((SELECT MAX(as_of_date) FROM runs WHERE job = 'score' AND outcome = 'succeeded'), (SELECT MAX(as_of_date) FROM runs WHERE job = 'ingest' AND outcome = 'succeeded'));
