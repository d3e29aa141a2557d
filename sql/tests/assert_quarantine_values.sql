-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- quarantine: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.quarantine` WHERE as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.quarantine` WHERE run_id IS NULL
UNION ALL
SELECT as_of_date, 'source' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.quarantine` WHERE source IS NULL
UNION ALL
SELECT as_of_date, 'file' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.quarantine` WHERE file IS NULL
UNION ALL
SELECT as_of_date, 'source_row' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.quarantine` WHERE source_row IS NULL
UNION ALL
SELECT as_of_date, 'reason' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.quarantine` WHERE reason IS NULL
UNION ALL
SELECT as_of_date, 'record' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.quarantine` WHERE record IS NULL
UNION ALL
SELECT as_of_date, 'reason_code' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.quarantine` WHERE reason_code IS NULL
UNION ALL
SELECT as_of_date, 'reason_code', reason_code FROM `{{dataset}}.quarantine` WHERE reason_code NOT IN ("unreadable_row", "missing_required", "not_a_date", "not_a_number", "not_a_boolean", "unknown_enum", "out_of_range", "status_date_mismatch", "date_order", "future_date", "inconsistent_counts", "not_first_of_month", "unknown_reference", "parent_quarantined", "duplicate_key")
