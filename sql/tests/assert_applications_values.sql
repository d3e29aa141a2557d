-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- applications: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'applicant_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.applications` WHERE as_of_date = {{latest_as_of}} AND applicant_id IS NULL
UNION ALL
SELECT as_of_date, 'assessed_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.applications` WHERE as_of_date = {{latest_as_of}} AND assessed_date IS NULL
UNION ALL
SELECT as_of_date, 'criterion' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.applications` WHERE as_of_date = {{latest_as_of}} AND criterion IS NULL
UNION ALL
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.applications` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.applications` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'source_file' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.applications` WHERE as_of_date = {{latest_as_of}} AND source_file IS NULL
UNION ALL
SELECT as_of_date, 'source_row' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.applications` WHERE as_of_date = {{latest_as_of}} AND source_row IS NULL
UNION ALL
SELECT as_of_date, 'source_lines' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.applications` WHERE as_of_date = {{latest_as_of}} AND source_lines IS NULL
