-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- segment_roi: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'quarter' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND quarter IS NULL
UNION ALL
SELECT as_of_date, 'tail_segment' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND tail_segment IS NULL
UNION ALL
SELECT as_of_date, 'tail_segment', tail_segment FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND tail_segment NOT IN ("head", "torso", "long_tail")
UNION ALL
SELECT as_of_date, 'partner_quarters' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND partner_quarters IS NULL
UNION ALL
SELECT as_of_date, 'pipeline_created_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND pipeline_created_usd IS NULL
UNION ALL
SELECT as_of_date, 'pipeline_attributed_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND pipeline_attributed_usd IS NULL
UNION ALL
SELECT as_of_date, 'won_revenue_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND won_revenue_usd IS NULL
UNION ALL
SELECT as_of_date, 'invested_partner_quarters' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND invested_partner_quarters IS NULL
UNION ALL
SELECT as_of_date, 'roi_state' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND roi_state IS NULL
UNION ALL
SELECT as_of_date, 'roi_state', roi_state FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND roi_state NOT IN ("not_invested", "pre_period", "estimated", "insufficient_evidence", "not_measured")
UNION ALL
SELECT as_of_date, 'commission_basis' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND commission_basis IS NULL
UNION ALL
SELECT as_of_date, 'commission_basis', commission_basis FROM `{{dataset}}.segment_roi` WHERE as_of_date = {{latest_as_of}} AND commission_basis NOT IN ("exported", "estimated", "not_exported")
