-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- runs: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE run_id IS NULL
UNION ALL
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'job' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE job IS NULL
UNION ALL
SELECT as_of_date, 'started_at' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE started_at IS NULL
UNION ALL
SELECT as_of_date, 'finished_at' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE finished_at IS NULL
UNION ALL
SELECT as_of_date, 'duration_ms' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE duration_ms IS NULL
UNION ALL
SELECT as_of_date, 'outcome' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE outcome IS NULL
UNION ALL
SELECT as_of_date, 'code_version' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE code_version IS NULL
UNION ALL
SELECT as_of_date, 'config_digest' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE config_digest IS NULL
UNION ALL
SELECT as_of_date, 'inputs' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.runs` WHERE inputs IS NULL
