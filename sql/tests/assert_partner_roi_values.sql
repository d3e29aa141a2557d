-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.
-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update
-- partner_roi: every required column is set and every enum column holds one of
-- its values. Returns the offending rows' as-of date, column and value.
SELECT as_of_date, 'as_of_date' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND as_of_date IS NULL
UNION ALL
SELECT as_of_date, 'run_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND run_id IS NULL
UNION ALL
SELECT as_of_date, 'partner_id' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND partner_id IS NULL
UNION ALL
SELECT as_of_date, 'quarter_start' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND quarter_start IS NULL
UNION ALL
SELECT as_of_date, 'quarter' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND quarter IS NULL
UNION ALL
SELECT as_of_date, 'tail_segment' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND tail_segment IS NULL
UNION ALL
SELECT as_of_date, 'tail_segment', tail_segment FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND tail_segment NOT IN ("head", "torso", "long_tail")
UNION ALL
SELECT as_of_date, 'prev_tail_segment', prev_tail_segment FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND prev_tail_segment NOT IN ("head", "torso", "long_tail")
UNION ALL
SELECT as_of_date, 'segment_move' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND segment_move IS NULL
UNION ALL
SELECT as_of_date, 'segment_move', segment_move FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND segment_move NOT IN ("new", "same", "up", "down")
UNION ALL
SELECT as_of_date, 'trailing_won_revenue_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND trailing_won_revenue_usd IS NULL
UNION ALL
SELECT as_of_date, 'revenue_share' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND revenue_share IS NULL
UNION ALL
SELECT as_of_date, 'cumulative_share' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND cumulative_share IS NULL
UNION ALL
SELECT as_of_date, 'deals_created' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND deals_created IS NULL
UNION ALL
SELECT as_of_date, 'pipeline_created_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND pipeline_created_usd IS NULL
UNION ALL
SELECT as_of_date, 'pipeline_attributed_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND pipeline_attributed_usd IS NULL
UNION ALL
SELECT as_of_date, 'won_deals' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND won_deals IS NULL
UNION ALL
SELECT as_of_date, 'won_revenue_usd' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND won_revenue_usd IS NULL
UNION ALL
SELECT as_of_date, 'marketplace_deals' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND marketplace_deals IS NULL
UNION ALL
SELECT as_of_date, 'ae_invited_deals' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND ae_invited_deals IS NULL
UNION ALL
SELECT as_of_date, 'ae_repeat_invitations' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND ae_repeat_invitations IS NULL
UNION ALL
SELECT as_of_date, 'momentum' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND momentum IS NULL
UNION ALL
SELECT as_of_date, 'roi_group' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND roi_group IS NULL
UNION ALL
SELECT as_of_date, 'roi_group', roi_group FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND roi_group NOT IN ("invested", "comparison", "not_eligible")
UNION ALL
SELECT as_of_date, 'investment_segment', investment_segment FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND investment_segment NOT IN ("head", "torso", "long_tail")
UNION ALL
SELECT as_of_date, 'roi_state' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND roi_state IS NULL
UNION ALL
SELECT as_of_date, 'roi_state', roi_state FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND roi_state NOT IN ("not_invested", "pre_period", "estimated", "insufficient_evidence", "not_measured")
UNION ALL
SELECT as_of_date, 'commission_basis' AS column_name, CAST(NULL AS STRING) AS value FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND commission_basis IS NULL
UNION ALL
SELECT as_of_date, 'commission_basis', commission_basis FROM `{{dataset}}.partner_roi` WHERE as_of_date = {{latest_as_of}} AND commission_basis NOT IN ("exported", "estimated", "not_exported")
