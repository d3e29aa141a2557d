-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- cost_to_serve: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'partner_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND partner_id IS NULL
UNION ALL
SELECT as_of_date, 'period_start' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND period_start IS NULL
UNION ALL
SELECT as_of_date, 'category' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND category IS NULL
UNION ALL
SELECT as_of_date, 'category', category FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND category NOT IN ("enablement", "mdf", "program", "partner_management", "support", "other", "commission")
UNION ALL
SELECT as_of_date, 'amount_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND amount_usd IS NULL
UNION ALL
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'source_file' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND source_file IS NULL
UNION ALL
SELECT as_of_date, 'source_row' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND source_row IS NULL
UNION ALL
SELECT as_of_date, 'source_lines' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cost_to_serve` WHERE as_of_date = {{latest_as_of}} AND source_lines IS NULL
