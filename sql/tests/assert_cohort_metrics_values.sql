-- Generated from transforms/schema by warehouse.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse -run TestGeneratedSQLMatchesSchema -update
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
SELECT as_of_date, 'active_partners' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND active_partners IS NULL
UNION ALL
SELECT as_of_date, 'retained_partners' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND retained_partners IS NULL
UNION ALL
SELECT as_of_date, 'deals_created' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND deals_created IS NULL
UNION ALL
SELECT as_of_date, 'pipeline_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND pipeline_usd IS NULL
UNION ALL
SELECT as_of_date, 'won_deals' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND won_deals IS NULL
UNION ALL
SELECT as_of_date, 'won_revenue_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND won_revenue_usd IS NULL
UNION ALL
SELECT as_of_date, 'ae_invited_deals' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.cohort_metrics` WHERE as_of_date = {{latest_as_of}} AND ae_invited_deals IS NULL
