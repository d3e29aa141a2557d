-- Generated from transforms/schema by local.DuckDBLatestView: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- cost_to_serve at the latest as-of date only (the newest scored one): one
-- snapshot, so joins of latest_ views count each row once.
-- Source: stg_cost_to_serve.
CREATE OR REPLACE VIEW latest_cost_to_serve AS
SELECT * FROM stg_cost_to_serve
WHERE as_of_date = COALESCE((SELECT MAX(as_of_date) FROM runs WHERE job = 'score' AND outcome = 'succeeded'), (SELECT MAX(as_of_date) FROM runs WHERE job = 'ingest' AND outcome = 'succeeded'));
