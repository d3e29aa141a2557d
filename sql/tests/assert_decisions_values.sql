-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- decisions: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'decision_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND decision_id IS NULL
UNION ALL
SELECT as_of_date, 'partner_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND partner_id IS NULL
UNION ALL
SELECT as_of_date, 'kind' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND kind IS NULL
UNION ALL
SELECT as_of_date, 'kind', kind FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND kind NOT IN ("tier_override", "fund_exception", "incentive_exception", "exit")
UNION ALL
SELECT as_of_date, 'decided_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND decided_date IS NULL
UNION ALL
SELECT as_of_date, 'deciders' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND deciders IS NULL
UNION ALL
SELECT as_of_date, 'decision' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND decision IS NULL
UNION ALL
SELECT as_of_date, 'decided_tier', decided_tier FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND decided_tier NOT IN ("registered", "silver", "gold", "platinum")
UNION ALL
SELECT as_of_date, 'status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND status IS NULL
UNION ALL
SELECT as_of_date, 'status', status FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND status NOT IN ("proposed", "approved", "rejected", "withdrawn")
UNION ALL
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'source_file' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND source_file IS NULL
UNION ALL
SELECT as_of_date, 'source_row' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND source_row IS NULL
UNION ALL
SELECT as_of_date, 'source_lines' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.decisions` WHERE as_of_date = {{latest_as_of}} AND source_lines IS NULL
