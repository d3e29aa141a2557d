-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- attribution: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'deal_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND deal_id IS NULL
UNION ALL
SELECT as_of_date, 'partner_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND partner_id IS NULL
UNION ALL
SELECT as_of_date, 'roles' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND roles IS NULL
UNION ALL
SELECT as_of_date, 'partners_on_deal' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND partners_on_deal IS NULL
UNION ALL
SELECT as_of_date, 'status' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND status IS NULL
UNION ALL
SELECT as_of_date, 'status', status FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND status NOT IN ("open", "won", "lost")
UNION ALL
SELECT as_of_date, 'created_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND created_date IS NULL
UNION ALL
SELECT as_of_date, 'sourced_only_share' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND sourced_only_share IS NULL
UNION ALL
SELECT as_of_date, 'equal_split_share' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND equal_split_share IS NULL
UNION ALL
SELECT as_of_date, 'role_weighted_share' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND role_weighted_share IS NULL
UNION ALL
SELECT as_of_date, 'shapley_share' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND shapley_share IS NULL
UNION ALL
SELECT as_of_date, 'primary_60_40_share' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.attribution` WHERE as_of_date = {{latest_as_of}} AND primary_60_40_share IS NULL
