-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- qualification: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.qualification` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.qualification` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'applicant_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.qualification` WHERE as_of_date = {{latest_as_of}} AND applicant_id IS NULL
UNION ALL
SELECT as_of_date, 'assessed_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.qualification` WHERE as_of_date = {{latest_as_of}} AND assessed_date IS NULL
UNION ALL
SELECT as_of_date, 'total' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.qualification` WHERE as_of_date = {{latest_as_of}} AND total IS NULL
UNION ALL
SELECT as_of_date, 'maximum' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.qualification` WHERE as_of_date = {{latest_as_of}} AND maximum IS NULL
UNION ALL
SELECT as_of_date, 'band' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.qualification` WHERE as_of_date = {{latest_as_of}} AND band IS NULL
UNION ALL
SELECT as_of_date, 'band', band FROM `{{dataset}}.qualification` WHERE as_of_date = {{latest_as_of}} AND band NOT IN ("tier1_candidate", "standard", "probationary", "decline", "incomplete")
UNION ALL
SELECT as_of_date, 'criteria_points' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.qualification` WHERE as_of_date = {{latest_as_of}} AND criteria_points IS NULL
