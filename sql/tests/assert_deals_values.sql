-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- deals: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'deal_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND deal_id IS NULL
UNION ALL
SELECT as_of_date, 'customer_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND customer_id IS NULL
UNION ALL
SELECT as_of_date, 'created_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND created_date IS NULL
UNION ALL
SELECT as_of_date, 'status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND status IS NULL
UNION ALL
SELECT as_of_date, 'status', status FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND status NOT IN ("open", "won", "lost")
UNION ALL
SELECT as_of_date, 'segment', segment FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND segment NOT IN ("enterprise", "mid_market", "smb")
UNION ALL
SELECT as_of_date, 'customer_maturity', customer_maturity FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND customer_maturity NOT IN ("new", "developing", "mature")
UNION ALL
SELECT as_of_date, 'delivery_scope', delivery_scope FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND delivery_scope NOT IN ("advisory", "implementation", "transformation")
UNION ALL
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'source_file' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND source_file IS NULL
UNION ALL
SELECT as_of_date, 'source_row' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND source_row IS NULL
UNION ALL
SELECT as_of_date, 'source_lines' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.deals` WHERE as_of_date = {{latest_as_of}} AND source_lines IS NULL
