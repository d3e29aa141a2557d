-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- partners: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'partner_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND partner_id IS NULL
UNION ALL
SELECT as_of_date, 'partner_name' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND partner_name IS NULL
UNION ALL
SELECT as_of_date, 'partner_type', partner_type FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND partner_type NOT IN ("si", "isv", "reseller", "msp", "referral", "advisory")
UNION ALL
SELECT as_of_date, 'program_tier', program_tier FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND program_tier NOT IN ("registered", "silver", "gold", "platinum")
UNION ALL
SELECT as_of_date, 'capability', capability FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND capability NOT IN ("staffing", "solution_builder", "advisory")
UNION ALL
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'source_file' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND source_file IS NULL
UNION ALL
SELECT as_of_date, 'source_row' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND source_row IS NULL
UNION ALL
SELECT as_of_date, 'source_lines' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND source_lines IS NULL
UNION ALL
SELECT as_of_date, 'joined_date_source', joined_date_source FROM `{{dataset}}.partners` WHERE as_of_date = {{latest_as_of}} AND joined_date_source NOT IN ("export", "first_deal")
