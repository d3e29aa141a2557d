-- Generated from transforms/schema by bigquery.LatestView: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- cost_to_serve at the latest as-of date only (the newest scored one): one
-- snapshot, so joins of latest_ views count each row once.
-- Source: stg_cost_to_serve.
SELECT * FROM `{{dataset}}.stg_cost_to_serve`
WHERE as_of_date = {{latest_as_of}}
