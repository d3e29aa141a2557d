-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- registration_conflicts: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'customer_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND customer_id IS NULL
UNION ALL
SELECT as_of_date, 'first_deal_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND first_deal_id IS NULL
UNION ALL
SELECT as_of_date, 'first_partner_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND first_partner_id IS NULL
UNION ALL
SELECT as_of_date, 'first_registered_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND first_registered_date IS NULL
UNION ALL
SELECT as_of_date, 'protection_days' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND protection_days IS NULL
UNION ALL
SELECT as_of_date, 'protected_until' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND protected_until IS NULL
UNION ALL
SELECT as_of_date, 'deal_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND deal_id IS NULL
UNION ALL
SELECT as_of_date, 'partner_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND partner_id IS NULL
UNION ALL
SELECT as_of_date, 'registered_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND registered_date IS NULL
UNION ALL
SELECT as_of_date, 'days_after_first' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.registration_conflicts` WHERE as_of_date = {{latest_as_of}} AND days_after_first IS NULL
