-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- interventions: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'partner_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND partner_id IS NULL
UNION ALL
SELECT as_of_date, 'trigger' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND trigger IS NULL
UNION ALL
SELECT as_of_date, 'trigger', trigger FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND trigger NOT IN ("delivery_cusum", "churn_vs_direct", "delivery_guardrail", "pqi_low")
UNION ALL
SELECT as_of_date, 'severity' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND severity IS NULL
UNION ALL
SELECT as_of_date, 'severity', severity FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND severity NOT IN ("high", "medium", "low")
UNION ALL
SELECT as_of_date, 'outlook' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND outlook IS NULL
UNION ALL
SELECT as_of_date, 'outlook', outlook FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND outlook NOT IN ("not_yet", "not_ever")
UNION ALL
SELECT as_of_date, 'evidence' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND evidence IS NULL
UNION ALL
SELECT as_of_date, 'statistic' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND statistic IS NULL
UNION ALL
SELECT as_of_date, 'threshold' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND threshold IS NULL
UNION ALL
SELECT as_of_date, 'action' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.interventions` WHERE as_of_date = {{latest_as_of}} AND action IS NULL
