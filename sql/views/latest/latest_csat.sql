-- Generated from transforms/schema by bigquery.LatestView: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- csat at the latest as-of date only (the newest scored one): one
-- snapshot, so joins of latest_ views count each row once.
-- Source: stg_csat.
SELECT * FROM `{{dataset}}.stg_csat`
WHERE as_of_date = {{latest_as_of}}
