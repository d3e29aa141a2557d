-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- cohort_metrics: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'cohort_type' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND cohort_type IS NULL
UNION ALL
SELECT as_of_date, 'cohort_type', cohort_type FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND cohort_type NOT IN ("join_quarter", "stage", "vertical", "capability")
UNION ALL
SELECT as_of_date, 'cohort' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND cohort IS NULL
UNION ALL
SELECT as_of_date, 'period' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND period IS NULL
UNION ALL
SELECT as_of_date, 'partners' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND partners IS NULL
UNION ALL
SELECT as_of_date, 'activated_partners' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND activated_partners IS NULL
UNION ALL
SELECT as_of_date, 'before_data' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND before_data IS NULL
UNION ALL
SELECT as_of_date, 'activation_partners' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND activation_partners IS NULL
